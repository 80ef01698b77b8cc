/**
 * The pipeline every entry point shares (Lambda handler, CLI, demo, benchmark):
 * triage (CloudWatch) -> collect (only the stages that need checks) -> evaluate -> report.
 */
import type { AwsCredentialIdentity } from '@smithy/types';
import packageJson from '../package.json';
import { type AnyPlugin, CallStats, createClients } from './collect/clients';
import { AuditDeadline } from './collect/deadline';
import type { AuditWindow, ClassifiedStage, Finding, Report, Thresholds } from './domain/types';
import { evaluateChecks } from './engine/evaluate';
import { applySuppressions, NO_SUPPRESSIONS, type Suppressions } from './engine/suppressions';
import { attachFixes } from './fixes';
import { auditedPath } from './path/components';
import { buildReport } from './report/build-report';
import { describeErrors } from './report/unreadable-parts';
import { classifyStage } from './triage/classify-stage';
import { readTraffic, type StageMetricKey } from './triage/read-traffic';

export interface AuditProgress {
  phase: 'triage' | 'collect' | 'evaluate' | 'done';
  region: string;
  /** 1-based position of `region` among the audited Regions, and how many there are. */
  regionIndex: number;
  regionCount: number;
  /** Stages triaged so far, over every Region. */
  stagesSeen: number;
  /** Stages whose path is being (or has been) followed in this Region, and how many of them are done. */
  pathsToFollow: number;
  pathsFollowed: number;
  /** AWS calls made so far; a progress event is sent after each call as well as at each phase. */
  awsCalls: number;
}

export interface AuditRequest {
  regions: string[];
  lookbackMinutes: number;
  periodSeconds: number;
  /** Only the APIs of these ids or names (all when absent or empty). */
  apiIds?: string[];
  /** Only these stages, as CloudWatch names them (an alarm contributor); all when absent. */
  stages?: StageMetricKey[];
  /** Run every check on every stage with traffic, not only those the triage selects. */
  allChecks: boolean;
  /** Access-log groups are searched only when their name starts with this; never when absent. */
  accessLogGroupPrefix?: string;
  /** Search REST execution logs (off for member accounts unless opted in). @default true */
  executionLogs?: boolean;
  thresholds: Thresholds;
  /** The audited account when the caller knows it (no STS call then); read with STS otherwise. */
  account?: string;
  endpoint?: string;
  credentials?: AwsCredentialIdentity;
  /** The audit's clock. @default new Date() */
  now?: Date;
  /** Epoch ms after which no more collection starts, so a partial report can still be delivered. */
  deadline?: number;
  plugins?: AnyPlugin[];
  onProgress?: (progress: AuditProgress) => void;
  /** Checks to leave out and findings to mute (lambda/engine/suppressions.ts). */
  suppressions?: Suppressions;
}

/** Middleware that reports progress after every AWS call, answered or failed. */
function afterEachCall(report: () => void): AnyPlugin {
  return {
    applyToStack: (stack) => {
      stack.add(
        (next) => async (args) => {
          try {
            return await next(args);
          } finally {
            report();
          }
        },
        { step: 'initialize', name: 'auditProgressMiddleware', override: true },
      );
    },
  };
}

export const TOOL = { name: packageJson.name, version: packageJson.version } as const;

/** The window ends at the last full period before `now`, so every run sees complete periods only. */
export function auditWindow(now: Date, lookbackMinutes: number, periodSeconds: number): AuditWindow {
  const periodMs = periodSeconds * 1000;
  const end = Math.floor(now.getTime() / periodMs) * periodMs;
  const start = end - lookbackMinutes * 60_000;
  return { start: new Date(start).toISOString(), end: new Date(end).toISOString(), periodSeconds };
}

/** Stages the collector follows: the failing ones, or every stage with traffic when all checks are asked for. */
export function stagesNeedingChecks(stages: ClassifiedStage[], allChecks: boolean): ClassifiedStage[] {
  return stages.filter((stage) =>
    allChecks
      ? stage.classification !== 'no-traffic'
      : stage.classification === 'low-frequency' || stage.classification === 'high-frequency',
  );
}

/**
 * The path collector and, through it, the EC2, ELB and Logs SDK packages load on first use: most
 * scheduled runs find nothing failing and never need them (EC2 alone is a third of the load time).
 */
const loadCollector = () => require('./collect/inventory') as typeof import('./collect/inventory');
const loadAccountReader = () => require('./triage/read-account') as typeof import('./triage/read-account');

export async function runAudit(request: AuditRequest): Promise<Report> {
  const started = Date.now();
  const now = request.now ?? new Date();
  const window = auditWindow(now, request.lookbackMinutes, request.periodSeconds);
  const stats = new CallStats();
  let current: Omit<AuditProgress, 'awsCalls'> = {
    phase: 'triage',
    region: request.regions[0] ?? '',
    regionIndex: 1,
    regionCount: request.regions.length,
    stagesSeen: 0,
    pathsToFollow: 0,
    pathsFollowed: 0,
  };
  const reportProgress = () => request.onProgress?.({ ...current, awsCalls: stats.total() });
  const progress = (update: Partial<typeof current>) => {
    current = { ...current, ...update };
    reportProgress();
  };
  const deadline = request.deadline === undefined ? undefined : new AuditDeadline(request.deadline);
  const pastDeadline = () => deadline?.passed() ?? false;
  const plugins = [
    ...(deadline ? [deadline.plugin()] : []),
    ...(request.onProgress ? [afterEachCall(reportProgress)] : []),
    ...(request.plugins ?? []),
  ];

  const stages: ClassifiedStage[] = [];
  const findings: Finding[] = [];
  const incompleteReasons: string[] = [];
  let account: string | null = request.account ?? null;

  for (const [index, region] of request.regions.entries()) {
    if (pastDeadline()) {
      incompleteReasons.push(`time budget exhausted before Region ${region} was audited`);
      continue;
    }
    const clients = createClients(
      {
        region,
        ...(request.endpoint ? { endpoint: request.endpoint } : {}),
        ...(request.credentials ? { credentials: request.credentials } : {}),
        ...(plugins.length > 0 ? { plugins } : {}),
        ...(deadline ? { abortSignal: deadline.signal } : {}),
      },
      stats,
    );
    account ??= await loadAccountReader().readAccountId(clients);

    progress({ phase: 'triage', region, regionIndex: index + 1, pathsToFollow: 0, pathsFollowed: 0 });
    const filter = {
      ...(request.apiIds?.length ? { apiIds: request.apiIds } : {}),
      ...(request.stages ? { stages: request.stages } : {}),
    };
    const triage = await readTraffic(clients, window, filter);
    for (const error of triage.errors) {
      incompleteReasons.push(`${error.action} failed in ${region} (${error.code}): ${error.message}`);
    }
    const classified = triage.traffic.map((traffic) => classifyStage(traffic, request.thresholds, window));
    const firstOfRegion = stages.length;
    stages.push(...classified);
    progress({ stagesSeen: stages.length });

    const toFollow = stagesNeedingChecks(classified, request.allChecks);
    if (toFollow.length === 0) continue;
    if (pastDeadline()) {
      incompleteReasons.push(
        `time budget exhausted before the path of ${toFollow.length} stage(s) in ${region} was read`,
      );
      continue;
    }
    progress({ phase: 'collect', pathsToFollow: toFollow.length });
    const inventory = await loadCollector().collectInventory(clients, toFollow, window, account, {
      ...(request.accessLogGroupPrefix ? { accessLogGroupPrefix: request.accessLogGroupPrefix } : {}),
      ...(request.executionLogs === false ? { executionLogs: false } : {}),
    });
    progress({ phase: 'evaluate', pathsFollowed: toFollow.length });
    findings.push(...attachFixes(evaluateChecks(inventory, { allChecks: request.allChecks })));
    for (const followed of inventory.stages) {
      const index = stages.indexOf(followed.stage, firstOfRegion);
      if (index >= 0) stages[index] = { ...followed.stage, auditedPath: auditedPath(followed, inventory) };
    }
  }
  deadline?.dispose();
  if (deadline && deadline.refused + deadline.aborted > 0) {
    incompleteReasons.push(
      `time budget ran out: ${deadline.refused} AWS call(s) were not made and ${deadline.aborted} were ` +
        'aborted in flight; the checks that needed them report ERROR',
    );
  }

  const suppressed = applySuppressions(findings, request.suppressions ?? NO_SUPPRESSIONS, now);
  incompleteReasons.push(...describeErrors(suppressed.findings));
  progress({ phase: 'done' });
  const built = buildReport({
    tool: TOOL,
    generatedAt: now.toISOString(),
    account,
    regions: request.regions,
    window,
    thresholds: request.thresholds,
    stages,
    findings: suppressed.findings,
    stats: { durationMs: Date.now() - started, awsCalls: { ...stats.calls }, retries: stats.retries },
    incompleteReasons,
  });
  const excluded = request.suppressions?.excludeChecks ?? [];
  return {
    ...built,
    ...(suppressed.muted.length > 0 ? { muted: suppressed.muted } : {}),
    ...(excluded.length > 0 ? { excludedChecks: [...excluded] } : {}),
  };
}
