import { createHash } from 'node:crypto';

const hash = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);

/**
 * Stable across runs for the same check and resource in one account and Region: notification
 * de-duplication keys on it. The account and Region are part of it, so that two auditors (or one that
 * audits several Regions) sharing a state table never mistake one account's finding for another's,
 * whatever the resource ARN holds (API Gateway ARNs carry no account).
 */
export function findingId(
  checkId: string,
  resourceArn: string,
  account: string | null,
  region: string,
): string {
  return hash(`v2|${account ?? ''}|${region}|${checkId}|${resourceArn}`);
}

/** The id before account and Region were part of it: states written under it are migrated (publish-report.ts). */
export function legacyFindingId(checkId: string, resourceArn: string): string {
  return hash(`${checkId}|${resourceArn}`);
}
