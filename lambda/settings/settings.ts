/**
 * Every setting the auditor takes, declared once: its rules and default, and where a person gives it
 * (a CLI flag, a CDK context key and construct prop, a Lambda environment variable). The CLI's
 * parser, the CDK context, the construct's props validation, the Lambda's environment and
 * docs/configuration.md are derived from this table (lambda/settings/surfaces.ts).
 *
 * A new setting is one entry here; the code that acts on it reads it by name from the parsed values.
 */
import { z } from 'zod';
import { accessLogGroupPrefixProblem, EXECUTION_LOG_GROUP_PREFIX } from '../collect/log-groups';
import { SEVERITIES } from '../domain/types';

export const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d+$/;
/** A standard or FIFO SNS topic, in any partition. */
export const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z]{2}(-[a-z]+)+-\d+:\d{12}:[\w-]{1,256}(\.fifo)?$/;

export const LOOKBACK_MINUTES = { min: 5, max: 1440 } as const;
/** The defaults every surface shares (the construct's, the CLI's, the Lambda's). */
export const DEFAULTS = {
  lookbackMinutes: 60,
  periodSeconds: 300,
  highErrorRatio: 0.05,
  continuousPeriodShare: 0.5,
  minRequests: 100,
  transientErrorRatio: 0.001,
  minSeverity: 'medium',
  reminderIntervalHours: 24,
  sendAllClear: true,
} as const;
export const PERIOD_SECONDS = { min: 60, max: 3600 } as const;

/** How a value is written as text (a flag, a `-c key=value`, an environment variable). */
export type SettingKind = 'number' | 'boolean' | 'list' | 'text';

export interface Setting<T> {
  kind: SettingKind;
  /** The rules of the value itself (bounds, patterns), with the message each broken rule gives. */
  value: z.ZodType<T>;
  /** What a valid value is, in words: the docs table and the CDK context's errors say it. */
  allowed: string;
  help: string;
  /** Undefined: the setting is off, or its default depends on where the auditor runs (`defaultText`). */
  default?: T;
  defaultText?: string;
  /** The CLI flag (without `--`); `repeatable` flags may also be given once with commas. */
  flag?: { name: string; placeholder: string; repeatable?: boolean };
  /** The CDK context key. */
  context?: string;
  /** The NetworkAuditor construct's typed prop; without one, the construct takes it as `settings.<name>`. */
  prop?: string;
  /** The Lambda's environment variable; `THRESHOLDS.x` is member x of the JSON in THRESHOLDS. */
  env?: string;
}

const setting = <T>(definition: Setting<T>): Setting<T> => definition;

/** A whole number from min to max; `unit` ("minutes") names it in the messages. */
const wholeNumber = (min: number, max: number, unit = '', minMessage = `must be at least ${min}${unit}`) =>
  z
    .number({ error: `must be a number${unit ? ` of${unit}` : ''}` })
    .int({ error: `must be a whole number${unit ? ` of${unit}` : ''}` })
    .min(min, { error: minMessage })
    .max(max, { error: `must be at most ${max}${unit}` });

const share = z
  .number({ error: 'must be a number' })
  .gt(0, { error: 'must be greater than 0 and at most 1' })
  .max(1, { error: 'must be greater than 0 and at most 1' });

const regionName = z.string().regex(REGION_NAME, { error: 'must be a Region name such as us-east-1' });

export const SETTINGS = {
  regions: setting<string[]>({
    kind: 'list',
    value: z.array(regionName).min(1, { error: 'must name at least one Region' }),
    allowed: "Region names separated by commas, e.g. 'us-east-1,eu-west-1'",
    help: 'Regions to audit',
    defaultText: "the CLI: AWS_REGION, AWS_DEFAULT_REGION or the profile's; the Lambda: its own Region",
    flag: { name: 'region', placeholder: 'REGION', repeatable: true },
    context: 'regions',
    prop: 'regions',
    env: 'AUDIT_REGIONS',
  }),
  lookbackMinutes: setting<number>({
    kind: 'number',
    value: wholeNumber(LOOKBACK_MINUTES.min, LOOKBACK_MINUTES.max, ' minutes'),
    allowed: `an integer from ${LOOKBACK_MINUTES.min} to ${LOOKBACK_MINUTES.max}`,
    help: 'metrics window in minutes, whole periods; deployed: at least the longest gap between two scheduled runs, or the minutes in between are never audited',
    default: DEFAULTS.lookbackMinutes,
    flag: { name: 'lookback-minutes', placeholder: 'N' },
    context: 'lookbackMinutes',
    prop: 'lookback',
    env: 'LOOKBACK_MINUTES',
  }),
  periodSeconds: setting<number>({
    kind: 'number',
    value: wholeNumber(PERIOD_SECONDS.min, PERIOD_SECONDS.max, ' seconds').refine(
      (value) => value % 60 === 0,
      { error: 'must be a multiple of 60 seconds' },
    ),
    allowed: `a multiple of 60 from ${PERIOD_SECONDS.min} to ${PERIOD_SECONDS.max}`,
    help: 'CloudWatch period the triage counts requests and 5xx in, in seconds',
    default: DEFAULTS.periodSeconds,
    flag: { name: 'period-seconds', placeholder: 'N' },
    context: 'periodSeconds',
    prop: 'period',
    env: 'PERIOD_SECONDS',
  }),
  highErrorRatio: setting<number>({
    kind: 'number',
    value: share,
    allowed: 'a number greater than 0 and at most 1',
    help: '5xx share that makes a stage high-frequency',
    default: DEFAULTS.highErrorRatio,
    flag: { name: 'high-error-ratio', placeholder: 'X' },
    context: 'highErrorRatio',
    prop: 'thresholds.highErrorRatio',
    env: 'THRESHOLDS.highErrorRatio',
  }),
  continuousPeriodShare: setting<number>({
    kind: 'number',
    value: share,
    allowed: 'a number greater than 0 and at most 1',
    help: 'share of periods with 5xx above which the errors are continuous',
    default: DEFAULTS.continuousPeriodShare,
    flag: { name: 'continuous-period-share', placeholder: 'X' },
    context: 'continuousPeriodShare',
    prop: 'thresholds.continuousPeriodShare',
    env: 'THRESHOLDS.continuousPeriodShare',
  }),
  minRequests: setting<number>({
    kind: 'number',
    value: wholeNumber(1, 1_000_000_000, '', 'must be greater than 0'),
    allowed: 'a positive integer',
    help: 'requests below which a 5xx ratio never makes a stage high-frequency',
    default: DEFAULTS.minRequests,
    flag: { name: 'min-requests', placeholder: 'N' },
    context: 'minRequests',
    prop: 'thresholds.minRequests',
    env: 'THRESHOLDS.minRequests',
  }),
  transientErrorRatio: setting<number>({
    kind: 'number',
    value: share,
    allowed: 'a number greater than 0 and at most 1',
    help: '5xx share below which errors are transient, however spread over the periods',
    default: DEFAULTS.transientErrorRatio,
    flag: { name: 'transient-error-ratio', placeholder: 'X' },
    context: 'transientErrorRatio',
    prop: 'thresholds.transientErrorRatio',
    env: 'THRESHOLDS.transientErrorRatio',
  }),
  allChecks: setting<boolean>({
    kind: 'boolean',
    value: z.boolean(),
    allowed: 'true or false',
    help:
      'scheduled runs: every check on every stage with traffic, not only those matching its 5xx pattern, ' +
      'so a broken hop is found before it fails; costs more API calls (the CLI: --checks all)',
    default: false,
    context: 'allChecks',
    env: 'ALL_CHECKS',
  }),
  accessLogGroupPrefix: setting<string>({
    kind: 'text',
    value: z.string().refine((prefix) => accessLogGroupPrefixProblem(prefix) === null, {
      error: (issue) => accessLogGroupPrefixProblem(String(issue.input)) ?? 'is invalid',
    }),
    allowed: `the start of your access log groups' names: 2 to 255 letters, digits or _ - . / # (no wildcard), not covering ${EXECUTION_LOG_GROUP_PREFIX}`,
    help: 'also search HTTP access-log groups named PREFIX... for network errors',
    defaultText: 'none: access logs are not searched',
    flag: { name: 'access-log-group-prefix', placeholder: 'PREFIX' },
    context: 'accessLogGroupPrefix',
    prop: 'accessLogGroupPrefix',
    env: 'ACCESS_LOG_GROUP_PREFIX',
  }),
  minSeverity: setting<(typeof SEVERITIES)[number]>({
    kind: 'text',
    value: z.enum(SEVERITIES, { error: `must be one of ${SEVERITIES.join(', ')}` }),
    allowed: `one of ${SEVERITIES.join(', ')}`,
    help: 'open findings below this severity are not announced',
    default: DEFAULTS.minSeverity,
    context: 'minSeverity',
    prop: 'notify.minSeverity',
    env: 'MIN_SEVERITY',
  }),
  reminderIntervalHours: setting<number>({
    kind: 'number',
    value: wholeNumber(0, 8760, ' hours'),
    allowed: 'an integer from 0 (no reminders) to 8760 (hours)',
    help: 'hours after which a still-open finding is announced again; 0: never',
    default: DEFAULTS.reminderIntervalHours,
    context: 'reminderIntervalHours',
    prop: 'notify.reminderIntervalHours',
    env: 'REMINDER_INTERVAL_HOURS',
  }),
  sendAllClear: setting<boolean>({
    kind: 'boolean',
    value: z.boolean(),
    allowed: 'true or false',
    help: 'announce when the last open finding resolves',
    default: DEFAULTS.sendAllClear,
    context: 'sendAllClear',
    prop: 'notify.sendAllClear',
    env: 'SEND_ALL_CLEAR',
  }),
  topicArn: setting<string>({
    kind: 'text',
    value: z
      .string()
      .regex(TOPIC_ARN, { error: 'must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)' }),
    allowed: 'an SNS topic ARN',
    help: "the SNS topic findings are published to; deployed: a standard (not FIFO) topic of the stack's Region whose owner lets the alarms publish (deployment.md#publishing-to-an-existing-topic)",
    defaultText: 'the stack creates one',
    flag: { name: 'topic-arn', placeholder: 'ARN' },
    context: 'existingTopicArn',
    prop: 'existingTopicArn',
    env: 'TOPIC_ARN',
  }),
} as const;

export type SettingName = keyof typeof SETTINGS;
type ValueOf<S> = S extends Setting<infer T> ? T : never;
export type SettingValues = { [K in SettingName]: ValueOf<(typeof SETTINGS)[K]> };
