/**
 * The CLI's arguments, parsed and validated without touching the environment, the network or the
 * file system: argv in, a command (or the message that says what is wrong) out.
 */
import { parseArgs } from 'node:util';
import { closest, distance } from 'fastest-levenshtein';
import { z } from 'zod';
import { accessLogGroupPrefixProblem } from '../collect/log-groups';
import {
  apiIdSchema,
  LOOKBACK_MINUTES,
  lookbackMinutesSchema,
  lookbackProblem,
  periodSecondsSchema,
  regionSchema,
} from '../config/audit-input';
import { SEVERITIES, type Severity, type Thresholds } from '../domain/types';
import { DEFAULT_THRESHOLDS } from '../triage/classify-stage';

export const OUTPUT_FORMATS = [
  'text',
  'json',
  'markdown',
  'csv',
  'junit',
  'asff',
  'ocsf',
  'sarif',
  'html',
] as const;
/** What --list-checks can print. */
export const LIST_FORMATS = ['text', 'json', 'markdown'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/**
 * `causes` fails the run when a stage's verdict names a cause (a FAIL that stops traffic or makes it
 * fail); a severity, on any FAIL at or above it, hygiene included; `none` never fails on findings.
 */
export const FAIL_ON_LEVELS = ['causes', ...SEVERITIES, 'none'] as const;
export type FailOn = 'causes' | Severity | 'none';

export const DEFAULT_LOOKBACK_MINUTES = 60;
export const DEFAULT_PERIOD_SECONDS = 300;
export const DEFAULT_FAIL_ON: FailOn = 'causes';

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
  /** The report's old layout: one line per finding whatever its width. */
  wide: boolean;
  /** No progress on stderr, even on a terminal. */
  quiet: boolean;
  /** Check ids not to run (--exclude-checks, comma-separated or repeated). */
  excludeChecks: string[];
  /** JSON file of mute rules and excluded checks (lambda/engine/suppressions.ts). */
  muteFile?: string;
  /** The AWS profile of --profile (the SDK's AWS_PROFILE otherwise). */
  profile?: string;
  /** Present when --publish was given. */
  publish?: { topicArn: string; stateTableName?: string };
  /** Access-log groups are searched only under this name prefix (--access-log-group-prefix). */
  accessLogGroupPrefix?: string;
  /** Present with --accounts: audit these accounts through their member role, not the caller's own. */
  accounts?: AccountsOption;
}

/** `--accounts` with `--role-name` (and `--external-id`): the accounts and how to reach them. */
export interface AccountsOption {
  ids: string[];
  roleName: string;
  externalId?: string;
}

export type CliCommand =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'print-iam-policy'; memberRole?: { roleName: string; accounts: string[] } }
  | { kind: 'list-checks'; format: (typeof LIST_FORMATS)[number]; outputFile?: string; color: boolean }
  | { kind: 'audit'; options: AuditOptions };

export type ParseOutcome = { ok: true; command: CliCommand } | { ok: false; message: string };

export const USAGE = `Usage: api-network-auditor [options]

Finds why API Gateway answers 504 "Network error communicating with endpoint"
for APIs behind VPC links, in the account of the current AWS credentials.

What to audit:
  --region REGION       Region to audit; repeat for several (default:
                        AWS_REGION, AWS_DEFAULT_REGION, the profile's region)
  --accounts IDS        audit these accounts (12-digit ids, comma-separated)
                        instead of the credentials' own, each by assuming
                        --role-name in it; one merged report
  --role-name NAME      the member role to assume (needed with --accounts)
  --external-id ID      sent with AssumeRole when the role's trust asks for it
  --profile NAME        AWS profile to use (default: AWS_PROFILE)
  --api API_ID          only this API (10 letters or digits); repeatable
  --checks triage|all   triage: checks that match each stage's 5xx pattern
                        (default); all: every check on every stage with traffic
  --lookback-minutes N  metrics window, ${LOOKBACK_MINUTES.min}-${LOOKBACK_MINUTES.max}, whole periods (default: ${DEFAULT_LOOKBACK_MINUTES})
  --period-seconds N    metric period, 60-3600, multiple of 60 (default: ${DEFAULT_PERIOD_SECONDS})
  --end-time TIME       window end, ISO 8601, for a past incident (default: now)
  --high-error-ratio X  5xx share that makes a stage high-frequency (${DEFAULT_THRESHOLDS.highErrorRatio})
  --continuous-period-share X
                        share of periods with 5xx that is continuous (${DEFAULT_THRESHOLDS.continuousPeriodShare})
  --min-requests N      requests below which a ratio is not high-frequency (${DEFAULT_THRESHOLDS.minRequests})
  --transient-error-ratio X
                        5xx share below which errors are transient, however
                        spread (${DEFAULT_THRESHOLDS.transientErrorRatio})
  --endpoint-url URL    send every AWS call here (e.g. a local emulator)
  --exclude-checks IDS  leave these checks out (comma-separated check ids)
  --mute-file FILE      JSON of findings to mute, each with a reason and an
                        optional expiry (see docs/cli.md, "Muting findings")
  --access-log-group-prefix PREFIX
                        also search HTTP access-log groups named PREFIX...
                        for network errors (default: none)

Output:
  --format FORMAT       ${OUTPUT_FORMATS.join('|')}
                        (default: text)
  --output FILE         write the report to FILE instead of stdout
  --wide                text: one line per fact, however wide (default: 80 cols)
  --fail-on LEVEL       exit 1 when a stage's verdict names a cause (causes), or
                        a FAIL is at or above a severity (critical|high|medium|
                        low|info, hygiene included); none (default: ${DEFAULT_FAIL_ON})
  -q, --quiet           no progress on stderr (shown only on a terminal)
  --no-color            no colours (also: NO_COLOR, or stdout not a terminal)

Notify:
  --publish             publish the findings to SNS (needs --topic-arn)
  --topic-arn ARN       SNS topic to publish to
  --state-table NAME    DynamoDB table of what was sent: publish only what is
                        new, changed or resolved (default: every finding once)

Other:
  --list-checks         list the checks and exit (takes --format, --output)
  --print-iam-policy    print the IAM policy (JSON) the audit needs and exit;
                        with --role-name (and --accounts): the caller's policy,
                        sts:AssumeRole on the member roles
  -h, --help            show this help
  -V, --version         show the version

Exit status: 0 nothing at --fail-on and a complete audit, 1 a failure at
--fail-on, 2 could not run, 3 incomplete: some data could not be read (the
report names what) and no failure was found in what was read.
With --accounts, an account whose role cannot be assumed is an ERROR line in
the report and a warning, not a failed run; 2 when no account could be audited.
`;

const positiveInteger = z.coerce
  .number({ error: 'must be a whole number' })
  .int({ error: 'must be a whole number' })
  .positive({ error: 'must be greater than 0' });

const share = z.coerce
  .number({ error: 'must be a number' })
  .gt(0, { error: 'must be greater than 0 and at most 1' })
  .max(1, { error: 'must be greater than 0 and at most 1' });

/** A number flag read with the same rules as the Lambda's event (audit-input.ts). */
const sharedNumber = (schema: z.ZodType<number, number>) =>
  z.coerce.number({ error: 'must be a number' }).pipe(schema);

const optionValues = z
  .object({
    region: z.array(regionSchema),
    profile: z
      .string()
      .regex(/^[\w.@+=,:/-]{1,128}$/, { error: 'must be the name of a profile in ~/.aws/config' })
      .optional(),
    'endpoint-url': z.url({ error: 'must be a URL such as http://127.0.0.1:5000' }).optional(),
    'lookback-minutes': sharedNumber(lookbackMinutesSchema).default(DEFAULT_LOOKBACK_MINUTES),
    'period-seconds': sharedNumber(periodSecondsSchema).default(DEFAULT_PERIOD_SECONDS),
    'high-error-ratio': share.default(DEFAULT_THRESHOLDS.highErrorRatio),
    'continuous-period-share': share.default(DEFAULT_THRESHOLDS.continuousPeriodShare),
    'min-requests': positiveInteger.default(DEFAULT_THRESHOLDS.minRequests),
    'transient-error-ratio': share.default(DEFAULT_THRESHOLDS.transientErrorRatio),
    'end-time': z.iso
      .datetime({ offset: true, error: 'must be an ISO 8601 time such as 2026-11-29T12:00:00Z' })
      .transform((value) => new Date(value))
      .optional(),
    api: z.array(apiIdSchema),
    checks: z.enum(['triage', 'all'], { error: 'must be triage or all' }).default('triage'),
    format: z.enum(OUTPUT_FORMATS, { error: `must be one of ${OUTPUT_FORMATS.join(', ')}` }).default('text'),
    output: z.string().min(1, { error: 'needs a file name' }).optional(),
    'mute-file': z.string().min(1, { error: 'needs a file name' }).optional(),
    'exclude-checks': z
      .array(z.string())
      .transform((values) => values.flatMap((value) => value.split(',')).map((id) => id.trim()))
      .pipe(z.array(z.string().regex(/^[a-z0-9-]+$/, { error: 'must list check ids separated by commas' }))),
    'access-log-group-prefix': z
      .string()
      .refine((prefix) => accessLogGroupPrefixProblem(prefix) === null, {
        error: (issue) => accessLogGroupPrefixProblem(String(issue.input)) ?? 'is invalid',
      })
      .optional(),
    'fail-on': z
      .enum(FAIL_ON_LEVELS, { error: `must be one of ${FAIL_ON_LEVELS.join(', ')}` })
      .default(DEFAULT_FAIL_ON),
    'topic-arn': z
      .string()
      .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]+(\.fifo)?$/, {
        error: 'must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)',
      })
      .optional(),
    'state-table': z
      .string()
      .regex(/^[\w.-]{3,255}$/, { error: 'must be a DynamoDB table name' })
      .optional(),
    accounts: z
      .array(z.string())
      .transform((values) =>
        values
          .flatMap((value) => value.split(','))
          .map((id) => id.trim())
          .filter((id) => id !== ''),
      )
      .pipe(
        z.array(
          z.string().regex(/^\d{12}$/, {
            error: (issue) =>
              `must list 12-digit account ids separated by commas (got '${String(issue.input).slice(0, 40)}')`,
          }),
        ),
      ),
    'role-name': z
      .string()
      .regex(/^[\w+=,.@-]{1,64}$/, { error: 'must be an IAM role name (1-64 letters, digits and +=,.@_-)' })
      .optional(),
    'external-id': z
      .string()
      .regex(/^[\w+=,.@:/-]{2,1224}$/, {
        error: 'must be 2-1224 letters, digits and +=,.@:/_- (as the role trust policy names it)',
      })
      .optional(),
  })
  .superRefine((values, context) => {
    const problem = lookbackProblem(values['lookback-minutes'], values['period-seconds'], '--period-seconds');
    if (problem) context.addIssue({ code: 'custom', path: ['lookback-minutes'], message: problem });
  });

const FLAGS = {
  region: { type: 'string', multiple: true },
  profile: { type: 'string' },
  'endpoint-url': { type: 'string' },
  'lookback-minutes': { type: 'string' },
  'period-seconds': { type: 'string' },
  'end-time': { type: 'string' },
  'high-error-ratio': { type: 'string' },
  'continuous-period-share': { type: 'string' },
  'min-requests': { type: 'string' },
  'transient-error-ratio': { type: 'string' },
  'access-log-group-prefix': { type: 'string' },
  api: { type: 'string', multiple: true },
  checks: { type: 'string' },
  format: { type: 'string' },
  output: { type: 'string' },
  'fail-on': { type: 'string' },
  publish: { type: 'boolean' },
  'topic-arn': { type: 'string' },
  'state-table': { type: 'string' },
  accounts: { type: 'string', multiple: true },
  'role-name': { type: 'string' },
  'external-id': { type: 'string' },
  'exclude-checks': { type: 'string', multiple: true },
  'mute-file': { type: 'string' },
  'list-checks': { type: 'boolean' },
  'print-iam-policy': { type: 'boolean' },
  wide: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} as const;

type FlagName = keyof typeof FLAGS;

/** Flags that only mean something for an audit: --list-checks refuses them rather than ignore them. */
const AUDIT_ONLY_FLAGS = [
  'region',
  'profile',
  'endpoint-url',
  'lookback-minutes',
  'period-seconds',
  'end-time',
  'high-error-ratio',
  'continuous-period-share',
  'min-requests',
  'transient-error-ratio',
  'access-log-group-prefix',
  'api',
  'checks',
  'fail-on',
  'publish',
  'topic-arn',
  'state-table',
  'wide',
  'exclude-checks',
  'mute-file',
  'accounts',
  'role-name',
  'external-id',
] as const satisfies readonly FlagName[];

const failure = (message: string): ParseOutcome => ({ ok: false, message });

const FLAG_NAMES = Object.keys(FLAGS).map((name) => `--${name}`);

/** `--regoin` -> `--region`: the known flag nearest in spelling, when it is near enough to be a typo. */
export function suggestFlag(given: string): string | undefined {
  const name = given.split('=')[0] ?? given;
  const nearest = closest(name, FLAG_NAMES);
  return distance(name, nearest) <= Math.max(2, Math.floor(nearest.length / 3)) ? nearest : undefined;
}

/** Our words for node:util parseArgs' errors, which speak of positionals and `<value>` placeholders. */
function describeParseError(error: unknown): string {
  const { code, message } = error as { code?: string; message: string };
  const option = /'(-{1,2}[^' ]+)/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const suggestion = suggestFlag(option);
    return `unknown option ${option}${suggestion ? ` (did you mean ${suggestion}?)` : ''}`;
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const argument = /'([^']*)'/.exec(message)?.[1] ?? '';
    return `unexpected argument '${argument}': every value follows its flag (e.g. --api ${argument})`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return message.includes('argument missing') ? `${option} needs a value` : `${option} takes no value`;
  }
  return message;
}

/** `--lookback-minutes -1` is a value, not a flag: joined as `--lookback-minutes=-1` so the flag's own rule answers. */
function joinNegativeNumbers(argv: readonly string[]): string[] {
  const joined: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] as string;
    const next = argv[index + 1];
    const flag = FLAGS[arg.replace(/^--/, '') as FlagName] as { type: string } | undefined;
    if (arg.startsWith('--') && flag?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${arg}=${next}`);
      index += 1;
    } else {
      joined.push(arg);
    }
  }
  return joined;
}

const describeIssue = (issue: z.core.$ZodIssue): string =>
  issue.path.length > 0 ? `--${String(issue.path[0])} ${issue.message}` : issue.message;

export function parseCliArgs(argv: readonly string[]): ParseOutcome {
  let raw: ReturnType<typeof parseArgs<{ options: typeof FLAGS; strict: true; allowPositionals: false }>>;
  try {
    raw = parseArgs({
      args: joinNegativeNumbers(argv),
      options: FLAGS,
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    return failure(describeParseError(error));
  }
  const flags = raw.values;
  if (flags.help) return { ok: true, command: { kind: 'help' } };
  if (flags.version) return { ok: true, command: { kind: 'version' } };
  const parsed = optionValues.safeParse({
    ...flags,
    region: flags.region ?? [],
    api: flags.api ?? [],
    'exclude-checks': flags['exclude-checks'] ?? [],
    accounts: flags.accounts ?? [],
  });
  if (flags['print-iam-policy']) return printIamPolicyCommand(flags, parsed);
  if (!parsed.success) return failure(parsed.error.issues.map(describeIssue).join('\n'));
  const values = parsed.data;
  const color = !flags['no-color'];

  if (flags['list-checks']) {
    const listFormat = LIST_FORMATS.find((format) => format === values.format);
    if (!listFormat) {
      return failure(`--list-checks prints ${LIST_FORMATS.join(', ')} (got --format ${values.format})`);
    }
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
        format: listFormat,
        color,
        ...optional('outputFile', values.output),
      },
    };
  }

  const accounts = accountsOption(flags, values);
  if (typeof accounts === 'string') return failure(accounts);
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
      transientErrorRatio: values['transient-error-ratio'],
    },
    format: values.format,
    failOn: values['fail-on'],
    color,
    wide: flags.wide ?? false,
    quiet: flags.quiet ?? false,
    excludeChecks: [...new Set(values['exclude-checks'])],
    ...optional('muteFile', values['mute-file']),
    ...optional('profile', values.profile),
    ...optional('endpointUrl', values['endpoint-url']),
    ...optional('outputFile', values.output),
    ...optional('endTime', values['end-time']),
    ...optional('accessLogGroupPrefix', values['access-log-group-prefix']),
    ...optional('accounts', accounts),
  };
  if (flags.publish && values['topic-arn']) {
    options.publish = {
      topicArn: values['topic-arn'],
      ...optional('stateTableName', values['state-table']),
    };
  }
  return { ok: true, command: { kind: 'audit', options } };
}

type ParsedFlags = ReturnType<
  typeof parseArgs<{ options: typeof FLAGS; strict: true; allowPositionals: false }>
>['values'];
type ParsedValues = z.infer<typeof optionValues>;

/** --accounts with its --role-name, or the message that says which of the three is wrong. */
function accountsOption(flags: ParsedFlags, values: ParsedValues): AccountsOption | undefined | string {
  if (flags.accounts === undefined) {
    const stray = (['role-name', 'external-id'] as const).filter((flag) => flags[flag] !== undefined);
    if (stray.length === 0) return undefined;
    return `--${stray.join(' and --')} only ${stray.length === 1 ? 'works' : 'work'} with --accounts`;
  }
  if (values.accounts.length === 0) return '--accounts needs at least one 12-digit account id';
  if (!values['role-name'])
    return '--accounts needs --role-name NAME: the role the member-account template creates in each account';
  return {
    ids: [...new Set(values.accounts)],
    roleName: values['role-name'],
    ...optional('externalId', values['external-id']),
  };
}

/** --print-iam-policy alone, or with --role-name (and --accounts): the caller's policy for an organization audit. */
function printIamPolicyCommand(
  flags: ParsedFlags,
  parsed: ReturnType<typeof optionValues.safeParse>,
): ParseOutcome {
  const allowed = ['print-iam-policy', 'role-name', 'accounts'];
  const others = Object.keys(flags).filter((flag) => !allowed.includes(flag));
  if (others.length > 0)
    return failure(
      `--print-iam-policy takes no other flag than --role-name and --accounts (got --${others.join(', --')})`,
    );
  if (flags['role-name'] === undefined && flags.accounts === undefined)
    return { ok: true, command: { kind: 'print-iam-policy' } };
  if (!parsed.success) {
    const relevant = parsed.error.issues.filter((issue) => allowed.includes(String(issue.path[0])));
    if (relevant.length > 0) return failure(relevant.map(describeIssue).join('\n'));
  }
  const roleName = parsed.data?.['role-name'];
  if (!roleName) return failure('--print-iam-policy --accounts needs --role-name NAME');
  return {
    ok: true,
    command: {
      kind: 'print-iam-policy',
      memberRole: { roleName, accounts: [...new Set(parsed.data?.accounts ?? [])] },
    },
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
