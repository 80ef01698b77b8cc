/**
 * The Lambda's configuration, from the environment variables the CDK construct sets. Parsed once
 * per invocation (cheap), so a broken deployment fails loudly naming the variable.
 */
import { z } from 'zod';
import { CHECKS } from '../checks/index';
import { accessLogGroupPrefixProblem } from '../collect/log-groups';
import { SEVERITIES, type Thresholds } from '../domain/types';
import { InvalidSuppressionsError, parseSuppressions, type Suppressions } from '../engine/suppressions';
import { DEFAULT_NOTIFY_SETTINGS, type NotifySettings } from '../notify/settings';
import { DEFAULT_THRESHOLDS } from '../triage/classify-stage';
import { REGION_NAME } from './manual-event';

export interface AuditorEnvironment {
  /** The Region the function runs in: where its topic and table live. */
  region: string;
  auditRegions: string[];
  lookbackMinutes: number;
  periodSeconds: number;
  thresholds: Thresholds;
  topicArn: string;
  stateTableName: string;
  notify: NotifySettings;
  /** Access-log groups are searched only under this name prefix; never when absent. */
  accessLogGroupPrefix?: string;
  /** A custom endpoint for every AWS call (the local emulator in end-to-end tests); AWS when absent. */
  endpoint?: string;
  /** SUPPRESSIONS: checks excluded and findings muted, the JSON of the CLI's --mute-file. */
  suppressions?: Suppressions;
}

export class InvalidEnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment: ${problems.join('; ')}`);
    this.name = 'InvalidEnvironmentError';
  }
}

const positiveInt = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { error: 'must be a whole number' })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, { error: `must be at least ${min}` })
        .max(max, { error: `must be at most ${max}` }),
    );

const thresholdsSchema = z.strictObject({
  highErrorRatio: z.number().gt(0).max(1).optional(),
  continuousPeriodShare: z.number().gt(0).max(1).optional(),
  minRequests: z.number().int().min(0).optional(),
  transientErrorRatio: z.number().gt(0).max(1).optional(),
});

const thresholdsJson = z.string().transform((text, context) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    context.addIssue({ code: 'custom', message: 'must be JSON' });
    return z.NEVER;
  }
});

const environmentSchema = z.object({
  AWS_REGION: z.string().regex(REGION_NAME, { error: 'must be a Region name' }),
  AUDIT_REGIONS: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((region) => region.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(REGION_NAME, { error: 'must list Region names separated by commas' })))
    .optional(),
  LOOKBACK_MINUTES: positiveInt(5, 1440).optional(),
  PERIOD_SECONDS: positiveInt(60, 3600).optional(),
  THRESHOLDS: thresholdsJson.pipe(thresholdsSchema).optional(),
  TOPIC_ARN: z.string().startsWith('arn:', { error: 'must be an SNS topic ARN' }),
  STATE_TABLE_NAME: z.string().min(3, { error: 'must be a DynamoDB table name' }),
  MIN_SEVERITY: z.enum(SEVERITIES, { error: `must be one of ${SEVERITIES.join(', ')}` }).optional(),
  REMINDER_INTERVAL_HOURS: positiveInt(0, 8760).optional(),
  SEND_ALL_CLEAR: z.enum(['true', 'false'], { error: "must be 'true' or 'false'" }).optional(),
  AWS_ENDPOINT_URL: z.url({ error: 'must be a URL' }).optional(),
  SUPPRESSIONS: z.string().optional(),
  ACCESS_LOG_GROUP_PREFIX: z
    .string()
    .refine((prefix) => accessLogGroupPrefixProblem(prefix) === null, {
      error: (issue) => accessLogGroupPrefixProblem(String(issue.input)) ?? 'is invalid',
    })
    .optional(),
});

const blankAsAbsent = (env: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '',
    ),
  );

export function parseEnvironment(env: Record<string, string | undefined>): AuditorEnvironment {
  const parsed = environmentSchema.safeParse(blankAsAbsent(env));
  if (!parsed.success) {
    throw new InvalidEnvironmentError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'} ${issue.message}`),
    );
  }
  const value = parsed.data;
  let suppressions: Suppressions | undefined;
  try {
    suppressions = value.SUPPRESSIONS
      ? parseSuppressions(
          value.SUPPRESSIONS,
          'SUPPRESSIONS',
          CHECKS.map((check) => check.id),
        )
      : undefined;
  } catch (error) {
    if (error instanceof InvalidSuppressionsError) throw new InvalidEnvironmentError([error.message]);
    throw error;
  }
  return {
    region: value.AWS_REGION,
    auditRegions:
      value.AUDIT_REGIONS && value.AUDIT_REGIONS.length > 0
        ? [...new Set(value.AUDIT_REGIONS)]
        : [value.AWS_REGION],
    lookbackMinutes: value.LOOKBACK_MINUTES ?? 60,
    periodSeconds: value.PERIOD_SECONDS ?? 300,
    thresholds: { ...DEFAULT_THRESHOLDS, ...value.THRESHOLDS },
    topicArn: value.TOPIC_ARN,
    stateTableName: value.STATE_TABLE_NAME,
    notify: {
      minSeverity: value.MIN_SEVERITY ?? DEFAULT_NOTIFY_SETTINGS.minSeverity,
      reminderIntervalHours: value.REMINDER_INTERVAL_HOURS ?? DEFAULT_NOTIFY_SETTINGS.reminderIntervalHours,
      sendAllClear:
        value.SEND_ALL_CLEAR === undefined
          ? DEFAULT_NOTIFY_SETTINGS.sendAllClear
          : value.SEND_ALL_CLEAR === 'true',
    },
    ...(value.AWS_ENDPOINT_URL ? { endpoint: value.AWS_ENDPOINT_URL } : {}),
    ...(suppressions ? { suppressions } : {}),
    ...(value.ACCESS_LOG_GROUP_PREFIX ? { accessLogGroupPrefix: value.ACCESS_LOG_GROUP_PREFIX } : {}),
  };
}
