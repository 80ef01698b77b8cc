/**
 * The state machine's last step: every item's part into one report (`mergeReports`), then one
 * notification through the same `notifyReport` and state table as the single-account stack, and the
 * same metrics (the incomplete-run alarm reads them). An item that left no part, or an unreadable
 * one, is an ERROR line for its account and Region: the report never passes over a target.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { z } from 'zod';
import { auditWindow } from '../audit';
import { CHECKS } from '../checks';
import { createClients } from '../collect/clients';
import { mapBounded } from '../collect/memo';
import { type AuditorEnvironment, parseEnvironment } from '../config/environment';
import type { Report } from '../domain/types';
import { DynamoDbStateStore } from '../notify/dynamodb-state-store';
import { type NotifyOutcome, notifyReport } from '../notify/publish-report';
import { publishAuditMetrics, type RunSummary, summarize } from '../run-summary';
import type { MergeReportsFn, TargetError, TargetOutcome } from './contract';
import type { TargetList } from './list-targets-handler';
import { mergeReports } from './merge-reports';
import { parseOrgEnvironment } from './org-environment';
import {
  ITEM_ACTION,
  type PartStore,
  parsePart,
  partMismatch,
  reportKey,
  s3PartStore,
  type TargetItem,
  targetItemSchema,
} from './run-parts';

/** Parts read at once: S3 serves thousands of GETs a second per prefix; memory is the bound here. */
const PARTS_IN_FLIGHT = 16;

export interface MergeSummary extends RunSummary {
  runId: string;
  /** Where the whole merged report is, in the parts bucket (notifications carry a summary). */
  reportKey: string;
  targets: number;
  /** Accounts with at least one Region that could not be audited. */
  accountsWithErrors: string[];
}

export interface MergeDeps {
  mergeReports: MergeReportsFn;
  parts: (bucket: string) => PartStore;
  notify: (
    report: Report,
    environment: AuditorEnvironment,
    trigger: TargetList['trigger'],
    now: Date,
  ) => Promise<NotifyOutcome>;
  publishMetrics: (summary: RunSummary, report: Report) => void;
  env: Record<string, string | undefined>;
  clock: () => Date;
}

/**
 * Step Functions' `Cause` of a Lambda failure is the function's error as JSON
 * (`{"errorType":"...","errorMessage":"..."}`); a timeout's is plain text. Keep the message only.
 */
export function describeCause(cause: string): string {
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown; errorType?: unknown };
    if (typeof parsed.errorMessage === 'string') {
      return typeof parsed.errorType === 'string'
        ? `${parsed.errorType}: ${parsed.errorMessage}`
        : parsed.errorMessage;
    }
  } catch {
    // not JSON: the cause as it is
  }
  return cause;
}

const MAX_MESSAGE = 1000;

function itemError(error: TargetError): TargetError {
  const message = error.action === ITEM_ACTION ? describeCause(error.message) : error.message;
  return {
    ...error,
    message: message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}...` : message,
  };
}

const unusable = (item: TargetItem, code: string, message: string): TargetOutcome => ({
  target: item.target,
  error: { action: ITEM_ACTION, code, message },
});

/** The part's text, or null when there is none (404); a part that cannot be read is that item's error. */
async function partText(parts: PartStore, item: TargetItem): Promise<string | null | TargetOutcome> {
  try {
    return await parts.get(item.partKey);
  } catch (error) {
    const name = (error as { name?: string }).name ?? 'Error';
    return unusable(
      item,
      'UnreadableResult',
      `the item's result at ${item.partKey} could not be read (${name})`,
    );
  }
}

/** The check catalogue's documentation links: a part's own `docs` are never shown. */
const catalogueDocs = new Map(CHECKS.map((check) => [check.id, [...check.docs]]));

function withCatalogueDocs(report: Report): Report {
  return {
    ...report,
    findings: report.findings.map((finding) => ({
      ...finding,
      docs: catalogueDocs.get(finding.checkId) ?? [],
    })),
  };
}

/**
 * The item's outcome, from its part: missing, unreadable, malformed or not the item's own (another
 * run, account or Region) is an ERROR line for this target only; the list's target wins.
 */
async function outcomeOf(parts: PartStore, item: TargetItem): Promise<TargetOutcome> {
  const text = await partText(parts, item);
  if (text === null)
    return unusable(
      item,
      'NoResult',
      'the item left no result: its function and the state machine both failed to write one; see the execution history',
    );
  if (typeof text !== 'string') return text;
  const part = parsePart(text);
  if (!part)
    return unusable(item, 'UnreadableResult', `the item's result at ${item.partKey} is not an outcome`);
  const mismatch = partMismatch(part, item);
  if (mismatch)
    return unusable(item, 'ForeignResult', `the item's result at ${item.partKey} is refused: ${mismatch}`);
  return part.error
    ? { target: item.target, error: itemError(part.error) }
    : { target: item.target, report: withCatalogueDocs(part.report) };
}

export function createMergeHandler(deps: MergeDeps) {
  return async (event: TargetList): Promise<MergeSummary> => {
    const environment = parseEnvironment(deps.env);
    const org = parseOrgEnvironment(deps.env);
    const parts = deps.parts(org.partsBucket);
    const listed = await parts.get(event.targetsKey);
    if (listed === null)
      throw new Error(`the run's targets (${event.targetsKey}) are missing from ${org.partsBucket}`);
    const items = z.array(targetItemSchema).parse(JSON.parse(listed)) as TargetItem[];
    const outcomes = await mapBounded(items, PARTS_IN_FLIGHT, (item) => outcomeOf(parts, item));
    const runNow = new Date(event.run.now);
    const report = deps.mergeReports(outcomes, {
      generatedAt: deps.clock(),
      window: auditWindow(
        runNow,
        event.run.lookbackMinutes,
        event.run.periodSeconds ?? environment.periodSeconds,
      ),
      thresholds: environment.thresholds,
    });
    const request = {
      trigger: event.trigger,
      dryRun: event.dryRun,
      ...(event.dryRunReason ? { dryRunReason: event.dryRunReason } : {}),
    };
    await parts.put(reportKey(event.runId), JSON.stringify(report));
    deps.publishMetrics(summarize(report, request, null), report);
    const notification = event.dryRun ? null : await deps.notify(report, environment, event.trigger, runNow);
    return {
      ...summarize(report, request, notification),
      runId: event.runId,
      reportKey: reportKey(event.runId),
      targets: items.length,
      accountsWithErrors: [
        ...new Set(outcomes.filter((outcome) => outcome.error).map((outcome) => outcome.target.account)),
      ],
    };
  };
}

const logger = new Logger();
const metrics = new Metrics();

const mergeHandler = createMergeHandler({
  mergeReports,
  parts: (bucket) => s3PartStore(bucket),
  notify: async (report, environment, trigger, now) => {
    const clients = createClients({
      region: environment.region,
      ...(environment.endpoint ? { endpoint: environment.endpoint } : {}),
    });
    const outcome = await notifyReport(report, {
      sns: clients.sns,
      topicArn: environment.topicArn,
      store: new DynamoDbStateStore(clients.dynamodb, environment.stateTableName),
      settings: environment.notify,
      now,
      trigger,
    });
    metrics.addMetric('NotificationsPublished', MetricUnit.Count, outcome.published);
    metrics.publishStoredMetrics();
    return outcome;
  },
  publishMetrics: (summary, report) => publishAuditMetrics(metrics, summary, report),
  env: process.env,
  clock: () => new Date(),
});

export async function handler(event: TargetList): Promise<MergeSummary> {
  const summary = await mergeHandler(event);
  logger.info('Organization audit merged', { summary });
  return summary;
}
