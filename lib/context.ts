/**
 * The CDK context the app accepts (`cdk deploy -c key=value` or `context` in cdk.json), validated once
 * so that a bad value stops the synth with a message naming the key and what it allows. Values from
 * the command line arrive as strings, values from cdk.json as JSON: both are accepted.
 */

import { z } from 'zod';
import { ACCOUNT_ID, PARENT_ID, ROLE_NAME } from '../lambda/org/org-environment';
import {
  DEFAULTS,
  SETTINGS,
  type Setting,
  type SettingName,
  type SettingValues,
} from '../lambda/settings/settings';
import { CONTEXT_SETTINGS, contextSchema } from '../lambda/settings/surfaces';
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
export const DEFAULT_TIMEOUT_MINUTES = 5;
export const DEFAULT_LOG_RETENTION_DAYS = 30;

/** The values CloudWatch Logs accepts for a log group's retention. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export interface AppContext {
  /** Email subscribed to the findings topic; none when absent. */
  alertEmail?: string;
  schedule: string;
  /** The window, given or by default: the schedule is checked against it. */
  lookbackMinutes: number;
  periodSeconds: number;
  /** The settings of lambda/settings given as context, by setting name; the rest keep their defaults. */
  settings: Partial<SettingValues>;
  timeoutMinutes: number;
  logRetentionDays: number;
  /** Reserve a concurrency of 1 (runs never overlap); needs 101 unreserved executions in the account. */
  reserveConcurrency: boolean;
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
  region?: string | undefined;
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

const decimal = (min: number, max: number) =>
  z
    .union([
      z.number(),
      z
        .string()
        .trim()
        .regex(/^-?\d+(\.\d+)?$/)
        .transform(Number),
    ])
    .pipe(z.number().gt(min).max(max));

const protocolList = z
  .union([
    z.string().transform((value) => value.split(',').map((protocol) => protocol.trim())),
    z.array(z.string()),
  ])
  .pipe(z.array(z.enum(SNS_PROTOCOLS)).min(1));

const bool = z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]);

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

/**
 * The keys of the stack itself (schedule, alarms, organization, ...), with what each allows (the
 * text of the error when a value does not fit). The auditor's settings come from lambda/settings.
 */
const STACK_KEYS = {
  alertEmail: { schema: z.email(), allowed: 'an email address, e.g. ops@example.com' },
  schedule: {
    schema: z.string().refine((value) => scheduleInterval(value).ok),
    allowed:
      "an EventBridge expression 'rate(<n> minutes|hours|days)' or 'cron(<6 fields>)' that runs every day",
  },
  reserveConcurrency: { schema: bool, allowed: 'true or false' },
  stageAlarms: { schema: bool, allowed: 'true or false (false: schedule-only, no stage 5xx alarms)' },
  alarmErrorsPerMinute: {
    schema: decimal(0, 1_000_000),
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

type StackKey = keyof typeof STACK_KEYS;
type StackValues = { [K in StackKey]?: z.output<(typeof STACK_KEYS)[K]['schema']> };

/** Every key the app reads (bin/app.ts asks the CDK for these), with what it allows. */
export const CONTEXT_KEYS: Readonly<Record<string, ContextKey>> = {
  ...Object.fromEntries(
    [...CONTEXT_SETTINGS].map(([key, name]) => [
      key,
      { schema: contextSchema(SETTINGS[name] as Setting<unknown>), allowed: SETTINGS[name].allowed },
    ]),
  ),
  ...STACK_KEYS,
};

const show = (value: unknown): string => (typeof value === 'string' ? `'${value}'` : JSON.stringify(value));

const given = (value: unknown): boolean => value !== undefined && value !== null && value !== '';

/** Validates the raw context values; throws InvalidContextError listing every problem. */
export function parseContext(raw: Record<string, unknown>, target: DeployTarget = {}): AppContext {
  const problems: string[] = [];
  const refuse = (key: string, value: unknown, allowed: string, detail = '') =>
    problems.push(`context key '${key}' = ${show(value)} is invalid: expected ${allowed}${detail}`);

  const settings: Partial<Record<SettingName, unknown>> = {};
  for (const [key, name] of CONTEXT_SETTINGS) {
    if (!given(raw[key])) continue;
    const result = contextSchema(SETTINGS[name] as Setting<unknown>).safeParse(raw[key]);
    if (result.success) settings[name] = result.data;
    else refuse(key, raw[key], SETTINGS[name].allowed);
  }
  const values: Partial<Record<StackKey, unknown>> = {};
  for (const [key, { schema, allowed }] of Object.entries(STACK_KEYS) as [StackKey, ContextKey][]) {
    if (!given(raw[key])) continue;
    const result = schema.safeParse(raw[key]);
    if (result.success) values[key] = result.data;
    else refuse(key, raw[key], allowed, key === 'schedule' ? scheduleReason(String(raw[key])) : '');
  }
  const stack = values as StackValues;
  const typedSettings = settings as Partial<SettingValues>;

  const context: AppContext = {
    schedule: stack.schedule ?? DEFAULT_SCHEDULE,
    lookbackMinutes: typedSettings.lookbackMinutes ?? DEFAULTS.lookbackMinutes,
    periodSeconds: typedSettings.periodSeconds ?? DEFAULTS.periodSeconds,
    settings: typedSettings,
    timeoutMinutes: stack.timeoutMinutes ?? DEFAULT_TIMEOUT_MINUTES,
    logRetentionDays: stack.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS,
    stageAlarms: stack.stageAlarms ?? true,
    alarmThresholds: {
      ...(stack.alarmErrorsPerMinute !== undefined ? { errorsPerMinute: stack.alarmErrorsPerMinute } : {}),
      ...(stack.alarmDatapoints !== undefined ? { datapointsToAlarm: stack.alarmDatapoints } : {}),
    },
    reserveConcurrency: stack.reserveConcurrency ?? false,
    incompleteRunsToAlarm: stack.incompleteRunsToAlarm ?? DEFAULT_INCOMPLETE_RUNS_TO_ALARM,
    subscriptionProtocols: stack.subscriptionProtocols ?? [...DEFAULT_SUBSCRIPTION_PROTOCOLS],
    ...(stack.alertEmail !== undefined ? { alertEmail: stack.alertEmail } : {}),
  };

  const organization = organizationOf(stack, problems);
  if (organization) context.organization = organization;
  problems.push(...windowProblems(context, typedSettings));
  const topicArn = typedSettings.topicArn;
  if (topicArn) {
    const problem = existingTopicProblem(topicArn, target.region ?? '');
    if (problem) problems.push(`context key 'existingTopicArn' = '${topicArn}' ${problem}`);
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
function organizationOf(values: StackValues, problems: string[]): OrganizationAuditProps | undefined {
  if (values.organization !== true) {
    const stray = ORG_KEYS.filter((key) => values[key] !== undefined);
    if (stray.length > 0)
      problems.push(`context key(s) ${stray.map((key) => `'${key}'`).join(', ')} need 'organization' = true`);
    return undefined;
  }
  if (values.orgAccounts !== undefined && values.orgUnitIds !== undefined)
    problems.push("context keys 'orgAccounts' and 'orgUnitIds': give one or the other, not both");
  return {
    memberRoleName: values.orgMemberRoleName ?? DEFAULT_MEMBER_ROLE_NAME,
    maxConcurrency: values.orgMaxConcurrency ?? DEFAULT_MAX_CONCURRENCY,
    ...(values.orgAuditRoleName !== undefined ? { auditRoleName: values.orgAuditRoleName } : {}),
    ...(values.orgSearchExecutionLogs !== undefined
      ? { searchExecutionLogs: values.orgSearchExecutionLogs }
      : {}),
    ...(values.orgAlarmRunsPerWindow !== undefined
      ? { alarmRunsPerWindow: values.orgAlarmRunsPerWindow }
      : {}),
    ...(values.orgAccounts !== undefined ? { accounts: values.orgAccounts } : {}),
    ...(values.orgUnitIds !== undefined ? { organizationalUnitIds: values.orgUnitIds } : {}),
    ...(values.orgId !== undefined ? { organizationId: values.orgId } : {}),
  };
}

function scheduleReason(expression: string): string {
  const interval = scheduleInterval(expression);
  return interval.ok ? '' : ` (${interval.reason})`;
}

/** The schedule, lookback and period must fit together, whichever of them came from the context. */
export function windowProblems(
  context: Pick<AppContext, 'schedule' | 'lookbackMinutes' | 'periodSeconds'>,
  given: { periodSeconds?: number } = {},
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
