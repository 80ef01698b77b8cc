/**
 * The CDK context the app accepts (`cdk deploy -c key=value` or `context` in cdk.json), validated once
 * so that a bad value stops the synth with a message naming the key and what it allows. Values from
 * the command line arrive as strings, values from cdk.json as JSON: both are accepted.
 */

import { z } from 'zod';
import { accessLogGroupPrefixProblem, EXECUTION_LOG_GROUP_PREFIX } from '../lambda/collect/log-groups';
import { SEVERITIES, type Severity, type Thresholds } from '../lambda/domain/types';
import { ACCOUNT_ID, PARENT_ID, ROLE_NAME } from '../lambda/org/org-environment';
import { DEFAULT_MEMBER_ROLE_NAME } from './member-audit-role-stack';
import {
  DEFAULT_INCOMPLETE_RUNS_TO_ALARM,
  DEFAULT_SUBSCRIPTION_PROTOCOLS,
  existingTopicProblem,
  SNS_PROTOCOLS,
  type SubscriptionProtocol,
} from './network-auditor';
import { DEFAULT_MAX_CONCURRENCY, ORGANIZATION_ID, type OrganizationAuditProps } from './organization-audit';
import { scheduleInterval } from './schedule-interval';
import { MAX_ALARM_DATAPOINTS } from './stage-error-alarms';

export const DEFAULT_SCHEDULE = 'rate(60 minutes)';
export const DEFAULT_LOOKBACK_MINUTES = 60;
export const DEFAULT_PERIOD_SECONDS = 300;
export const DEFAULT_TIMEOUT_MINUTES = 5;
export const DEFAULT_LOG_RETENTION_DAYS = 30;

/** The values CloudWatch Logs accepts for a log group's retention. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const TOPIC_ARN_PATTERN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

export interface AppContext {
  /** Email subscribed to the findings topic; none when absent. */
  alertEmail?: string;
  /** Publish to this topic instead of creating one. */
  existingTopicArn?: string;
  schedule: string;
  lookbackMinutes: number;
  periodSeconds: number;
  /** Regions to audit; the stack's own Region when absent. */
  regions?: string[];
  /** Only the thresholds given; the rest keep the auditor's defaults. */
  thresholds: Partial<Thresholds>;
  minSeverity?: Severity;
  reminderIntervalHours?: number;
  sendAllClear?: boolean;
  timeoutMinutes: number;
  logRetentionDays: number;
  /** Reserve a concurrency of 1 (runs never overlap); needs 101 unreserved executions in the account. */
  reserveConcurrency: boolean;
  /** Access-log groups are searched (and may be queried) only under this name prefix. */
  accessLogGroupPrefix?: string;
  /** Alarm-triggered audits of failing stages; false keeps the auditor schedule-only. */
  stageAlarms: boolean;
  /** The stage alarms' thresholds given; the rest keep the construct's defaults. */
  alarmThresholds: { errorsPerMinute?: number; datapointsToAlarm?: number };
  incompleteRunsToAlarm: number;
  subscriptionProtocols: SubscriptionProtocol[];
  /** Central mode (`organization=true`): every account of the organization, or those listed. */
  organization?: OrganizationAuditProps;
}

/** What the app knows of where it deploys, for the checks that depend on it. */
export interface DeployTarget {
  /** The stack's Region (CDK_DEFAULT_REGION); unknown when absent. */
  region?: string;
}

export class InvalidContextError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid CDK context:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'InvalidContextError';
  }
}

const integer = (min: number, max: number) =>
  z
    .union([
      z.number(),
      z
        .string()
        .trim()
        .regex(/^-?\d+$/)
        .transform(Number),
    ])
    .pipe(z.number().int().min(min).max(max));

const decimal = (min: number, max: number, minExclusive: boolean) =>
  z
    .union([
      z.number(),
      z
        .string()
        .trim()
        .regex(/^-?\d+(\.\d+)?$/)
        .transform(Number),
    ])
    .pipe(minExclusive ? z.number().gt(min).max(max) : z.number().min(min).max(max));

const protocolList = z
  .union([
    z.string().transform((value) => value.split(',').map((protocol) => protocol.trim())),
    z.array(z.string()),
  ])
  .pipe(z.array(z.enum(SNS_PROTOCOLS)).min(1));

const bool = z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]);

const regionList = z
  .union([
    z.string().transform((value) => value.split(',').map((region) => region.trim())),
    z.array(z.string()),
  ])
  .pipe(z.array(z.string().regex(REGION_PATTERN)).min(1));

const idList = (pattern: RegExp) =>
  z
    .union([
      z.string().transform((value) => value.split(',').map((item) => item.trim())),
      z.array(z.string()),
    ])
    .pipe(z.array(z.string().regex(pattern)).min(1));

interface ContextKey {
  schema: z.ZodType;
  allowed: string;
}

/** Every key the app reads, with what it allows (the text of the error when a value does not fit). */
export const CONTEXT_KEYS = {
  alertEmail: { schema: z.email(), allowed: 'an email address, e.g. ops@example.com' },
  existingTopicArn: { schema: z.string().regex(TOPIC_ARN_PATTERN), allowed: 'an SNS topic ARN' },
  schedule: {
    schema: z.string().refine((value) => scheduleInterval(value).ok),
    allowed:
      "an EventBridge expression 'rate(<n> minutes|hours|days)' or 'cron(<6 fields>)' that runs every day",
  },
  lookbackMinutes: { schema: integer(5, 1440), allowed: 'an integer from 5 to 1440' },
  periodSeconds: {
    schema: integer(60, 3600).refine((value) => value % 60 === 0),
    allowed: 'a multiple of 60 from 60 to 3600',
  },
  regions: { schema: regionList, allowed: "Region names separated by commas, e.g. 'us-east-1,eu-west-1'" },
  highErrorRatio: { schema: decimal(0, 1, true), allowed: 'a number greater than 0 and at most 1' },
  continuousPeriodShare: { schema: decimal(0, 1, true), allowed: 'a number greater than 0 and at most 1' },
  minRequests: { schema: integer(1, 1_000_000_000), allowed: 'a positive integer' },
  transientErrorRatio: { schema: decimal(0, 1, true), allowed: 'a number greater than 0 and at most 1' },
  minSeverity: { schema: z.enum(SEVERITIES), allowed: `one of ${SEVERITIES.join(', ')}` },
  reminderIntervalHours: {
    schema: integer(0, 8760),
    allowed: 'an integer from 0 (no reminders) to 8760 (hours)',
  },
  sendAllClear: { schema: bool, allowed: 'true or false' },
  accessLogGroupPrefix: {
    schema: z.string().refine((prefix) => accessLogGroupPrefixProblem(prefix) === null),
    allowed: `the start of your access log groups' names: 2 to 255 letters, digits or _ - . / # (no wildcard), not covering ${EXECUTION_LOG_GROUP_PREFIX}`,
  },
  reserveConcurrency: { schema: bool, allowed: 'true or false' },
  stageAlarms: { schema: bool, allowed: 'true or false (false: schedule-only, no stage 5xx alarms)' },
  alarmErrorsPerMinute: {
    schema: decimal(0, 1_000_000, true),
    allowed: 'a number of 5xx per minute greater than 0',
  },
  alarmDatapoints: {
    schema: integer(1, MAX_ALARM_DATAPOINTS),
    allowed: `a whole number of minutes from 1 to ${MAX_ALARM_DATAPOINTS}`,
  },
  incompleteRunsToAlarm: {
    schema: integer(1, 288),
    allowed: 'an integer from 1 to 288 (consecutive incomplete runs before the alarm notifies)',
  },
  subscriptionProtocols: {
    schema: protocolList,
    allowed: `SNS protocols separated by commas, from ${SNS_PROTOCOLS.join(', ')}`,
  },
  organization: {
    schema: bool,
    allowed: 'true or false (true: audit every account of the organization, through the member role)',
  },
  orgMemberRoleName: {
    schema: z.string().regex(ROLE_NAME),
    allowed: 'an IAM role name: the RoleName of the member-account template',
  },
  orgAuditRoleName: {
    schema: z.string().regex(ROLE_NAME),
    allowed:
      "an IAM role name: the central audit role (path /api-network-auditor/), the member template's AuditorRoleName",
  },
  orgSearchExecutionLogs: {
    schema: bool,
    allowed:
      "true or false (true: search REST execution logs in member accounts; the member template's SearchExecutionLogs)",
  },
  orgAlarmRunsPerWindow: {
    schema: integer(1, 1000),
    allowed:
      'an integer from 1 to 1000 (alarm-triggered runs started per 15-minute window, all accounts together)',
  },
  orgAccounts: {
    schema: idList(ACCOUNT_ID),
    allowed: "12-digit account ids separated by commas, e.g. '111111111111,222222222222'",
  },
  orgUnitIds: {
    schema: idList(PARENT_ID),
    allowed: "organizational unit ids (ou-...) or roots (r-...) separated by commas, e.g. 'ou-ab12-cdef3456'",
  },
  orgId: {
    schema: z.string().regex(ORGANIZATION_ID),
    allowed:
      "the organization's id, e.g. 'o-abcd123456' (the event bus admits the member accounts' stage alarms)",
  },
  orgMaxConcurrency: {
    schema: integer(1, 1000),
    allowed: 'an integer from 1 to 1000 (accounts x Regions audited at once)',
  },
  timeoutMinutes: { schema: integer(1, 15), allowed: 'an integer from 1 to 15 (the Lambda maximum)' },
  logRetentionDays: {
    schema: integer(1, 3653).refine((value) => (LOG_RETENTION_DAYS as readonly number[]).includes(value)),
    allowed: `one of ${LOG_RETENTION_DAYS.join(', ')}`,
  },
} as const satisfies Record<string, ContextKey>;

export type ContextKeyName = keyof typeof CONTEXT_KEYS;

const show = (value: unknown): string => (typeof value === 'string' ? `'${value}'` : JSON.stringify(value));

/** Validates the raw context values; throws InvalidContextError listing every problem. */
export function parseContext(raw: Record<string, unknown>, target: DeployTarget = {}): AppContext {
  const problems: string[] = [];
  const values: Partial<Record<ContextKeyName, unknown>> = {};
  for (const [key, { schema, allowed }] of Object.entries(CONTEXT_KEYS) as [ContextKeyName, ContextKey][]) {
    const value = raw[key];
    if (value === undefined || value === null || value === '') continue;
    const result = schema.safeParse(value);
    if (result.success) values[key] = result.data;
    else {
      const detail = key === 'schedule' && typeof value === 'string' ? scheduleReason(value) : '';
      problems.push(`context key '${key}' = ${show(value)} is invalid: expected ${allowed}${detail}`);
    }
  }

  const context: AppContext = {
    schedule: (values.schedule as string | undefined) ?? DEFAULT_SCHEDULE,
    lookbackMinutes: (values.lookbackMinutes as number | undefined) ?? DEFAULT_LOOKBACK_MINUTES,
    periodSeconds: (values.periodSeconds as number | undefined) ?? DEFAULT_PERIOD_SECONDS,
    thresholds: {
      ...(values.highErrorRatio !== undefined ? { highErrorRatio: values.highErrorRatio as number } : {}),
      ...(values.continuousPeriodShare !== undefined
        ? { continuousPeriodShare: values.continuousPeriodShare as number }
        : {}),
      ...(values.minRequests !== undefined ? { minRequests: values.minRequests as number } : {}),
      ...(values.transientErrorRatio !== undefined
        ? { transientErrorRatio: values.transientErrorRatio as number }
        : {}),
    },
    timeoutMinutes: (values.timeoutMinutes as number | undefined) ?? DEFAULT_TIMEOUT_MINUTES,
    logRetentionDays: (values.logRetentionDays as number | undefined) ?? DEFAULT_LOG_RETENTION_DAYS,
    stageAlarms: (values.stageAlarms as boolean | undefined) ?? true,
    alarmThresholds: {
      ...(values.alarmErrorsPerMinute !== undefined
        ? { errorsPerMinute: values.alarmErrorsPerMinute as number }
        : {}),
      ...(values.alarmDatapoints !== undefined
        ? { datapointsToAlarm: values.alarmDatapoints as number }
        : {}),
    },
    reserveConcurrency: (values.reserveConcurrency as boolean | undefined) ?? false,
    incompleteRunsToAlarm:
      (values.incompleteRunsToAlarm as number | undefined) ?? DEFAULT_INCOMPLETE_RUNS_TO_ALARM,
    subscriptionProtocols: (values.subscriptionProtocols as SubscriptionProtocol[] | undefined) ?? [
      ...DEFAULT_SUBSCRIPTION_PROTOCOLS,
    ],
    ...(values.alertEmail !== undefined ? { alertEmail: values.alertEmail as string } : {}),
    ...(values.existingTopicArn !== undefined ? { existingTopicArn: values.existingTopicArn as string } : {}),
    ...(values.regions !== undefined ? { regions: values.regions as string[] } : {}),
    ...(values.minSeverity !== undefined ? { minSeverity: values.minSeverity as Severity } : {}),
    ...(values.reminderIntervalHours !== undefined
      ? { reminderIntervalHours: values.reminderIntervalHours as number }
      : {}),
    ...(values.sendAllClear !== undefined ? { sendAllClear: values.sendAllClear as boolean } : {}),
    ...(values.accessLogGroupPrefix !== undefined
      ? { accessLogGroupPrefix: values.accessLogGroupPrefix as string }
      : {}),
  };

  const organization = organizationOf(values, problems);
  if (organization) context.organization = organization;
  problems.push(...windowProblems(context, values));
  if (context.existingTopicArn) {
    const problem = existingTopicProblem(context.existingTopicArn, target.region ?? '');
    if (problem) problems.push(`context key 'existingTopicArn' = '${context.existingTopicArn}' ${problem}`);
  }
  if (problems.length > 0) throw new InvalidContextError(problems);
  return context;
}

const ORG_KEYS = [
  'orgMemberRoleName',
  'orgAuditRoleName',
  'orgSearchExecutionLogs',
  'orgAlarmRunsPerWindow',
  'orgAccounts',
  'orgUnitIds',
  'orgId',
  'orgMaxConcurrency',
] as const;

/** Central mode's settings, when `organization` is true; the org keys without it are a mistake. */
function organizationOf(
  values: Partial<Record<ContextKeyName, unknown>>,
  problems: string[],
): OrganizationAuditProps | undefined {
  if (values.organization !== true) {
    const stray = ORG_KEYS.filter((key) => values[key] !== undefined);
    if (stray.length > 0)
      problems.push(`context key(s) ${stray.map((key) => `'${key}'`).join(', ')} need 'organization' = true`);
    return undefined;
  }
  if (values.orgAccounts !== undefined && values.orgUnitIds !== undefined)
    problems.push("context keys 'orgAccounts' and 'orgUnitIds': give one or the other, not both");
  return {
    memberRoleName: (values.orgMemberRoleName as string | undefined) ?? DEFAULT_MEMBER_ROLE_NAME,
    maxConcurrency: (values.orgMaxConcurrency as number | undefined) ?? DEFAULT_MAX_CONCURRENCY,
    ...(values.orgAuditRoleName !== undefined ? { auditRoleName: values.orgAuditRoleName as string } : {}),
    ...(values.orgSearchExecutionLogs !== undefined
      ? { searchExecutionLogs: values.orgSearchExecutionLogs as boolean }
      : {}),
    ...(values.orgAlarmRunsPerWindow !== undefined
      ? { alarmRunsPerWindow: values.orgAlarmRunsPerWindow as number }
      : {}),
    ...(values.orgAccounts !== undefined ? { accounts: values.orgAccounts as string[] } : {}),
    ...(values.orgUnitIds !== undefined ? { organizationalUnitIds: values.orgUnitIds as string[] } : {}),
    ...(values.orgId !== undefined ? { organizationId: values.orgId as string } : {}),
  };
}

function scheduleReason(expression: string): string {
  const interval = scheduleInterval(expression);
  return interval.ok ? '' : ` (${interval.reason})`;
}

/** The schedule, lookback and period must fit together, whichever of them came from the context. */
export function windowProblems(
  context: Pick<AppContext, 'schedule' | 'lookbackMinutes' | 'periodSeconds'>,
  given: Partial<Record<ContextKeyName, unknown>> = {},
): string[] {
  const problems: string[] = [];
  const interval = scheduleInterval(context.schedule);
  if (interval.ok && context.lookbackMinutes < interval.maxGapMinutes) {
    problems.push(
      `context key 'lookbackMinutes' = ${context.lookbackMinutes} is shorter than the longest gap between two ` +
        `runs of schedule '${context.schedule}' (${interval.maxGapMinutes} minutes): the minutes in between ` +
        `would never be audited. Set lookbackMinutes >= ${interval.maxGapMinutes} or run the schedule more often.`,
    );
  }
  if ((context.lookbackMinutes * 60) % context.periodSeconds !== 0) {
    const key = given.periodSeconds !== undefined ? 'periodSeconds' : 'lookbackMinutes';
    problems.push(
      `context key '${key}': lookbackMinutes (${context.lookbackMinutes}) must be a whole number of ` +
        `periods of periodSeconds (${context.periodSeconds} s)`,
    );
  }
  return problems;
}
