/**
 * The CLI's arguments, parsed and validated without touching the environment, the network or the
 * file system: argv in, a command (or the message that says what is wrong) out.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { accessLogGroupPrefixProblem } from '../collect/log-groups';
import { SEVERITIES, type Severity, type Thresholds } from '../domain/types';
import { DEFAULT_THRESHOLDS } from '../triage/classify-stage';

export const OUTPUT_FORMATS = ['text', 'json', 'markdown'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** `none` never fails the run on findings (report only). */
export const FAIL_ON_LEVELS = [...SEVERITIES, 'none'] as const;
export type FailOn = Severity | 'none';

export const DEFAULT_LOOKBACK_MINUTES = 60;
export const DEFAULT_PERIOD_SECONDS = 300;
export const DEFAULT_FAIL_ON: FailOn = 'low';

export interface AuditOptions {
  /** As given with --region; empty when the Region is to come from the environment. */
  regions: string[];
  endpointUrl?: string;
  lookbackMinutes: number;
  periodSeconds: number;
  /** End of the audited window (an incident in the past); now when absent. */
  endTime?: Date;
  apiIds: string[];
  allChecks: boolean;
  /** The triage's classification thresholds (the defaults, unless given). */
  thresholds: Thresholds;
  format: OutputFormat;
  outputFile?: string;
  failOn: FailOn;
  color: boolean;
  /** Present when --publish was given. */
  publish?: { topicArn: string; stateTableName?: string };
  /** Access-log groups are searched only under this name prefix (--access-log-group-prefix). */
  accessLogGroupPrefix?: string;
}

export type CliCommand =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'list-checks'; format: OutputFormat; outputFile?: string; color: boolean }
  | { kind: 'audit'; options: AuditOptions };

export type ParseOutcome = { ok: true; command: CliCommand } | { ok: false; message: string };

export const USAGE = `Usage: api-network-auditor [options]

Finds why API Gateway answers 504 "Network error communicating with endpoint" for APIs behind
VPC links, in the account of the current AWS credentials (SDK default chain: env, profile, SSO...).

Options:
  --region REGION          Region to audit; repeat for several (default: AWS_REGION, AWS_DEFAULT_REGION,
                           or the profile's region)
  --api API_ID             audit only this API; repeat for several (default: every API)
  --checks triage|all      triage: run the checks that match each stage's 5xx pattern (default);
                           all: run every check on every stage
  --lookback-minutes N     window of CloudWatch metrics to read (default: ${DEFAULT_LOOKBACK_MINUTES})
  --period-seconds N       metric period, a multiple of 60 (default: ${DEFAULT_PERIOD_SECONDS})
  --high-error-ratio X     5xx share at or above which a stage is high-frequency
                           (0 < X <= 1, default: ${DEFAULT_THRESHOLDS.highErrorRatio})
  --continuous-period-share X
                           share of periods with 5xx that makes errors continuous
                           (0 < X <= 1, default: ${DEFAULT_THRESHOLDS.continuousPeriodShare})
  --min-requests N         requests below which the ratio alone never means high-frequency
                           (default: ${DEFAULT_THRESHOLDS.minRequests})
  --access-log-group-prefix PREFIX
                           search HTTP access-log groups whose name starts with PREFIX for network
                           errors (default: none; execution log groups are always searched)
  --end-time TIME          end of the window, ISO 8601 (e.g. 2026-11-29T12:00:00Z), to audit
                           a past incident (default: now)
  --format text|json|markdown
                           report format (default: text); json writes only the report to stdout
  --output FILE            write the report to FILE instead of stdout
  --fail-on SEVERITY       exit 1 when a FAIL finding is at or above SEVERITY:
                           critical|high|medium|low|info|none (default: ${DEFAULT_FAIL_ON})
  --publish                publish the findings to SNS (needs --topic-arn)
  --topic-arn ARN          SNS topic to publish to
  --state-table NAME       DynamoDB table of what was already sent: publish only new, changed and
                           resolved findings (default: no state, publish every finding once)
  --endpoint-url URL       send every AWS call to this endpoint (e.g. a local emulator)
  --list-checks            list the checks (id, severity, group, classifications, title) and exit
  --no-color               no colours in text output (also: NO_COLOR set, or stdout not a terminal)
  -h, --help               show this help
  -V, --version            show the version

Exit status: 0 no FAIL at or above --fail-on, 1 there is one, 2 the audit could not run.
`;

const positiveInteger = (flag: string) =>
  z.coerce
    .number({ error: `${flag} must be a whole number` })
    .int({ error: `${flag} must be a whole number` })
    .positive({ error: `${flag} must be greater than 0` });

const share = (flag: string) =>
  z.coerce
    .number({ error: `${flag} must be a number` })
    .gt(0, { error: `${flag} must be greater than 0 and at most 1` })
    .max(1, { error: `${flag} must be greater than 0 and at most 1` });

const optionValues = z
  .object({
    region: z.array(
      z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, {
        error: (issue) => `--region '${issue.input}' is not a Region name`,
      }),
    ),
    'endpoint-url': z.url({ error: '--endpoint-url must be a URL such as http://127.0.0.1:5000' }).optional(),
    'lookback-minutes': positiveInteger('--lookback-minutes')
      .max(7 * 24 * 60, { error: '--lookback-minutes must be at most 10080 (7 days)' })
      .default(DEFAULT_LOOKBACK_MINUTES),
    'period-seconds': positiveInteger('--period-seconds')
      .refine((value) => value % 60 === 0, { error: '--period-seconds must be a multiple of 60' })
      .default(DEFAULT_PERIOD_SECONDS),
    'high-error-ratio': share('--high-error-ratio').default(DEFAULT_THRESHOLDS.highErrorRatio),
    'continuous-period-share': share('--continuous-period-share').default(
      DEFAULT_THRESHOLDS.continuousPeriodShare,
    ),
    'min-requests': positiveInteger('--min-requests').default(DEFAULT_THRESHOLDS.minRequests),
    'end-time': z.iso
      .datetime({ offset: true, error: '--end-time must be an ISO 8601 time such as 2026-11-29T12:00:00Z' })
      .transform((value) => new Date(value))
      .optional(),
    'access-log-group-prefix': z
      .string()
      .refine((prefix) => accessLogGroupPrefixProblem(prefix) === null, {
        error: (issue) =>
          `--access-log-group-prefix ${accessLogGroupPrefixProblem(String(issue.input)) ?? 'is invalid'}`,
      })
      .optional(),
    api: z.array(z.string().min(1, { error: '--api needs an API id' })),
    checks: z.enum(['triage', 'all'], { error: '--checks must be triage or all' }).default('triage'),
    format: z.enum(OUTPUT_FORMATS, { error: '--format must be text, json or markdown' }).default('text'),
    output: z.string().min(1, { error: '--output needs a file name' }).optional(),
    'fail-on': z
      .enum(FAIL_ON_LEVELS, { error: `--fail-on must be one of ${FAIL_ON_LEVELS.join(', ')}` })
      .default(DEFAULT_FAIL_ON),
    'topic-arn': z
      .string()
      .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]+(\.fifo)?$/, {
        error: '--topic-arn must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)',
      })
      .optional(),
    'state-table': z
      .string()
      .regex(/^[\w.-]{3,255}$/, { error: '--state-table must be a DynamoDB table name' })
      .optional(),
  })
  .refine((values) => values['lookback-minutes'] * 60 >= values['period-seconds'], {
    error: '--lookback-minutes must cover at least one period (--period-seconds)',
  });

const FLAGS = {
  region: { type: 'string', multiple: true },
  'endpoint-url': { type: 'string' },
  'lookback-minutes': { type: 'string' },
  'period-seconds': { type: 'string' },
  'end-time': { type: 'string' },
  'high-error-ratio': { type: 'string' },
  'continuous-period-share': { type: 'string' },
  'min-requests': { type: 'string' },
  'access-log-group-prefix': { type: 'string' },
  api: { type: 'string', multiple: true },
  checks: { type: 'string' },
  format: { type: 'string' },
  output: { type: 'string' },
  'fail-on': { type: 'string' },
  publish: { type: 'boolean' },
  'topic-arn': { type: 'string' },
  'state-table': { type: 'string' },
  'list-checks': { type: 'boolean' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} as const;

/** Flags that only mean something for an audit: --list-checks refuses them rather than ignore them. */
const AUDIT_ONLY_FLAGS = [
  'region',
  'endpoint-url',
  'lookback-minutes',
  'period-seconds',
  'end-time',
  'high-error-ratio',
  'continuous-period-share',
  'min-requests',
  'access-log-group-prefix',
  'api',
  'checks',
  'fail-on',
  'publish',
  'topic-arn',
  'state-table',
] as const;

const failure = (message: string): ParseOutcome => ({ ok: false, message });

export function parseCliArgs(argv: readonly string[]): ParseOutcome {
  let raw: ReturnType<typeof parseArgs<{ options: typeof FLAGS; strict: true; allowPositionals: false }>>;
  try {
    raw = parseArgs({ args: [...argv], options: FLAGS, strict: true, allowPositionals: false });
  } catch (error) {
    return failure((error as Error).message);
  }
  const flags = raw.values;
  if (flags.help) return { ok: true, command: { kind: 'help' } };
  if (flags.version) return { ok: true, command: { kind: 'version' } };

  const parsed = optionValues.safeParse({ ...flags, region: flags.region ?? [], api: flags.api ?? [] });
  if (!parsed.success) return failure(parsed.error.issues.map((issue) => issue.message).join('\n'));
  const values = parsed.data;
  const color = !flags['no-color'];

  if (flags['list-checks']) {
    const extra = AUDIT_ONLY_FLAGS.filter((flag) => flags[flag] !== undefined);
    if (extra.length > 0) {
      return failure(
        `--list-checks takes only --format, --output and --no-color (got --${extra.join(', --')})`,
      );
    }
    return {
      ok: true,
      command: {
        kind: 'list-checks',
        format: values.format,
        color,
        ...optional('outputFile', values.output),
      },
    };
  }

  if (flags.publish && !values['topic-arn']) return failure('--publish needs --topic-arn ARN');
  if (!flags.publish && (values['topic-arn'] || values['state-table'])) {
    return failure('--topic-arn and --state-table are only used with --publish');
  }

  const options: AuditOptions = {
    regions: [...new Set(values.region)],
    lookbackMinutes: values['lookback-minutes'],
    periodSeconds: values['period-seconds'],
    apiIds: [...new Set(values.api)],
    allChecks: values.checks === 'all',
    thresholds: {
      highErrorRatio: values['high-error-ratio'],
      continuousPeriodShare: values['continuous-period-share'],
      minRequests: values['min-requests'],
    },
    format: values.format,
    failOn: values['fail-on'],
    color,
    ...optional('endpointUrl', values['endpoint-url']),
    ...optional('outputFile', values.output),
    ...optional('endTime', values['end-time']),
    ...optional('accessLogGroupPrefix', values['access-log-group-prefix']),
  };
  if (flags.publish && values['topic-arn']) {
    options.publish = {
      topicArn: values['topic-arn'],
      ...optional('stateTableName', values['state-table']),
    };
  }
  return { ok: true, command: { kind: 'audit', options } };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
