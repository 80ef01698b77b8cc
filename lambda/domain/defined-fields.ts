/** `T` with every property optional and never `undefined`: what `definedFields` returns. */
export type DefinedFields<T> = { [K in keyof T]?: NonNullable<T[K]> | (T[K] & null) };

/**
 * The fields whose value is not `undefined`: an unknown value is left out, never set to `undefined`
 * (`exactOptionalPropertyTypes`). `{ ...definedFields({ region, account }) }` instead of one
 * conditional spread per field.
 */
export function definedFields<T extends object>(fields: T): DefinedFields<T> {
  const defined: DefinedFields<T> = {};
  for (const key in fields) {
    const value = fields[key];
    if (value !== undefined) defined[key] = value;
  }
  return defined;
}
