/**
 * The organization-wide audit (issue 17): what the fan-out (Step Functions, or the CLI's local
 * fan-out) passes between its steps. Each step is one module:
 *
 * - `list-targets.ts`: the accounts (AWS Organizations, optionally by organizational unit, or a list)
 *   times the Regions -> `AuditTarget[]`.
 * - `audit-target.ts`: one account and Region -> `TargetOutcome` (assume the member role, run the
 *   same `runAudit` as the single-account stack; a role that is missing or denied is an outcome with
 *   an error, never a thrown exception).
 * - `merge-reports.ts`: every `TargetOutcome` -> one `Report` naming the account of each stage and
 *   finding, with one `accounts` entry per account (an ERROR line for those that could not be read).
 */
import type { AwsCredentialIdentity } from '@smithy/types';
import type { AuditRequest } from '../audit';
import type { AuditWindow, Report, Thresholds } from '../domain/types';

/** One account and Region: the unit each item of the fan-out audits. */
export interface AuditTarget {
  account: string;
  /** The account's name in AWS Organizations (or its alias), when known; untrusted text. */
  accountName?: string;
  region: string;
}

/** How the auditor reaches a member account: the role the member-account template creates. */
export interface MemberAccess {
  roleName: string;
  /** Sent as `ExternalId` when the member role's trust policy asks for one. */
  externalId?: string;
  /** The auditor's own credentials, for the AssumeRole call; the SDK's default chain when absent. */
  callerCredentials?: AwsCredentialIdentity;
}

/** Why one account and Region could not be audited (the role is missing, AssumeRole was denied, ...). */
export interface TargetError {
  /** The AWS action that failed, e.g. `STS.AssumeRole`. */
  action: string;
  code: string;
  message: string;
}

/** What one item of the fan-out returns: its part of the report, or why there is none. */
export type TargetOutcome =
  | { target: AuditTarget; report: Report; error?: undefined }
  | { target: AuditTarget; report?: undefined; error: TargetError };

/**
 * Audits one account and Region with the member role's credentials (`audit-target.ts`).
 * `base` is the rest of the audit request (window, thresholds, checks, deadline, endpoint...).
 */
export type AuditTargetFn = (
  target: AuditTarget,
  access: MemberAccess,
  base: Omit<AuditRequest, 'regions' | 'account' | 'credentials'>,
) => Promise<TargetOutcome>;

/**
 * Merges the outcomes of every item into one report (`merge-reports.ts`). `window` and `thresholds`
 * are what the audit was asked for: the report shows them when no item returned a report of its
 * own (every account failed); the items' own win otherwise.
 */
export type MergeReportsFn = (
  outcomes: readonly TargetOutcome[],
  options: { generatedAt: Date; window?: AuditWindow; thresholds?: Thresholds },
) => Report;
