/**
 * What every rendering of one notification (email, chat, machine JSON, message attributes) agrees
 * on: the run id, the failing stages, the severity it is about and the counts it states.
 */
import { createHash } from 'node:crypto';
import type { Finding, Report, ReportStage, Severity, Status } from '../domain/types';
import { SEVERITIES, STATUSES } from '../domain/types';
import { accountOf } from '../report/human-view';
import { needsAttention, type RankedStage, rankStages } from '../verdict/stages-worst-first';
import {
  type ChangeKind,
  type FindingChange,
  isOpenStatus,
  type NotificationPlan,
} from './plan-notification';

export interface NotificationView {
  report: Report;
  plan: NotificationPlan;
  /** Same in every part of one notification. */
  runId: string;
  /** What started the run; alarm-triggered notifications say so in their subject and attributes. */
  trigger?: RunTrigger;
}

export type RunTrigger = 'schedule' | 'manual' | 'alarm';

export type { ReportStage };

export type NotificationType = 'findings' | 'all-clear' | 'incomplete';

/** `incomplete` when the run's incompleteness is all there is to say. */
export function notificationType(plan: NotificationPlan): NotificationType {
  if (plan.allClear) return 'all-clear';
  return plan.changes.length === 0 && plan.incompleteRun ? 'incomplete' : 'findings';
}

export type ChangeCounts = Record<ChangeKind, number>;

/** Stable for one report: the same report notified twice carries the same id. */
export function runIdOf(report: Report): string {
  const basis = [report.account ?? '', report.regions.join(','), report.generatedAt].join('|');
  return createHash('sha256').update(basis).digest('hex').slice(0, 16);
}

/** One stage in one account and Region (API ids are unique in an account and Region only). */
export const stageKey = (stage: { account?: string; region: string; apiId: string; stage: string }): string =>
  `${stage.account ?? ''}|${stage.region}|${stage.apiId}|${stage.stage}`;

/** The key of a stage of `report`, in its account. */
export const reportStageKey = (stage: ReportStage, report: Pick<Report, 'account'>): string =>
  stageKey({ ...stage, account: accountOf(stage, report) });

/** The keys of the stages a finding affects, in the finding's account. */
export const findingStageKeys = (finding: Finding, report: Pick<Report, 'account'>): string[] =>
  finding.apis.map((api) =>
    stageKey({ ...api, region: finding.region, account: accountOf(finding, report) }),
  );

/**
 * Each stage's findings, in the order given. One pass over the findings: a finding shared by
 * thousands of stages must not be re-keyed once per stage.
 */
export function findingsByStage(
  findings: readonly Finding[],
  report: Pick<Report, 'account'>,
): Map<string, Finding[]> {
  const byStage = new Map<string, Finding[]>();
  for (const finding of findings) {
    for (const key of new Set(findingStageKeys(finding, report))) {
      const listed = byStage.get(key);
      if (listed) listed.push(finding);
      else byStage.set(key, [finding]);
    }
  }
  return byStage;
}

export function failingStages(report: Report): ReportStage[] {
  return report.apis.filter(
    (stage) => stage.classification === 'low-frequency' || stage.classification === 'high-frequency',
  );
}

export type { RankedStage };

/**
 * The stages a person must look at (failing, or with a cause or an unreadable path), each once, worst
 * first by their verdicts (lambda/verdict/): the same order and causes as every other rendering.
 */
export function stagesWorstFirst(report: Report): RankedStage[] {
  return rankStages(report).filter(needsAttention);
}

export function failingApiCount(report: Report): number {
  return new Set(
    failingStages(report).map((stage) => `${accountOf(stage, report)}|${stage.region}|${stage.apiId}`),
  ).size;
}

export function countChanges(changes: readonly FindingChange[]): ChangeCounts {
  const counts: ChangeCounts = { new: 0, changed: 0, reminder: 0, resolved: 0 };
  for (const change of changes) counts[change.kind] += 1;
  return counts;
}

export const changeSeverity = (change: FindingChange): Severity =>
  change.kind === 'resolved'
    ? (change.previous?.severity ?? change.finding?.severity ?? 'info')
    : (change.finding?.severity ?? change.previous?.severity ?? 'info');

/** The highest severity of the open findings this notification announces; null when it only resolves. */
export function announcedSeverity(changes: readonly FindingChange[]): Severity | null {
  const open = changes.filter((change) => change.kind !== 'resolved').map(changeSeverity);
  return SEVERITIES.find((severity) => open.includes(severity)) ?? null;
}

export function statusCounts(report: Report): Record<Status, number> {
  const counts = Object.fromEntries(STATUSES.map((status) => [status, 0])) as Record<Status, number>;
  for (const finding of report.findings) counts[finding.status] += 1;
  return counts;
}

export const openFindingCount = (report: Report): number =>
  report.findings.filter((finding) => isOpenStatus(finding.status)).length;

/** `us-east-1`, or `3 Regions`. */
export const regionsLabel = (regions: readonly string[]): string =>
  regions.length === 1 ? (regions[0] ?? '') : `${regions.length} Regions`;

/** `2 new, 1 resolved`: the kinds that occur, in a fixed order. */
export function changeSummary(counts: ChangeCounts): string {
  const parts = [
    counts.new ? `${counts.new} new` : '',
    counts.changed ? `${counts.changed} changed` : '',
    counts.reminder ? `${counts.reminder} still open` : '',
    counts.resolved ? `${counts.resolved} resolved` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'no changes';
}
