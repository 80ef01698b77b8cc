import { createHash } from 'node:crypto';

/** Stable across runs for the same check and resource: notification de-duplication keys on it. */
export function findingId(checkId: string, resourceArn: string): string {
  return createHash('sha256').update(`${checkId}|${resourceArn}`).digest('hex').slice(0, 16);
}
