/**
 * Commands a person pastes into a POSIX shell. Every value is single-quoted (a `'` inside becomes
 * `'\''`), so no value can end the argument, start another command or expand anything; the values
 * are checked against the shape of what they stand for before they get here (ids.ts).
 */

export const shellQuote = (value: string): string => `'${value.replaceAll("'", "'\\''")}'`;

/** A flag and its value; a flag without a value (`--no-...`) has none. */
export type CommandOption = readonly [flag: `--${string}`, value?: string];

/** `aws <service> <operation> --region '<region>' --flag '<value>' ...`. */
export function awsCommand(
  service: string,
  operation: string,
  region: string,
  options: readonly CommandOption[],
): string {
  const parts = ['aws', service, operation, '--region', shellQuote(region)];
  for (const [flag, value] of options) {
    parts.push(flag);
    if (value !== undefined) parts.push(shellQuote(value));
  }
  return parts.join(' ');
}
