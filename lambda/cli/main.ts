/**
 * The CLI as a function: argv, streams and environment in, exit code out. `bin/cli.ts` is a thin
 * shell over it. Everything that reaches AWS or the file system comes through `CliDeps`, loaded
 * lazily so that `--help` and the unit tests never load the SDK clients.
 */
import { writeFile } from 'node:fs/promises';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { AuditProgress, AuditRequest } from '../audit';
import type { CheckDefinition } from '../domain/check';
import { type Report, SEVERITIES } from '../domain/types';
import type { FindingStateStore } from '../notify/finding-state';
import type { notifyReport } from '../notify/publish-report';
import { DEFAULT_NOTIFY_SETTINGS } from '../notify/settings';
import { renderMarkdown } from '../report/render-markdown';
import { renderText } from '../report/render-text';
import { renderCheckList } from './list-checks';
import { MemoryStateStore } from './memory-state-store';
import { type AuditOptions, type FailOn, type OutputFormat, parseCliArgs, USAGE } from './parse-args';

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
  notifyReport: typeof notifyReport;
  listChecks(): Promise<readonly CheckDefinition[]>;
  /** Proves the default credential chain yields working credentials (STS GetCallerIdentity); throws otherwise. */
  /** Checks the credentials work; returns the account they belong to (reused by the audit). */
  verifyCredentials(target: AwsEndpoint): Promise<string | undefined>;
  /** The Region of the SDK's shared config (AWS_PROFILE's `region`), when there is one. */
  profileRegion(): Promise<string | undefined>;
  createSnsClient(target: AwsEndpoint): Promise<SNSClient>;
  createStateStore(target: AwsEndpoint, tableName: string): Promise<FindingStateStore>;
  writeFile(path: string, content: string): Promise<void>;
  version(): string;
  now(): Date;
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_CANNOT_RUN = 2;

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
      if (error.showUsage) io.stderr.write(`\n${USAGE}`);
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
  const regions = options.regions.length > 0 ? options.regions : await defaultRegions(io.env, deps);
  const firstRegion = regions[0] as string;
  const endpoint = options.endpointUrl ? { endpoint: options.endpointUrl } : {};
  const account = await verifyCredentialsOrExplain({ region: firstRegion, ...endpoint }, deps);

  const progress = io.isTTY.stderr ? progressLine(io) : undefined;
  let report: Report;
  try {
    report = await deps.runAudit({
      regions,
      lookbackMinutes: options.lookbackMinutes,
      periodSeconds: options.periodSeconds,
      allChecks: options.allChecks,
      thresholds: options.thresholds,
      ...(account ? { account } : {}),
      now: options.endTime ?? deps.now(),
      ...(options.apiIds.length > 0 ? { apiIds: options.apiIds } : {}),
      ...(options.endpointUrl ? { endpoint: options.endpointUrl } : {}),
      ...(options.accessLogGroupPrefix ? { accessLogGroupPrefix: options.accessLogGroupPrefix } : {}),
      ...(progress ? { onProgress: progress.update } : {}),
    });
  } finally {
    progress?.finish();
  }

  const color = wantsColor(options.color && !options.outputFile, io);
  await emit(renderReport(report, options.format, color), options.outputFile, io, deps);
  if (!report.complete) {
    io.stderr.write(
      `api-network-auditor: warning: the audit is incomplete (${report.incompleteReasons.length} reason(s), see the report)\n`,
    );
  }
  if (options.publish) await publish(report, options.publish, options.endpointUrl, io, deps);
  return hasFailureAtOrAbove(report, options.failOn) ? EXIT_FINDINGS : EXIT_OK;
}

export function renderReport(report: Report, format: OutputFormat, color: boolean): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'markdown':
      return renderMarkdown(report);
    case 'text':
      return renderText(report, { color });
  }
}

/** True when a FAIL finding's severity is `failOn` or higher (`none` never fails). */
export function hasFailureAtOrAbove(report: Report, failOn: FailOn): boolean {
  if (failOn === 'none') return false;
  const limit = SEVERITIES.indexOf(failOn);
  return report.findings.some(
    (finding) => finding.status === 'FAIL' && SEVERITIES.indexOf(finding.severity) <= limit,
  );
}

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function wantsColor(requested: boolean, io: CliIo): boolean {
  return requested && io.isTTY.stdout && !io.env.NO_COLOR;
}

async function defaultRegions(env: CliIo['env'], deps: CliDeps): Promise<string[]> {
  const fromEnv = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (fromEnv) return [fromEnv];
  const fromProfile = await deps.profileRegion().catch(() => undefined);
  if (fromProfile) return [fromProfile];
  throw new CliUsageError(
    'no AWS Region to audit. Pass --region REGION (repeat it for several Regions), set AWS_REGION, ' +
      'or set a region in your AWS profile (aws configure set region us-east-1).',
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

async function verifyCredentialsOrExplain(target: AwsEndpoint, deps: CliDeps): Promise<string | undefined> {
  try {
    return await deps.verifyCredentials(target);
  } catch (error) {
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

/** One self-rewriting line on a terminal's stderr: phase, Region, stages seen, AWS calls. */
function progressLine(io: CliIo): { update: (event: AuditProgress) => void; finish: () => void } {
  let shown = false;
  return {
    update: (event) => {
      shown = true;
      io.stderr.write(
        `\r\u001b[K${event.phase} ${event.region}: ${event.stagesSeen} API stage(s) seen, ${event.awsCalls} AWS call(s)`,
      );
    },
    finish: () => {
      if (shown) io.stderr.write('\r\u001b[K');
    },
  };
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
  createSnsClient: async (target) => load.clients().createClients(target).sns,
  createStateStore: async (target, tableName) => {
    const { DynamoDbStateStore } =
      require('../notify/dynamodb-state-store') as typeof import('../notify/dynamodb-state-store');
    return new DynamoDbStateStore(load.clients().createClients(target).dynamodb, tableName);
  },
  writeFile: (path, content) => writeFile(path, content, 'utf8'),
  version: () => (require('../../package.json') as { version: string }).version,
  now: () => new Date(),
};
