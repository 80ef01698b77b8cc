/**
 * Decides what a report changes for the people subscribed: which findings are new, changed, due a
 * reminder or resolved, and what to remember afterwards. Pure: the caller reads the previous states
 * and writes the next ones (only once the notification is published).
 *
 * A finding absent from this report resolves only when this run looked at every stage it affected:
 * - the report is complete and covers the finding's Region, and each of its stages is in `report.apis`;
 * - then, if none of those stages fails any more (healthy / no traffic), it resolves as `stage-recovered`:
 *   the 504s stopped, which is what the alert was about; if they come back, so does the finding (as new);
 * - if a stage still fails but the check no longer reports the resource, it resolves as `no-longer-reported`.
 * Otherwise (stage not audited this run, Region not covered, report cut short) the state is kept as it was:
 * an unknown is never taken for a resolution. A state kept that way is not refreshed, so it would expire
 * (TTL) in silence: within `NO_LONGER_AUDITED_NOTICE_HOURS` of its expiry it is announced as
 * `no-longer-audited` (its stage was deleted, lost its metrics, or left the audited APIs or Regions) and closed.
 *
 * An incomplete report (`complete: false`) is news by itself, even when no finding changed: the first
 * incomplete run, a run that could not read something else, and then a reminder, are announced (with
 * what could not be read); the same reasons run after run are not. It is remembered as one more state
 * (`INCOMPLETE_RUN_STATE_ID`), closed silently by the next complete run.
 */
import type { Finding, Report, Severity, Status } from '../domain/types';
import { SEVERITIES } from '../domain/types';
import type { FindingState } from './finding-state';
import type { NotifySettings } from './settings';

export type ChangeKind = 'new' | 'changed' | 'reminder' | 'resolved';

export type Resolution =
  | 'passed'
  | 'not-applicable'
  | 'stage-recovered'
  | 'no-longer-reported'
  | 'no-longer-audited';

export interface FindingChange {
  kind: ChangeKind;
  findingId: string;
  /** The finding as this report has it; absent only for a finding resolved by no longer being reported. */
  finding?: Finding;
  /** What was remembered before this run; absent for a finding never announced. */
  previous?: FindingState;
  /** Only for `resolved`. */
  resolution?: Resolution;
}

export interface NotificationPlan {
  /** New, changed, reminders, then resolved; highest severity first within each. */
  changes: FindingChange[];
  /** What to remember once the notification is out (includes `lastSeen` refreshes of unchanged findings). */
  nextStates: FindingState[];
  /** The last open finding resolved in this run and the settings ask for an all-clear. */
  allClear: boolean;
  /** Announced findings still open after this run. */
  openAfter: number;
  /** Whether the report's incompleteness is announced: first seen, other reasons, or a reminder. */
  incompleteRun: Exclude<ChangeKind, 'resolved'> | null;
}

/** The state that remembers the announced incompleteness (its `title`: the reasons, without their numbers). */
export const INCOMPLETE_RUN_STATE_ID = 'audit:incomplete-run';

/** Finding states older than this (not seen, not announced) are dropped by the table's TTL. */
export const STATE_RETENTION_DAYS = 30;
/**
 * An open finding that no run has seen is announced as no longer audited this long before its state
 * expires: two days, so a daily schedule still gets a run in between.
 */
export const NO_LONGER_AUDITED_NOTICE_HOURS = 48;

const OPEN_STATUSES: readonly Status[] = ['FAIL', 'WARN', 'ERROR'];
const KIND_ORDER: readonly ChangeKind[] = ['new', 'changed', 'reminder', 'resolved'];
const FAILING_CLASSIFICATIONS = new Set(['low-frequency', 'high-frequency']);

export const isOpenStatus = (status: Status): boolean => OPEN_STATUSES.includes(status);

export const severityAtLeast = (severity: Severity, minimum: Severity): boolean =>
  SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(minimum);

function expiresAt(now: Date, settings: NotifySettings): number {
  const retentionHours = Math.max(STATE_RETENTION_DAYS * 24, settings.reminderIntervalHours * 2);
  return Math.floor(now.getTime() / 1000) + retentionHours * 3600;
}

function reminderDue(state: FindingState, now: Date, settings: NotifySettings): boolean {
  if (settings.reminderIntervalHours <= 0) return false;
  return now.getTime() - Date.parse(state.lastNotified) >= settings.reminderIntervalHours * 3_600_000;
}

/** What is remembered of an open finding seen at `now` (its first sighting kept when it continues). */
export function stateOf(finding: Finding, previous: FindingState | undefined, now: string, expires: number) {
  const continuing = previous?.open === true;
  return {
    findingId: finding.id,
    open: true,
    status: finding.status,
    severity: finding.severity,
    checkId: finding.checkId,
    title: finding.title,
    ...(finding.account ? { account: finding.account } : {}),
    region: finding.region,
    resourceArn: finding.resourceArn,
    apis: finding.apis.map(({ apiId, stage }) => ({ apiId, stage })),
    firstSeen: continuing && previous ? previous.firstSeen : now,
    lastSeen: now,
    lastNotified: now,
    expiresAt: expires,
  } satisfies FindingState;
}

/** Why an announced finding that this report does not list is resolved, or null when this run cannot tell. */
export function absenceResolution(state: FindingState, report: Report): Resolution | null {
  if (!report.complete || !report.regions.includes(state.region)) return null;
  // A merged report audits several accounts: the finding's own must be one of them, and its stages
  // are looked up there only (API ids are unique in an account and Region, not across accounts).
  const inAccount = (account: string | undefined) =>
    state.account === undefined || (account ?? report.account) === state.account;
  const ownAccount = report.accounts?.find((account) => account.id === state.account);
  if (report.accounts && state.account !== undefined && !ownAccount?.regions.includes(state.region))
    return null;
  const stages = state.apis.map((api) =>
    report.apis.find(
      (stage) =>
        inAccount(stage.account) &&
        stage.region === state.region &&
        stage.apiId === api.apiId &&
        stage.stage === api.stage,
    ),
  );
  if (stages.some((stage) => stage === undefined)) return null;
  if (stages.length === 0) return 'no-longer-reported';
  const stillFailing = stages.some((stage) => stage && FAILING_CLASSIFICATIONS.has(stage.classification));
  return stillFailing ? 'no-longer-reported' : 'stage-recovered';
}

const expiresSoon = (state: FindingState, now: Date): boolean =>
  state.expiresAt * 1000 - now.getTime() <= NO_LONGER_AUDITED_NOTICE_HOURS * 3_600_000;

/** The reasons as one text that stays the same while the same reads fail (times and counts vary). */
export function incompleteSignature(reasons: readonly string[]): string {
  return [...new Set(reasons.map((reason) => reason.replace(/\d[\d:.TZ-]*/g, '#')))].sort().join('\n');
}

function planIncompleteRun(
  report: Report,
  previous: FindingState | undefined,
  settings: NotifySettings,
  now: Date,
): { kind: NotificationPlan['incompleteRun']; state?: FindingState } {
  const tracked = previous?.open === true ? previous : undefined;
  const nowIso = now.toISOString();
  const expires = expiresAt(now, settings);
  if (report.complete) {
    if (!tracked) return { kind: null };
    return {
      kind: null,
      state: { ...tracked, open: false, lastSeen: nowIso, resolvedAt: nowIso, expiresAt: expires },
    };
  }
  const signature = incompleteSignature(report.incompleteReasons);
  const kind = !tracked
    ? 'new'
    : tracked.title !== signature
      ? 'changed'
      : reminderDue(tracked, now, settings)
        ? 'reminder'
        : null;
  const state: FindingState = {
    findingId: INCOMPLETE_RUN_STATE_ID,
    open: true,
    status: 'ERROR',
    severity: 'high',
    checkId: 'audit-incomplete',
    title: signature,
    region: '',
    resourceArn: '',
    apis: [],
    firstSeen: tracked?.firstSeen ?? nowIso,
    lastSeen: nowIso,
    lastNotified: kind || !tracked ? nowIso : tracked.lastNotified,
    expiresAt: expires,
  };
  return { kind, state };
}

function compareChanges(a: FindingChange, b: FindingChange): number {
  const severity = (change: FindingChange) =>
    SEVERITIES.indexOf(change.finding?.severity ?? change.previous?.severity ?? 'info');
  const checkId = (change: FindingChange) => change.finding?.checkId ?? change.previous?.checkId ?? '';
  return (
    KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
    severity(a) - severity(b) ||
    checkId(a).localeCompare(checkId(b)) ||
    a.findingId.localeCompare(b.findingId)
  );
}

export interface PlanOptions {
  /**
   * Resolve announced findings this report does not list (see `absenceResolution`). Off for an
   * alarm-triggered run: its 15-minute window can classify a stage differently from the schedule's,
   * so a check it did not run says nothing about a finding the schedule opened.
   * @default true
   */
  resolveAbsent?: boolean;
}

/**
 * @param previous the remembered states of the report's findings and of every open finding
 *                 (`FindingStateStore.get` of the report's ids merged with `listOpen`).
 */
export function planNotification(
  report: Report,
  previous: ReadonlyMap<string, FindingState>,
  settings: NotifySettings,
  now: Date,
  options: PlanOptions = {},
): NotificationPlan {
  const nowIso = now.toISOString();
  const expires = expiresAt(now, settings);
  const changes: FindingChange[] = [];
  const nextStates: FindingState[] = [];
  const reported = new Set<string>();

  for (const finding of report.findings) {
    if (reported.has(finding.id)) continue;
    reported.add(finding.id);
    const before = previous.get(finding.id);
    const tracked = before?.open === true ? before : undefined;
    const differs =
      tracked !== undefined && (tracked.status !== finding.status || tracked.severity !== finding.severity);

    if (!isOpenStatus(finding.status)) {
      if (!tracked) continue;
      const resolution: Resolution = finding.status === 'PASS' ? 'passed' : 'not-applicable';
      changes.push({ kind: 'resolved', findingId: finding.id, finding, previous: tracked, resolution });
      nextStates.push({
        ...tracked,
        open: false,
        status: finding.status,
        severity: finding.severity,
        lastSeen: nowIso,
        lastNotified: nowIso,
        resolvedAt: nowIso,
        expiresAt: expires,
      });
      continue;
    }

    const announceable = severityAtLeast(finding.severity, settings.minSeverity);
    if (!tracked) {
      if (!announceable) continue;
      changes.push({ kind: 'new', findingId: finding.id, finding, ...(before ? { previous: before } : {}) });
      nextStates.push(stateOf(finding, undefined, nowIso, expires));
      continue;
    }
    // An announced finding is followed even when its severity drops below the threshold: the drop is news.
    const kind: ChangeKind | null = differs
      ? 'changed'
      : announceable && reminderDue(tracked, now, settings)
        ? 'reminder'
        : null;
    const next = stateOf(finding, tracked, nowIso, expires);
    if (kind) {
      changes.push({ kind, findingId: finding.id, finding, previous: tracked });
      nextStates.push(next);
    } else {
      nextStates.push({ ...next, lastNotified: tracked.lastNotified });
    }
  }

  // A muted finding is still there: it stays open (silently, its state kept alive), never resolved,
  // and an all-clear cannot be sent while it is open.
  const muted = new Set((report.muted ?? []).map((finding) => finding.id));
  for (const state of previous.values()) {
    if (state.open && !reported.has(state.findingId) && muted.has(state.findingId)) {
      nextStates.push({ ...state, lastSeen: nowIso, expiresAt: expires });
      continue;
    }
    if (
      !state.open ||
      reported.has(state.findingId) ||
      options.resolveAbsent === false ||
      state.findingId === INCOMPLETE_RUN_STATE_ID
    )
      continue;
    const resolution =
      absenceResolution(state, report) ?? (expiresSoon(state, now) ? 'no-longer-audited' : null);
    if (!resolution) continue;
    changes.push({ kind: 'resolved', findingId: state.findingId, previous: state, resolution });
    nextStates.push({
      ...state,
      open: false,
      lastNotified: nowIso,
      resolvedAt: nowIso,
      expiresAt: expires,
    });
  }

  const written = new Map(nextStates.map((state) => [state.findingId, state]));
  let openAfter = 0;
  for (const state of written.values()) if (state.open) openAfter += 1;
  for (const state of previous.values()) if (state.open && !written.has(state.findingId)) openAfter += 1;
  const incomplete = planIncompleteRun(report, previous.get(INCOMPLETE_RUN_STATE_ID), settings, now);
  if (previous.get(INCOMPLETE_RUN_STATE_ID)?.open) openAfter -= 1;
  if (incomplete.state) nextStates.push(incomplete.state);

  // A finding that left the audit is not a sign that all is clear.
  const resolvedNow = changes.some(
    (change) => change.kind === 'resolved' && change.resolution !== 'no-longer-audited',
  );
  return {
    changes: changes.sort(compareChanges),
    nextStates,
    allClear: settings.sendAllClear && resolvedNow && openAfter === 0,
    openAfter,
    incompleteRun: incomplete.kind,
  };
}
