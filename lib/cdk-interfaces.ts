/**
 * aws-cdk-lib types a few getters `T | undefined` where the interface they implement declares `?: T`
 * (`Bucket.isWebsite`, `Table.tableStreamArn`, every synthesizer's `bootstrapQualifier`), so under
 * `exactOptionalPropertyTypes` such a class is not assignable to its own interface
 * (aws/aws-cdk#37996, open). Instead of a cast, the value is checked at run time to be built on the
 * library's base class for that interface.
 */
function builtOn<I extends object>(
  value: object,
  base: abstract new (...args: never[]) => object,
): value is I {
  return value instanceof base;
}

/** `value` as the interface `I` that `base` (the library's base class for it) implements. */
export function asImplementationOf<I extends object>(
  value: object,
  base: abstract new (...args: never[]) => object,
): I {
  if (builtOn<I>(value, base)) return value;
  throw new TypeError(`${value.constructor.name} is not built on ${base.name}`);
}
