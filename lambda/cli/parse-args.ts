/**
 * The CLI's arguments, parsed and validated without touching the environment, the network or the
 * file system: argv in, a command (or the message that says what is wrong) out. The flags that set
 * a setting (Regions, window, thresholds, ...) take their rules, defaults and help from
 * lambda/settings; every flag is declared once, in FLAGS.
 */
import { parseArgs } from 'node:util';
import { closest, distance } from 'fastest-levenshtein';
import { z } from 'zod';
import { apiSelectorSchema, lookbackProblem } from '../config/audit-input';
import { SEVERITIES, type Severity, type Thresholds } from '../domain/types';
import { SETTINGS, type Setting, type SettingName } from '../settings/settings';
import { FLAG_SETTINGS, textSchema } from '../settings/surfaces';

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

export const DEFAULT_FAIL_ON: FailOn = 'causes';

/** Where the report goes: stdout or one file in one format, or one file per format in a directory. */
export type ReportOutput =
  | { kind: 'stdout'; format: OutputFormat }
  | { kind: 'file'; format: OutputFormat; path: string }
  | { kind: 'directory'; formats: OutputFormat[]; path: string };

export interface AuditOptions {
  /** As given with --region; empty when the Region is to come from the environment. */
  regions: string[];
  endpointUrl?: string;
  lookbackMinutes: number;
  periodSeconds: number;
  /** End of the audited window (an incident in the past); now when absent. */
  endTime?: Date;
  /** API ids or names (--api); every API when empty. */
  apis: string[];
  allChecks: boolean;
  /** The triage's classification thresholds (the defaults, unless given). */
  thresholds: Thresholds;
  output: ReportOutput;
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

const HELP_COLUMN = 24;
const HELP_WIDTH = 78;

/** A setting's flag in the help: its placeholder, what it does, its default, wrapped under column 24. */
function settingHelp(name: SettingName): string {
  const setting = SETTINGS[name] as Setting<unknown>;
  const flag = `  --${setting.flag?.name} ${setting.flag?.placeholder}`;
  const byDefault =
    setting.default !== undefined ? String(setting.default) : (setting.defaultText?.split(';')[0] ?? '');
  const words =
    `${setting.help}${setting.flag?.repeatable ? '; repeatable' : ''} (default: ${byDefault})`.split(' ');
  const lines: string[] = [];
  let line = flag.length < HELP_COLUMN - 1 ? flag.padEnd(HELP_COLUMN) : `${flag}\n${' '.repeat(HELP_COLUMN)}`;
  let width = line.length - line.lastIndexOf('\n') - 1;
  for (const word of words) {
    if (width + word.length > HELP_WIDTH && width > HELP_COLUMN) {
      lines.push(line.trimEnd());
      line = ' '.repeat(HELP_COLUMN);
      width = HELP_COLUMN;
    }
    line += `${word} `;
    width += word.length + 1;
  }
  lines.push(line.trimEnd());
  return lines.join('\n');
}

/** The settings the help places by name; `otherSettingsHelp` lists the rest, so a new setting is in --help at once. */
const placedInHelp = new Set<SettingName>();
const placedHelp = (name: SettingName): string => {
  placedInHelp.add(name);
  return settingHelp(name);
};
/** Settings the help describes in its own words (their declared help speaks of the deployed stack). */
const WRITTEN_IN_HELP: ReadonlySet<SettingName> = new Set(['topicArn']);
const otherSettingsHelp = (): string =>
  (Object.keys(SETTINGS) as SettingName[])
    .filter((name) => SETTINGS[name].flag && !placedInHelp.has(name) && !WRITTEN_IN_HELP.has(name))
    .map((name) => `\n${settingHelp(name)}`)
    .join('');

export const USAGE = `Usage: api-network-auditor [options]

Finds why API Gateway answers 504 "Network error communicating with endpoint"
for APIs behind VPC links, in the account of the current AWS credentials.

What to audit:
${placedHelp('regions')}
  --accounts IDS        audit these accounts (12-digit ids, comma-separated)
                        instead of the credentials' own, each by assuming
                        --role-name in it; one merged report
  --role-name NAME      the member role to assume (needed with --accounts)
  --external-id ID      sent with AssumeRole when the role's trust asks for it
  --profile NAME        AWS profile to use (default: AWS_PROFILE)
  --api API             only this API, by id or by name; repeatable
  --checks triage|all   triage: checks that match each stage's 5xx pattern
                        (default); all: every check on every stage with traffic
${placedHelp('lookbackMinutes')}
${placedHelp('periodSeconds')}
  --end-time TIME       window end, ISO 8601, for a past incident (default: now)
${placedHelp('highErrorRatio')}
${placedHelp('continuousPeriodShare')}
${placedHelp('minRequests')}
${placedHelp('transientErrorRatio')}
  --endpoint-url URL    send every AWS call here (e.g. a local emulator)
  --exclude-checks IDS  leave these checks out (comma-separated check ids)
  --mute-file FILE      JSON of findings to mute, each with a reason and an
                        optional expiry (see docs/cli.md, "Muting findings")
${placedHelp('accessLogGroupPrefix')}${otherSettingsHelp()}

Output:
  --format FORMAT       ${OUTPUT_FORMATS.join('|')}
                        (default: text); repeat for several, with --output-dir
  --output FILE         write the report to FILE instead of stdout
  --output-dir DIR      write one file per --format into DIR (report.json,
                        report.csv, ...); DIR must exist and be writable
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

/** A flag of node:util's parseArgs, its rule (zod, on the text given), and whether only an audit takes it. */
interface Flag {
  type: 'string' | 'boolean';
  multiple?: boolean;
  short?: string;
  schema?: z.ZodType;
  auditOnly?: boolean;
}

const fileName = z.string().min(1, { error: 'needs a file name' });

/** A repeatable flag whose values may also be comma-separated: `--x a --x b,c` is [a, b, c]. */
const commaList = (item: z.ZodType<string, string>) =>
  z
    .array(z.string())
    .transform((values) =>
      values
        .flatMap((value) => value.split(','))
        .map((value) => value.trim())
        .filter((value) => value !== ''),
    )
    .pipe(z.array(item));

/** A flag that sets a setting of lambda/settings: its rules and help come from there. */
function settingFlag(name: SettingName): Flag {
  const setting = SETTINGS[name] as Setting<unknown>;
  const text = textSchema(setting);
  return setting.flag?.repeatable
    ? {
        type: 'string',
        multiple: true,
        auditOnly: true,
        schema: z
          .array(z.string())
          .transform((values) => values.join(','))
          .pipe(text),
      }
    : { type: 'string', auditOnly: true, schema: text };
}

const settingFlags = Object.fromEntries(
  [...FLAG_SETTINGS].map(([flag, name]) => [flag, settingFlag(name)]),
) as Record<string, Flag>;

/** Every flag, once: parseArgs' options, the values' rules and --list-checks' refusals come from here. */
const FLAGS: Record<string, Flag> = {
  ...settingFlags,
  profile: {
    type: 'string',
    auditOnly: true,
    schema: z
      .string()
      .regex(/^[\w.@+=,:/-]{1,128}$/, { error: 'must be the name of a profile in ~/.aws/config' }),
  },
  'endpoint-url': {
    type: 'string',
    auditOnly: true,
    schema: z.url({ error: 'must be a URL such as http://127.0.0.1:5000' }),
  },
  'end-time': {
    type: 'string',
    auditOnly: true,
    schema: z.iso
      .datetime({ offset: true, error: 'must be an ISO 8601 time such as 2026-11-29T12:00:00Z' })
      .transform((value) => new Date(value)),
  },
  api: { type: 'string', multiple: true, auditOnly: true, schema: z.array(apiSelectorSchema) },
  checks: {
    type: 'string',
    auditOnly: true,
    schema: z.enum(['triage', 'all'], { error: 'must be triage or all' }),
  },
  format: {
    type: 'string',
    multiple: true,
    schema: z.array(z.enum(OUTPUT_FORMATS, { error: `must be one of ${OUTPUT_FORMATS.join(', ')}` })),
  },
  output: { type: 'string', schema: fileName },
  'output-dir': {
    type: 'string',
    auditOnly: true,
    schema: z.string().min(1, { error: 'needs a directory' }),
  },
  'fail-on': {
    type: 'string',
    auditOnly: true,
    schema: z.enum(FAIL_ON_LEVELS, { error: `must be one of ${FAIL_ON_LEVELS.join(', ')}` }),
  },
  publish: { type: 'boolean', auditOnly: true },
  'state-table': {
    type: 'string',
    auditOnly: true,
    schema: z.string().regex(/^[\w.-]{3,255}$/, { error: 'must be a DynamoDB table name' }),
  },
  accounts: {
    type: 'string',
    multiple: true,
    auditOnly: true,
    schema: commaList(
      z.string().regex(/^\d{12}$/, {
        error: (issue) =>
          `must list 12-digit account ids separated by commas (got '${String(issue.input).slice(0, 40)}')`,
      }),
    ),
  },
  'role-name': {
    type: 'string',
    auditOnly: true,
    schema: z
      .string()
      .regex(/^[\w+=,.@-]{1,64}$/, { error: 'must be an IAM role name (1-64 letters, digits and +=,.@_-)' }),
  },
  'external-id': {
    type: 'string',
    auditOnly: true,
    schema: z.string().regex(/^[\w+=,.@:/-]{2,1224}$/, {
      error: 'must be 2-1224 letters, digits and +=,.@:/_- (as the role trust policy names it)',
    }),
  },
  'exclude-checks': {
    type: 'string',
    multiple: true,
    auditOnly: true,
    schema: commaList(z.string().regex(/^[a-z0-9-]+$/, { error: 'must list check ids separated by commas' })),
  },
  'mute-file': { type: 'string', auditOnly: true, schema: fileName },
  'list-checks': { type: 'boolean' },
  'print-iam-policy': { type: 'boolean' },
  wide: { type: 'boolean', auditOnly: true },
  quiet: { type: 'boolean', short: 'q' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
};

const PARSE_ARGS_OPTIONS = Object.fromEntries(
  Object.entries(FLAGS).map(([name, { type, multiple, short }]) => [
    name,
    { type, ...(multiple ? { multiple } : {}), ...(short ? { short } : {}) },
  ]),
) as Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;

/** The given flags' values, each held to its flag's rule; absent flags stay absent. */
const optionValues = z.object(
  Object.fromEntries(
    Object.entries(FLAGS).map(([name, flag]) => [name, (flag.schema ?? z.boolean()).optional()]),
  ),
);

/** Flags that only mean something for an audit: --list-checks refuses them rather than ignore them. */
const AUDIT_ONLY_FLAGS = Object.keys(FLAGS).filter((name) => FLAGS[name]?.auditOnly);

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
    const flag = FLAGS[arg.replace(/^--/, '')];
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

type ParsedFlags = Record<string, string | boolean | (string | boolean)[] | undefined>;
type ParsedValues = Record<string, unknown>;

/** The value of a setting's flag, or its default. */
function settingValue<T>(values: ParsedValues, name: SettingName): T {
  const setting = SETTINGS[name] as Setting<unknown>;
  return (values[setting.flag?.name ?? ''] ?? setting.default) as T;
}

export function parseCliArgs(argv: readonly string[]): ParseOutcome {
  let flags: ParsedFlags;
  try {
    flags = parseArgs({
      args: joinNegativeNumbers(argv),
      options: PARSE_ARGS_OPTIONS,
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    return failure(describeParseError(error));
  }
  if (flags.help) return { ok: true, command: { kind: 'help' } };
  if (flags.version) return { ok: true, command: { kind: 'version' } };
  const parsed = optionValues.safeParse(flags);
  if (flags['print-iam-policy']) return printIamPolicyCommand(flags, parsed);
  if (!parsed.success) return failure(parsed.error.issues.map(describeIssue).join('\n'));
  const values: ParsedValues = parsed.data;
  const color = !flags['no-color'];
  const formats: OutputFormat[] = [
    ...new Set((values.format as OutputFormat[] | undefined) ?? ['text' as const]),
  ];

  if (flags['list-checks']) {
    const listFormat = LIST_FORMATS.find((format) => format === formats[0]);
    if (formats.length > 1 || !listFormat) {
      return failure(
        `--list-checks prints one of ${LIST_FORMATS.join(', ')} (got --format ${formats.join(', ')})`,
      );
    }
    const extra = AUDIT_ONLY_FLAGS.filter((flag) => flags[flag] !== undefined);
    if (extra.length > 0) {
      return failure(
        `--list-checks takes only --format, --output and --no-color (got --${extra.join(', --')})`,
      );
    }
    const outputFile = values.output as string | undefined;
    return {
      ok: true,
      command: { kind: 'list-checks', format: listFormat, color, ...(outputFile ? { outputFile } : {}) },
    };
  }

  const output = reportOutput(
    formats,
    values.output as string | undefined,
    values['output-dir'] as string | undefined,
  );
  if (typeof output === 'string') return failure(output);
  const lookbackMinutes = settingValue<number>(values, 'lookbackMinutes');
  const periodSeconds = settingValue<number>(values, 'periodSeconds');
  const window = lookbackProblem(lookbackMinutes, periodSeconds, '--period-seconds');
  if (window) return failure(`--lookback-minutes ${window}`);
  const accounts = accountsOption(flags, values);
  if (typeof accounts === 'string') return failure(accounts);
  const topicArn = values['topic-arn'] as string | undefined;
  const stateTable = values['state-table'] as string | undefined;
  if (flags.publish && !topicArn) return failure('--publish needs --topic-arn ARN');
  if (!flags.publish && (topicArn || stateTable)) {
    return failure('--topic-arn and --state-table are only used with --publish');
  }

  const given = <T>(name: string): T | undefined => values[name] as T | undefined;
  const options: AuditOptions = {
    regions: [...new Set(given<string[]>('region') ?? [])],
    lookbackMinutes,
    periodSeconds,
    apis: [...new Set(given<string[]>('api') ?? [])],
    allChecks: given('checks') === 'all',
    thresholds: {
      highErrorRatio: settingValue(values, 'highErrorRatio'),
      continuousPeriodShare: settingValue(values, 'continuousPeriodShare'),
      minRequests: settingValue(values, 'minRequests'),
      transientErrorRatio: settingValue(values, 'transientErrorRatio'),
    },
    output,
    failOn: given<FailOn>('fail-on') ?? DEFAULT_FAIL_ON,
    color,
    wide: flags.wide === true,
    quiet: flags.quiet === true,
    excludeChecks: [...new Set(given<string[]>('exclude-checks') ?? [])],
    ...optional('muteFile', given<string>('mute-file')),
    ...optional('profile', given<string>('profile')),
    ...optional('endpointUrl', given<string>('endpoint-url')),
    ...optional('endTime', given<Date>('end-time')),
    ...optional('accessLogGroupPrefix', given<string>('access-log-group-prefix')),
    ...optional('accounts', accounts),
  };
  if (flags.publish && topicArn) {
    options.publish = { topicArn, ...optional('stateTableName', stateTable) };
  }
  return { ok: true, command: { kind: 'audit', options } };
}

/**
 * One format to stdout or --output; several (or any, with --output-dir) one file each in the
 * directory. Several formats to one stream would be one unreadable file: refused, never the last kept.
 */
function reportOutput(
  formats: OutputFormat[],
  file: string | undefined,
  directory: string | undefined,
): ReportOutput | string {
  if (file && directory) return '--output and --output-dir: give one or the other';
  if (directory) return { kind: 'directory', formats, path: directory };
  if (formats.length > 1) {
    return `--format ${formats.join(', ')}: several formats need --output-dir DIR (one file per format)`;
  }
  const format = formats[0] ?? 'text';
  return file ? { kind: 'file', format, path: file } : { kind: 'stdout', format };
}

/** --accounts with its --role-name, or the message that says which of the three is wrong. */
function accountsOption(flags: ParsedFlags, values: ParsedValues): AccountsOption | undefined | string {
  if (flags.accounts === undefined) {
    const stray = (['role-name', 'external-id'] as const).filter((flag) => flags[flag] !== undefined);
    if (stray.length === 0) return undefined;
    return `--${stray.join(' and --')} only ${stray.length === 1 ? 'works' : 'work'} with --accounts`;
  }
  const ids = (values.accounts as string[] | undefined) ?? [];
  const roleName = values['role-name'] as string | undefined;
  if (ids.length === 0) return '--accounts needs at least one 12-digit account id';
  if (!roleName)
    return '--accounts needs --role-name NAME: the role the member-account template creates in each account';
  return {
    ids: [...new Set(ids)],
    roleName,
    ...optional('externalId', values['external-id'] as string | undefined),
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
  const roleName = parsed.data?.['role-name'] as string | undefined;
  if (!roleName) return failure('--print-iam-policy --accounts needs --role-name NAME');
  return {
    ok: true,
    command: {
      kind: 'print-iam-policy',
      memberRole: { roleName, accounts: [...new Set((parsed.data?.accounts as string[] | undefined) ?? [])] },
    },
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
