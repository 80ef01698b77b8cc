/**
 * What a run reports about itself: the summary the function returns (and logs) and the EMF metrics
 * the dashboard and the incomplete-run alarm read. Shared by the single-account handler and the
 * organization-wide merge step, so both feed the same alarm and widgets.
 */
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { AlarmRunRequest } from './config/alarm-event';
import type { RunRequest } from './config/manual-event';
import {
  CLASSIFICATIONS,
  type Classification,
  type Report,
  SEVERITIES,
  type Severity,
  STATUSES,
  type Status,
} from './domain/types';
import type { NotifyOutcome } from './notify/publish-report';

/** Statuses that ask for attention (the dashboard's "findings" and the summary's list). */
const ACTIONABLE: readonly Status[] = ['FAIL', 'WARN', 'ERROR'];
const MAX_LISTED_FINDINGS = 25;

export interface RunSummary {
  trigger: RunRequest['trigger'] | AlarmRunRequest['trigger'];
  dryRun: boolean;
  /** Why a manual run that did not ask for a dry run is one (it narrows or widens the audit). */
  dryRunReason?: string;
  complete: boolean;
  incompleteReasons: string[];
  regions: string[];
  window: Report['window'];
  stages: Record<Classification, number>;
  findings: Record<Status, number>;
  /** The FAIL/WARN/ERROR findings, most severe first (at most 25). */
  attention: { checkId: string; status: Status; severity: Severity; resourceArn: string; title: string }[];
  /** null on a dry run: nothing was published or remembered. */
  notification: NotifyOutcome | null;
  durationMs: number;
  awsCalls: number;
}

const countBy = <K extends string>(keys: readonly K[], values: readonly K[]): Record<K, number> => {
  const counts = Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
  for (const value of values) counts[value] += 1;
  return counts;
};

const sumOf = (record: Record<string, number>): number => Object.values(record).reduce((a, b) => a + b, 0);

export function summarize(
  report: Report,
  request: Pick<RunRequest, 'dryRun' | 'dryRunReason'> & { trigger: RunSummary['trigger'] },
  notification: NotifyOutcome | null,
): RunSummary {
  const attention = report.findings
    .filter((finding) => ACTIONABLE.includes(finding.status))
    .sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity))
    .slice(0, MAX_LISTED_FINDINGS)
    .map(({ checkId, status, severity, resourceArn, title }) => ({
      checkId,
      status,
      severity,
      resourceArn,
      title,
    }));
  return {
    trigger: request.trigger,
    dryRun: request.dryRun,
    ...(request.dryRunReason ? { dryRunReason: request.dryRunReason } : {}),
    complete: report.complete,
    incompleteReasons: report.incompleteReasons,
    regions: report.regions,
    window: report.window,
    stages: countBy(
      CLASSIFICATIONS,
      report.apis.map((api) => api.classification),
    ),
    findings: countBy(
      STATUSES,
      report.findings.map((finding) => finding.status),
    ),
    attention,
    notification,
    durationMs: report.stats.durationMs,
    awsCalls: sumOf(report.stats.awsCalls),
  };
}

/** The `trigger` dimension of `AuditIncomplete`: `schedule`, `alarm`, `manual` or `dry-run`. */
export type TriggerDimension = RunSummary['trigger'] | 'dry-run';
export const triggerDimension = (summary: Pick<RunSummary, 'trigger' | 'dryRun'>): TriggerDimension =>
  summary.dryRun ? 'dry-run' : summary.trigger;

/** EMF metrics for the dashboard: one series per classification and per severity, zeros included. */
export function publishAuditMetrics(metrics: Metrics, summary: RunSummary, report: Report): void {
  for (const classification of CLASSIFICATIONS) {
    metrics
      .singleMetric()
      .addDimension('classification', classification)
      .addMetric('StagesAudited', MetricUnit.Count, summary.stages[classification]);
  }
  const actionable = report.findings.filter((finding) => ACTIONABLE.includes(finding.status));
  const bySeverity = countBy(
    SEVERITIES,
    actionable.map((finding) => finding.severity),
  );
  for (const severity of SEVERITIES) {
    metrics
      .singleMetric()
      .addDimension('severity', severity)
      .addMetric('Findings', MetricUnit.Count, bySeverity[severity]);
  }
  metrics.addMetric('AwsCalls', MetricUnit.Count, summary.awsCalls);
  metrics.addMetric('AuditDurationMs', MetricUnit.Milliseconds, summary.durationMs);
  // One series per trigger: a complete alarm run must not reset the scheduled runs' alarm.
  metrics
    .singleMetric()
    .addDimension('trigger', triggerDimension(summary))
    .addMetric('AuditIncomplete', MetricUnit.Count, report.complete ? 0 : 1);
  metrics.publishStoredMetrics();
}
