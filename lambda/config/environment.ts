/**
 * The Lambda's configuration, from the environment variables the CDK construct sets. Parsed once
 * per invocation (cheap), so a broken deployment fails loudly naming the variable.
 */
import { z } from 'zod';
import { CHECKS } from '../checks/index';
import type { Thresholds } from '../domain/types';
import { InvalidSuppressionsError, loadSuppressions, type Suppressions } from '../engine/suppressions';
import type { NotifySettings } from '../notify/settings';
import {
  REGION_NAME,
  SETTINGS,
  type Setting,
  type SettingName,
  type SettingValues,
} from '../settings/settings';
import { ENVIRONMENT_SETTINGS, textSchema } from '../settings/surfaces';

export interface AuditorEnvironment {
  /** The Region the function runs in: where its topic and table live. */
  region: string;
  auditRegions: string[];
  lookbackMinutes: number;
  periodSeconds: number;
  thresholds: Thresholds;
  /** Every setting of lambda/settings: from its variable, else its default (absent when it has none). */
  settings: Partial<SettingValues>;
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

/** THRESHOLDS: a JSON object whose members are the threshold settings, each with its own rules. */
const thresholdsSchema = z.strictObject({
  highErrorRatio: SETTINGS.highErrorRatio.value.optional(),
  continuousPeriodShare: SETTINGS.continuousPeriodShare.value.optional(),
  minRequests: SETTINGS.minRequests.value.optional(),
  transientErrorRatio: SETTINGS.transientErrorRatio.value.optional(),
});

const thresholdsJson = z.string().transform((text, context) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    context.addIssue({ code: 'custom', message: 'must be JSON' });
    return z.NEVER;
  }
});

/** Every setting with a variable of its own, read with the rules of lambda/settings. */
const settingVariables = Object.fromEntries(
  [...ENVIRONMENT_SETTINGS].map(([variable, name]) => [
    variable,
    textSchema(SETTINGS[name] as Setting<unknown>).optional(),
  ]),
);

const environmentSchema = z.object({
  ...settingVariables,
  AWS_REGION: z.string().regex(REGION_NAME, { error: 'must be a Region name' }),
  TOPIC_ARN: textSchema(SETTINGS.topicArn),
  THRESHOLDS: thresholdsJson.pipe(thresholdsSchema).optional(),
  STATE_TABLE_NAME: z.string().min(3, { error: 'must be a DynamoDB table name' }),
  AWS_ENDPOINT_URL: z.url({ error: 'must be a URL' }).optional(),
  SUPPRESSIONS: z.string().optional(),
});

const blankAsAbsent = (env: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '',
    ),
  );

/** Each setting from its variable (or THRESHOLDS member), else its default. */
function settingsOf(parsed: Record<string, unknown>): Partial<SettingValues> {
  const thresholds = (parsed.THRESHOLDS ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    (Object.keys(SETTINGS) as SettingName[])
      .map((name) => {
        const { env, default: byDefault } = SETTINGS[name] as { env?: string; default?: unknown };
        const given = env?.startsWith('THRESHOLDS.')
          ? thresholds[env.slice('THRESHOLDS.'.length)]
          : parsed[env ?? ''];
        return [name, given ?? byDefault];
      })
      .filter(([, value]) => value !== undefined),
  ) as Partial<SettingValues>;
}

/** SUPPRESSIONS through the loader the CLI uses too: the same JSON as --mute-file, the same rules. */
function environmentSuppressions(json: string | undefined): Suppressions | undefined {
  try {
    return loadSuppressions(
      json ? { muteFile: { json, source: 'SUPPRESSIONS' } } : {},
      CHECKS.map((check) => check.id),
    );
  } catch (error) {
    if (error instanceof InvalidSuppressionsError) throw new InvalidEnvironmentError([error.message]);
    throw error;
  }
}

export function parseEnvironment(env: Record<string, string | undefined>): AuditorEnvironment {
  const parsed = environmentSchema.safeParse(blankAsAbsent(env));
  if (!parsed.success) {
    throw new InvalidEnvironmentError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'} ${issue.message}`),
    );
  }
  const value = parsed.data;
  const settings = settingsOf(value);
  const suppressions = environmentSuppressions(value.SUPPRESSIONS);
  const regions = settings.regions ?? [];
  return {
    region: value.AWS_REGION,
    auditRegions: regions.length > 0 ? [...new Set(regions)] : [value.AWS_REGION],
    lookbackMinutes: settings.lookbackMinutes as number,
    periodSeconds: settings.periodSeconds as number,
    thresholds: {
      highErrorRatio: settings.highErrorRatio as number,
      continuousPeriodShare: settings.continuousPeriodShare as number,
      minRequests: settings.minRequests as number,
      transientErrorRatio: settings.transientErrorRatio as number,
    },
    settings,
    topicArn: value.TOPIC_ARN,
    stateTableName: value.STATE_TABLE_NAME,
    notify: {
      minSeverity: settings.minSeverity as NotifySettings['minSeverity'],
      reminderIntervalHours: settings.reminderIntervalHours as number,
      sendAllClear: settings.sendAllClear as boolean,
    },
    ...(value.AWS_ENDPOINT_URL ? { endpoint: value.AWS_ENDPOINT_URL } : {}),
    ...(suppressions ? { suppressions } : {}),
    ...(settings.accessLogGroupPrefix ? { accessLogGroupPrefix: settings.accessLogGroupPrefix } : {}),
  };
}
