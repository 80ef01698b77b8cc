/**
 * The last step of the organization-wide fan-out: every item's part (one account and Region) into
 * one report. Each stage and finding keeps the account it was read in (finding ids already hash it,
 * so one resource ARN in two accounts stays two findings and two notification states); `accounts`
 * has one line per account, an ERROR line for one whose role could not be assumed, and the report
 * is complete only when every item was.
 */
import { TOOL } from '../audit';
import { compareFindings } from '../domain/finding-order';
import type {
  AccountStatus,
  AccountSummary,
  AuditWindow,
  Finding,
  MutedFinding,
  Report,
  ReportStage,
} from '../domain/types';
import { buildReport } from '../report/build-report';
import { DEFAULT_THRESHOLDS } from '../triage/classify-stage';
import type { MergeReportsFn, TargetError, TargetOutcome } from './contract';

interface AccountTally {
  id: string;
  name?: string;
  regions: string[];
  failures: { region: string; error: TargetError }[];
  incomplete: boolean;
}

function addUnique(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

/** The earliest start and latest end of the items' windows: items that started a period apart differ. */
function spanOf(windows: AuditWindow[], fallback: AuditWindow): AuditWindow {
  const [first] = windows;
  if (!first) return fallback;
  // ISO 8601 UTC times sort as text.
  const starts = windows.map((window) => window.start).sort();
  const ends = windows.map((window) => window.end).sort();
  return {
    start: starts[0] ?? first.start,
    end: ends.at(-1) ?? first.end,
    periodSeconds: first.periodSeconds,
  };
}

function statusOf(tally: AccountTally): AccountStatus {
  if (tally.failures.length === tally.regions.length) return 'error';
  return tally.failures.length > 0 || tally.incomplete ? 'incomplete' : 'audited';
}

function summaryOf(tally: AccountTally): AccountSummary {
  const [first] = tally.failures;
  return {
    id: tally.id,
    ...(tally.name !== undefined ? { name: tally.name } : {}),
    regions: [...tally.regions],
    status: statusOf(tally),
    ...(first
      ? {
          error: {
            action: first.error.action,
            code: first.error.code,
            message: first.error.message,
            regions: tally.failures.map((failure) => failure.region),
          },
        }
      : {}),
  };
}

/** One line per account and error: the account is named by id (its name is untrusted, and in `accounts`). */
function failureReasons(tally: AccountTally): string[] {
  const byError = new Map<string, { error: TargetError; regions: string[] }>();
  for (const { region, error } of tally.failures) {
    const key = `${error.action}\u0000${error.code}\u0000${error.message}`;
    const entry = byError.get(key) ?? { error, regions: [] };
    entry.regions.push(region);
    byError.set(key, entry);
  }
  return [...byError.values()].map(
    ({ error, regions }) =>
      `account ${tally.id} could not be audited in ${regions.join(', ')}: ${error.action} failed (${error.code}): ${error.message}`,
  );
}

function addCalls(total: Record<string, number>, calls: Record<string, number>): void {
  for (const [key, count] of Object.entries(calls)) total[key] = (total[key] ?? 0) + count;
}

const inAccount = <T extends object>(item: T, account: string): T & { account: string } => ({
  ...item,
  account,
});

export const mergeReports: MergeReportsFn = (outcomes, options) => {
  const tallies = new Map<string, AccountTally>();
  const regions: string[] = [];
  const stages: ReportStage[] = [];
  const findings: Finding[] = [];
  const muted: MutedFinding[] = [];
  const excludedChecks: string[] = [];
  const memberReasons: string[] = [];
  const reports: Report[] = [];
  const awsCalls: Record<string, number> = {};
  let durationMs = 0;
  let retries = 0;

  for (const outcome of outcomes as readonly TargetOutcome[]) {
    const { account, accountName, region } = outcome.target;
    const tally = tallies.get(account) ?? { id: account, regions: [], failures: [], incomplete: false };
    tallies.set(account, tally);
    if (accountName !== undefined) tally.name = accountName;
    addUnique(tally.regions, region);
    addUnique(regions, region);
    if (outcome.error) {
      tally.failures.push({ region, error: outcome.error });
      addCalls(awsCalls, outcome.error.stats?.awsCalls ?? {});
      retries += outcome.error.stats?.retries ?? 0;
      continue;
    }
    const report = outcome.report;
    reports.push(report);
    tally.incomplete ||= !report.complete;
    memberReasons.push(...report.incompleteReasons.map((reason) => `account ${account}: ${reason}`));
    stages.push(...report.apis.map((stage) => inAccount(stage, account)));
    findings.push(...report.findings.map((finding) => inAccount(finding, account)));
    muted.push(...(report.muted ?? []).map((finding) => inAccount(finding, account)));
    for (const check of report.excludedChecks ?? []) addUnique(excludedChecks, check);
    addCalls(awsCalls, report.stats.awsCalls);
    durationMs += report.stats.durationMs;
    retries += report.stats.retries;
  }

  const summaries = [...tallies.values()].map(summaryOf);
  const incompleteReasons = [
    ...(outcomes.length === 0 ? ['no account was audited: the list of accounts and Regions was empty'] : []),
    ...[...tallies.values()].flatMap(failureReasons),
    ...memberReasons,
  ];
  const generatedAt = options.generatedAt.toISOString();
  const built = buildReport({
    tool: reports[0]?.tool ?? TOOL,
    generatedAt,
    account: tallies.size === 1 ? (summaries[0]?.id ?? null) : null,
    regions,
    window: spanOf(
      reports.map((report) => report.window),
      options.window ?? { start: generatedAt, end: generatedAt, periodSeconds: 300 },
    ),
    thresholds: reports[0]?.thresholds ?? options.thresholds ?? DEFAULT_THRESHOLDS,
    stages,
    findings: findings.sort(
      (a, b) => compareFindings(a, b) || (a.account ?? '').localeCompare(b.account ?? ''),
    ),
    stats: { durationMs, awsCalls, retries },
    incompleteReasons,
  });
  const { apis, findings: merged, stats, ...head } = built;
  return {
    ...head,
    accounts: summaries,
    apis,
    findings: merged,
    stats,
    ...(muted.length > 0 ? { muted } : {}),
    ...(excludedChecks.length > 0 ? { excludedChecks } : {}),
  };
};
