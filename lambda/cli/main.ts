/**
 * The CLI as a function: argv, streams and environment in, exit code out. `bin/cli.ts` is a thin
 * shell over it. Everything that reaches AWS or the file system comes through `CliDeps`, loaded
 * lazily so that `--help` and the unit tests never load the SDK clients.
 */
import { constants } from 'node:fs';
import { access, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { AuditRequest } from '../audit';
import type { CheckDefinition } from '../checks/check-definition';
import { limitConcurrency } from '../collect/concurrency';
import { windowProblem } from '../config/audit-input';
import { type Report, SEVERITIES } from '../domain/types';
import {
  expiredRules,
  InvalidSuppressionsError,
  loadSuppressions,
  type Suppressions,
} from '../engine/suppressions';
import type { FindingStateStore } from '../notify/finding-state';
import type { notifyReport } from '../notify/publish-report';
import { DEFAULT_NOTIFY_SETTINGS } from '../notify/settings';
import type { AuditTargetFn, MergeReportsFn, TargetOutcome } from '../org/contract';
import { AsffUnavailableError, renderAsff } from '../report/formats/asff';
import { renderCsv } from '../report/formats/csv';
import { renderHtml } from '../report/formats/html';
import { renderJunit } from '../report/formats/junit';
import { renderOcsf } from '../report/formats/ocsf';
import { renderSarif } from '../report/formats/sarif';
import { renderMarkdown } from '../report/render-markdown';
import { renderText } from '../report/render-text';
import { assumeMemberRolePolicy, iamPolicyDocument, renderIamPolicy } from './iam-policy';
import { renderCheckList } from './list-checks';
import { MemoryStateStore } from './memory-state-store';
import {
  type AuditOptions,
  type FailOn,
  type OutputFormat,
  parseCliArgs,
  type ReportOutput,
  USAGE,
} from './parse-args';
import { startProgress } from './progress';

export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: Record<string, string | undefined>;
  isTTY: { stdout: boolean; stderr: boolean };
}

export interface AwsEndpoint {
  region: string;
  endpoint?: string;
}

export interface CliDeps {
  runAudit(request: AuditRequest): Promise<Report>;
  /** One account and Region through its member role (--accounts): lambda/org/audit-target.ts. */
  auditTarget: AuditTargetFn;
  mergeReports: MergeReportsFn;
  notifyReport: typeof notifyReport;
  listChecks(): Promise<readonly CheckDefinition[]>;
  /** Proves the default credential chain yields working credentials (STS GetCallerIdentity); throws otherwise. */
  /** Checks the credentials work; returns the account they belong to (reused by the audit). */
  verifyCredentials(target: AwsEndpoint): Promise<string | undefined>;
  /** The Region of the SDK's shared config (AWS_PROFILE's `region`), when there is one. */
  profileRegion(): Promise<string | undefined>;
  /** The profiles the shared config and credentials files define, and where those files are. */
  sharedProfiles(): Promise<{ names: string[]; configFile: string; credentialsFile: string }>;
  /** Makes every SDK client that is created afterwards use this profile. */
  useProfile(name: string): void;
  /** The read-only actions the audit calls (lambda/iam-actions.ts). */
  iamActions(): Promise<readonly string[]>;
  createSnsClient(target: AwsEndpoint): Promise<SNSClient>;
  createStateStore(target: AwsEndpoint, tableName: string): Promise<FindingStateStore>;
  writeFile(path: string, content: string): Promise<void>;
  /** Throws unless `path` is a directory this process may write files into. */
  checkWritableDirectory(path: string): Promise<void>;
  readFile(path: string): Promise<string>;
  version(): string;
  now(): Date;
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_CANNOT_RUN = 2;
/** The audit ran but could not read everything, and found no failure in what it read: never an all-clear. */
export const EXIT_INCOMPLETE = 3;

/** A failure that stops the CLI with exit code 2 and a message saying what to do. */
export class CliUsageError extends Error {
  constructor(
    message: string,
    readonly showUsage: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CliUsageError';
  }
}

/** The one line a usage error ends with: the whole help would scroll the error away. */
export const HELP_HINT = "Run 'api-network-auditor --help' for the options.";

export async function runCli(
  argv: readonly string[],
  io: CliIo,
  deps: Partial<CliDeps> = {},
): Promise<number> {
  const use: CliDeps = { ...defaultDeps, ...deps };
  try {
    return await dispatch(argv, io, use);
  } catch (error) {
    if (error instanceof CliUsageError) {
      io.stderr.write(`api-network-auditor: ${error.message}\n`);
      if (error.showUsage) io.stderr.write(`${HELP_HINT}\n`);
      return EXIT_CANNOT_RUN;
    }
    io.stderr.write(`api-network-auditor: the audit could not run: ${describeError(error)}\n`);
    return EXIT_CANNOT_RUN;
  }
}

async function dispatch(argv: readonly string[], io: CliIo, deps: CliDeps): Promise<number> {
  const parsed = parseCliArgs(argv);
  if (!parsed.ok) throw new CliUsageError(parsed.message, true);
  const command = parsed.command;
  switch (command.kind) {
    case 'help':
      io.stdout.write(USAGE);
      return EXIT_OK;
    case 'version':
      io.stdout.write(`${deps.version()}\n`);
      return EXIT_OK;
    case 'print-iam-policy':
      io.stdout.write(
        renderIamPolicy(
          command.memberRole
            ? assumeMemberRolePolicy(command.memberRole.roleName, command.memberRole.accounts)
            : iamPolicyDocument(await deps.iamActions()),
        ),
      );
      return EXIT_OK;
    case 'list-checks': {
      const checks = await deps.listChecks();
      const color = wantsColor(command.color && !command.outputFile, io);
      await emit(renderCheckList(checks, command.format, { color }), command.outputFile, io, deps);
      return EXIT_OK;
    }
    case 'audit':
      return audit(command.options, io, deps);
  }
}

async function audit(options: AuditOptions, io: CliIo, deps: CliDeps): Promise<number> {
  const now = deps.now();
  const end = options.endTime ?? now;
  // An emulator (--endpoint-url) keeps whatever it was given: only AWS's retention bounds the past there.
  const impossible = windowProblem(end, options.lookbackMinutes, options.periodSeconds, now, {
    retention: !options.endpointUrl,
  });
  if (impossible) throw new CliUsageError(`--end-time: ${impossible}`, true);
  await checkOutputWritable(options.output, deps);
  const suppressions = await loadCliSuppressions(options, deps);
  for (const rule of expiredRules(suppressions, now)) {
    io.stderr.write(
      `api-network-auditor: warning: a mute rule expired on ${rule.expires} (${rule.findingId ?? rule.checkId}: ${rule.reason}); its findings are reported again\n`,
    );
  }
  const profile = await selectProfile(
    options.profile ?? io.env.AWS_PROFILE,
    options.profile !== undefined,
    deps,
  );
  const regions = options.regions.length > 0 ? options.regions : await defaultRegions(io.env, profile, deps);
  const firstRegion = regions[0] as string;
  const endpoint = options.endpointUrl ? { endpoint: options.endpointUrl } : {};
  const account = await verifyCredentialsOrExplain({ region: firstRegion, ...endpoint }, profile, deps);

  const request = {
    lookbackMinutes: options.lookbackMinutes,
    periodSeconds: options.periodSeconds,
    allChecks: options.allChecks,
    thresholds: options.thresholds,
    now: end,
    ...(options.apis.length > 0 ? { apiIds: options.apis } : {}),
    ...(options.endpointUrl ? { endpoint: options.endpointUrl } : {}),
    ...(options.accessLogGroupPrefix ? { accessLogGroupPrefix: options.accessLogGroupPrefix } : {}),
    ...(suppressions ? { suppressions } : {}),
  };
  const showProgress = io.isTTY.stderr && !options.quiet;
  let report: Report;
  if (options.accounts) {
    report = await auditAccounts(options.accounts, regions, request, showProgress ? io : undefined, deps);
  } else {
    const progress = showProgress ? startProgress((text) => io.stderr.write(text)) : undefined;
    try {
      report = await deps.runAudit({
        ...request,
        regions,
        ...(account ? { account } : {}),
        ...(progress ? { onProgress: progress.update } : {}),
      });
    } finally {
      progress?.finish();
    }
  }

  const unknownApis = apisNotFound(report, options.apis);
  if (unknownApis.length > 0) {
    throw new CliUsageError(
      `--api ${unknownApis.join(', ')}: no stage of an API of ${unknownApis.length === 1 ? 'this id or name' : 'these ids or names'} ` +
        `in ${regions.join(', ')} (${report.apis.length} stage(s) of other APIs found). ` +
        'Check the id (aws apigateway get-rest-apis, aws apigatewayv2 get-apis) and --region.',
      false,
    );
  }
  await emitReport(report, options, io, deps);
  if (!report.complete) {
    io.stderr.write(
      `api-network-auditor: warning: the audit is incomplete (${report.incompleteReasons.length} reason(s), see the report)\n`,
    );
  }
  const unreachable = (report.accounts ?? []).filter((entry) => entry.status === 'error');
  for (const entry of unreachable) {
    io.stderr.write(
      `api-network-auditor: warning: account ${entry.id} could not be audited (${entry.error?.action} ${entry.error?.code}): ${entry.error?.message}\n`,
    );
  }
  if (options.publish) await publish(report, options.publish, options.endpointUrl, io, deps);
  // The report (with each account's ERROR line) is out; an audit that reached no account did not run.
  if (report.accounts && report.accounts.length > 0 && unreachable.length === report.accounts.length)
    return EXIT_CANNOT_RUN;
  return exitCodeOf(report, options.failOn);
}

/** 1 on a failure at `failOn`; else 3 when the audit is incomplete; else 0. */
export function exitCodeOf(report: Report, failOn: FailOn): number {
  if (hasFailureAtOrAbove(report, failOn)) return EXIT_FINDINGS;
  return report.complete ? EXIT_OK : EXIT_INCOMPLETE;
}

/**
 * Items of an organization audit in flight at once. Each item is one account and Region, and API
 * Gateway's quotas are per account and Region, so no two items ever share a quota; the bound keeps
 * a workstation's connections and the caller's STS AssumeRole rate small.
 */
export const CLI_FAN_OUT_CONCURRENCY = 4;

/** --accounts: every account times every Region, a few at a time, merged into one report. */
async function auditAccounts(
  accounts: NonNullable<AuditOptions['accounts']>,
  regions: readonly string[],
  base: Parameters<AuditTargetFn>[2],
  progressTo: CliIo | undefined,
  deps: CliDeps,
): Promise<Report> {
  const targets = accounts.ids.flatMap((account) => regions.map((region) => ({ account, region })));
  const access = {
    roleName: accounts.roleName,
    ...(accounts.externalId ? { externalId: accounts.externalId } : {}),
  };
  const limit = limitConcurrency(CLI_FAN_OUT_CONCURRENCY);
  let done = 0;
  const outcomes: TargetOutcome[] = await Promise.all(
    targets.map((target) =>
      limit(async () => {
        // The member role searches execution logs only where its template opted in (SearchExecutionLogs).
        const outcome = await deps.auditTarget(target, access, { executionLogs: false, ...base });
        done += 1;
        const result = outcome.error ? `could not be audited (${outcome.error.code})` : 'audited';
        progressTo?.stderr.write(
          `api-network-auditor: ${target.account} ${target.region} ${result} (${done}/${targets.length})\n`,
        );
        return outcome;
      }),
    ),
  );
  const now = base.now ?? deps.now();
  return deps.mergeReports(outcomes, {
    // As runAudit's: the audit's clock (the end of the window asked for).
    generatedAt: now,
    window: load.audit().auditWindow(now, base.lookbackMinutes, base.periodSeconds),
    thresholds: base.thresholds,
  });
}

export function renderReport(
  report: Report,
  format: OutputFormat,
  text: { color: boolean; wide: boolean },
): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'markdown':
      return renderMarkdown(report);
    case 'text':
      return renderText(report, text);
    case 'csv':
      return renderCsv(report);
    case 'junit':
      return renderJunit(report);
    case 'asff':
      return renderAsff(report);
    case 'ocsf':
      return renderOcsf(report);
    case 'sarif':
      return renderSarif(report);
    case 'html':
      return renderHtml(report);
  }
}

function renderOrExplain(...args: Parameters<typeof renderReport>): string {
  try {
    return renderReport(...args);
  } catch (error) {
    if (error instanceof AsffUnavailableError)
      throw new CliUsageError(error.message, false, { cause: error });
    throw error;
  }
}

/** --mute-file and --exclude-checks through the loader the Lambda uses too; undefined when neither is given. */
async function loadCliSuppressions(options: AuditOptions, deps: CliDeps): Promise<Suppressions | undefined> {
  if (!options.muteFile && options.excludeChecks.length === 0) return undefined;
  const known = (await deps.listChecks()).map((check) => check.id);
  const excludeChecks = { ids: options.excludeChecks, source: '--exclude-checks' };
  const muteFile = options.muteFile
    ? { json: await readMuteFile(options.muteFile, deps), source: `--mute-file ${options.muteFile}` }
    : undefined;
  try {
    return loadSuppressions({ excludeChecks, ...(muteFile ? { muteFile } : {}) }, known);
  } catch (error) {
    if (error instanceof InvalidSuppressionsError)
      throw new CliUsageError(error.message, error.source === excludeChecks.source, { cause: error });
    throw error;
  }
}

async function readMuteFile(path: string, deps: CliDeps): Promise<string> {
  try {
    return await deps.readFile(path);
  } catch (error) {
    throw new CliUsageError(`could not read --mute-file ${path}: ${describeError(error)}`, false, {
      cause: error,
    });
  }
}

/** Asked-for API ids or names of which the audit found no stage in any audited Region. */
export function apisNotFound(report: Report, apis: readonly string[]): string[] {
  const found = new Set(report.apis.flatMap((api) => [api.apiId, api.apiName]));
  return apis.filter((api) => !found.has(api));
}

/**
 * `causes`: a stage's verdict names a FAIL as its cause (read from the report, never recomputed);
 * a severity: a FAIL finding's severity is `failOn` or higher; `none` never fails.
 */
export function hasFailureAtOrAbove(report: Report, failOn: FailOn): boolean {
  if (failOn === 'none') return false;
  if (failOn === 'causes') {
    const failing = new Set(report.findings.filter((f) => f.status === 'FAIL').map((f) => f.id));
    return report.apis.some((stage) => stage.verdict?.causes.some((id) => failing.has(id)));
  }
  const limit = SEVERITIES.indexOf(failOn);
  return report.findings.some(
    (finding) => finding.status === 'FAIL' && SEVERITIES.indexOf(finding.severity) <= limit,
  );
}

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function wantsColor(requested: boolean, io: CliIo): boolean {
  return requested && io.isTTY.stdout && !io.env.NO_COLOR;
}

/**
 * Makes `name` the profile every SDK client reads, after checking that the shared files define it:
 * the SDK's own error for a missing profile never names it.
 */
async function selectProfile(
  name: string | undefined,
  fromFlag: boolean,
  deps: CliDeps,
): Promise<SelectedProfile | undefined> {
  if (name === undefined || name === '') return undefined;
  const shared = await deps.sharedProfiles();
  const where = `${shared.configFile} or ${shared.credentialsFile}`;
  const origin = fromFlag ? '--profile' : 'AWS_PROFILE';
  if (!shared.names.includes(name)) {
    const suggestion = shared.names.length > 0 ? ` Profiles there: ${shared.names.join(', ')}.` : '';
    throw new CliUsageError(
      `${origin} '${name}': no such profile in ${where}.${suggestion} ` +
        `Create it with: aws configure --profile ${name}`,
      false,
    );
  }
  deps.useProfile(name);
  return { name, origin, where };
}

interface SelectedProfile {
  name: string;
  /** `--profile` or `AWS_PROFILE`: where the user set it. */
  origin: string;
  /** The shared files that were read. */
  where: string;
}

async function defaultRegions(
  env: CliIo['env'],
  profile: SelectedProfile | undefined,
  deps: CliDeps,
): Promise<string[]> {
  const fromEnv = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (fromEnv) return [fromEnv];
  const fromProfile = await deps.profileRegion().catch(() => undefined);
  if (fromProfile) return [fromProfile];
  const looked = profile
    ? `AWS_REGION, AWS_DEFAULT_REGION and profile '${profile.name}' in ${profile.where} set none`
    : 'AWS_REGION, AWS_DEFAULT_REGION and the default profile set none';
  const setIt = `aws configure set region us-east-1${profile ? ` --profile ${profile.name}` : ''}`;
  throw new CliUsageError(
    `no AWS Region to audit (${looked}). Pass --region REGION, set AWS_REGION, or: ${setIt}`,
    true,
  );
}

const CREDENTIAL_ERROR_NAMES = new Set([
  'CredentialsProviderError',
  'ProviderError',
  'TokenProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'UnrecognizedClientException',
  'InvalidAccessKeyId',
]);

export function isCredentialsError(error: unknown): boolean {
  return error instanceof Error && CREDENTIAL_ERROR_NAMES.has(error.name);
}

async function verifyCredentialsOrExplain(
  target: AwsEndpoint,
  profile: SelectedProfile | undefined,
  deps: CliDeps,
): Promise<string | undefined> {
  try {
    return await deps.verifyCredentials(target);
  } catch (error) {
    if (isCredentialsError(error) && profile) {
      throw new CliUsageError(
        `no usable AWS credentials from profile '${profile.name}' (${profile.origin}, in ${profile.where}): ` +
          `${describeError(error)}. For an SSO profile: aws sso login --profile ${profile.name}`,
        false,
        { cause: error },
      );
    }
    if (isCredentialsError(error)) {
      throw new CliUsageError(
        `no usable AWS credentials (${describeError(error)}). Configure them as for the AWS CLI: ` +
          'aws configure, aws sso login --profile NAME with AWS_PROFILE=NAME, or AWS_ACCESS_KEY_ID and ' +
          'AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) in the environment.',
        false,
        { cause: error },
      );
    }
    throw new CliUsageError(
      `could not reach AWS STS in ${target.region}${target.endpoint ? ` at ${target.endpoint}` : ''} to ` +
        `check the credentials (${describeError(error)}). Check the network, --region and --endpoint-url.`,
      false,
      { cause: error },
    );
  }
}

async function publish(
  report: Report,
  target: NonNullable<AuditOptions['publish']>,
  endpointUrl: string | undefined,
  io: CliIo,
  deps: CliDeps,
): Promise<void> {
  // The topic's own Region, whatever Regions were audited; the state table lives beside it.
  const region = target.topicArn.split(':')[3] as string;
  const aws = { region, ...(endpointUrl ? { endpoint: endpointUrl } : {}) };
  const store = target.stateTableName
    ? await deps.createStateStore(aws, target.stateTableName)
    : new MemoryStateStore();
  try {
    const outcome = await deps.notifyReport(report, {
      sns: await deps.createSnsClient(aws),
      topicArn: target.topicArn,
      store,
      settings: DEFAULT_NOTIFY_SETTINGS,
      now: deps.now(),
    });
    const detail = outcome.skippedReason ? ` (${outcome.skippedReason})` : '';
    io.stderr.write(
      `api-network-auditor: published ${outcome.published} message(s) to ${target.topicArn}: ` +
        `${outcome.changed} new or changed, ${outcome.resolved} resolved, ${outcome.reminders} reminder(s)${detail}\n`,
    );
  } catch (error) {
    throw new CliUsageError(
      `the report was written but publishing to ${target.topicArn} failed: ${describeError(error)}`,
      false,
      { cause: error },
    );
  }
}

/** The file each format is written to with --output-dir. */
export const REPORT_FILE_NAMES: Record<OutputFormat, string> = {
  text: 'report.txt',
  json: 'report.json',
  markdown: 'report.md',
  csv: 'report.csv',
  junit: 'report.junit.xml',
  asff: 'report.asff.json',
  ocsf: 'report.ocsf.json',
  sarif: 'report.sarif',
  html: 'report.html',
};

/** --output's directory or --output-dir, checked before the audit: a run never ends unable to write. */
async function checkOutputWritable(output: ReportOutput, deps: CliDeps): Promise<void> {
  if (output.kind === 'stdout') return;
  const [flag, directory] =
    output.kind === 'directory' ? ['--output-dir', output.path] : ['--output', dirname(output.path)];
  try {
    await deps.checkWritableDirectory(directory);
  } catch (error) {
    throw new CliUsageError(
      `${flag} ${output.path}: ${directory} is not a directory this user can write to (${describeError(error)}); nothing was audited`,
      false,
      { cause: error },
    );
  }
}

async function emitReport(report: Report, options: AuditOptions, io: CliIo, deps: CliDeps): Promise<void> {
  const { output } = options;
  const text = { color: wantsColor(options.color && output.kind === 'stdout', io), wide: options.wide };
  if (output.kind !== 'directory') {
    const file = output.kind === 'file' ? output.path : undefined;
    await emit(renderOrExplain(report, output.format, text), file, io, deps);
    return;
  }
  for (const format of output.formats) {
    await emit(renderOrExplain(report, format, text), join(output.path, REPORT_FILE_NAMES[format]), io, deps);
  }
}

async function emit(
  content: string,
  outputFile: string | undefined,
  io: CliIo,
  deps: CliDeps,
): Promise<void> {
  if (!outputFile) {
    io.stdout.write(content);
    return;
  }
  try {
    await deps.writeFile(outputFile, content);
  } catch (error) {
    throw new CliUsageError(`could not write --output ${outputFile}: ${describeError(error)}`, false, {
      cause: error,
    });
  }
  io.stderr.write(`api-network-auditor: report written to ${outputFile}\n`);
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/*
 * Loaded on first use with `require`, not `import()`: under the bin entry's CommonJS loader (tsx/cjs)
 * a dynamic `import()` of a .ts module resolves as plain ESM and fails.
 */
const load = {
  audit: () => require('../audit') as typeof import('../audit'),
  clients: () => require('../collect/clients') as typeof import('../collect/clients'),
  sts: () => require('@aws-sdk/client-sts') as typeof import('@aws-sdk/client-sts'),
};

const defaultDeps: CliDeps = {
  runAudit: async (request) => load.audit().runAudit(request),
  auditTarget: async (...args) =>
    (require('../org/audit-target') as typeof import('../org/audit-target')).auditTarget(...args),
  mergeReports: (...args) =>
    (require('../org/merge-reports') as typeof import('../org/merge-reports')).mergeReports(...args),
  notifyReport: async (report, notifyDeps) =>
    (require('../notify/publish-report') as typeof import('../notify/publish-report')).notifyReport(
      report,
      notifyDeps,
    ),
  listChecks: async () => (require('../checks/index') as typeof import('../checks/index')).CHECKS,
  verifyCredentials: async (target) => {
    const sts = load.clients().createClients({ ...target, maxAttempts: 2 }).sts;
    return (await sts.send(new (load.sts().GetCallerIdentityCommand)({}))).Account;
  },
  profileRegion: async () => new (load.sts().STSClient)({}).config.region(),
  sharedProfiles: async () => {
    const { loadSharedConfigFiles } = require('@smithy/core/config') as typeof import('@smithy/core/config');
    const files = await loadSharedConfigFiles({ ignoreCache: true });
    const names = new Set([...Object.keys(files.configFile), ...Object.keys(files.credentialsFile)]);
    return {
      names: [...names].sort(),
      configFile: process.env.AWS_CONFIG_FILE ?? '~/.aws/config',
      credentialsFile: process.env.AWS_SHARED_CREDENTIALS_FILE ?? '~/.aws/credentials',
    };
  },
  useProfile: (name) => {
    process.env.AWS_PROFILE = name;
  },
  iamActions: async () => (require('../iam-actions') as typeof import('../iam-actions')).AUDIT_IAM_ACTIONS,
  createSnsClient: async (target) => load.clients().createClients(target).sns,
  createStateStore: async (target, tableName) => {
    const { DynamoDbStateStore } =
      require('../notify/dynamodb-state-store') as typeof import('../notify/dynamodb-state-store');
    return new DynamoDbStateStore(load.clients().createClients(target).dynamodb, tableName);
  },
  writeFile: (path, content) => writeFile(path, content, 'utf8'),
  checkWritableDirectory: async (path) => {
    if (!(await stat(path)).isDirectory()) throw new Error('not a directory');
    await access(path, constants.W_OK);
  },
  readFile: (path) => readFile(path, 'utf8'),
  version: () => (require('../../package.json') as { version: string }).version,
  now: () => new Date(),
};
