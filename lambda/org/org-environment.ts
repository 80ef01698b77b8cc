/**
 * The organization-wide audit's own variables, set by the CDK construct next to the auditor's
 * (lambda/config/environment.ts), parsed at the edge so a broken deployment fails naming the variable.
 */
import { z } from 'zod';
import { InvalidEnvironmentError } from '../config/environment';
import type { MemberAccess } from './contract';

export interface OrgEnvironment {
  partsBucket: string;
  access: MemberAccess;
  /** These accounts instead of AWS Organizations' list. */
  accounts?: string[];
  /** Only the accounts under these units (or roots). */
  organizationalUnitIds?: string[];
  /** Runs the alarm path may start per alarm window (lambda/org/alarm-admission.ts). */
  alarmRunsPerWindow: number;
  /** Search REST execution logs in member accounts (they can hold request bodies): opt-in. */
  searchExecutionLogs: boolean;
}

const list = (pattern: RegExp, error: string) =>
  z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(pattern, { error })));

export const ACCOUNT_ID = /^\d{12}$/;
/** An organizational unit (`ou-`) or a root (`r-`), as AWS Organizations names them. */
export const PARENT_ID = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;
/** Runs the alarm path may start per alarm window, over every account and Region together. */
export const DEFAULT_ALARM_RUNS_PER_WINDOW = 10;
export const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

const orgEnvironmentSchema = z.object({
  PARTS_BUCKET: z.string().min(3, { error: 'must be an S3 bucket name' }),
  MEMBER_ROLE_NAME: z.string().regex(ROLE_NAME, { error: 'must be an IAM role name' }),
  ALARM_RUNS_PER_WINDOW: z.coerce.number().int().min(1).max(1000).optional(),
  SEARCH_EXECUTION_LOGS: z.enum(['true', 'false']).optional(),
  ORG_ACCOUNTS: list(ACCOUNT_ID, 'must list 12-digit account ids separated by commas').optional(),
  ORG_UNIT_IDS: list(PARENT_ID, 'must list organizational unit ids (ou-...) or roots (r-...)').optional(),
});

export function parseOrgEnvironment(env: Record<string, string | undefined>): OrgEnvironment {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = orgEnvironmentSchema.safeParse(present);
  if (!parsed.success) {
    throw new InvalidEnvironmentError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`),
    );
  }
  const value = parsed.data;
  return {
    partsBucket: value.PARTS_BUCKET,
    access: { roleName: value.MEMBER_ROLE_NAME },
    alarmRunsPerWindow: value.ALARM_RUNS_PER_WINDOW ?? DEFAULT_ALARM_RUNS_PER_WINDOW,
    searchExecutionLogs: value.SEARCH_EXECUTION_LOGS === 'true',
    ...(value.ORG_ACCOUNTS?.length ? { accounts: value.ORG_ACCOUNTS } : {}),
    ...(value.ORG_UNIT_IDS?.length ? { organizationalUnitIds: value.ORG_UNIT_IDS } : {}),
  };
}
