/**
 * What the human renderings (text, Markdown) show, decided once: stages with their numbers, the
 * findings that need attention grouped by the stages they affect (FAIL, then WARN, then ERROR,
 * highest severity first), and the passes and skips only counted.
 */
import {
  type AccountSummary,
  type Finding,
  type Report,
  type ReportStage,
  SEVERITIES,
  type Status,
} from '../domain/types';

/** Statuses shown in detail, in the order they are shown. */
export const ATTENTION_STATUSES = ['FAIL', 'WARN', 'ERROR'] as const satisfies readonly Status[];

export interface FindingGroup {
  /** The account of the findings ('' when the report does not know it). */
  account: string;
  /** `orders/prod (a1b2c3, us-east-1)`, one per stage the findings affect; empty for findings tied to no stage. */
  stageLabels: string[];
  findings: Finding[];
}

export interface HumanView {
  /** Several accounts (a merged report): renderings head each account's stages and findings with it. */
  multiAccount: boolean;
  stages: ReportStage[];
  groups: FindingGroup[];
  counts: Record<Status, number>;
  /** Docs every shown finding cites (the Knowledge Center article): printed once, not under each finding. */
  commonDocs: string[];
}

const statusRank = (status: Status): number => {
  const rank = (ATTENTION_STATUSES as readonly Status[]).indexOf(status);
  return rank === -1 ? ATTENTION_STATUSES.length : rank;
};

export function compareFindings(a: Finding, b: Finding): number {
  return (
    statusRank(a.status) - statusRank(b.status) ||
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
    a.checkId.localeCompare(b.checkId) ||
    a.resourceArn.localeCompare(b.resourceArn)
  );
}

/** The account a stage or finding is in: its own, else the report's ('' when unknown). */
export const accountOf = (item: { account?: string }, report: Pick<Report, 'account'>): string =>
  item.account ?? report.account ?? '';

/** A report of several accounts (merged): each stage and finding is shown under its account. */
export const isMultiAccount = (report: Pick<Report, 'accounts'>): boolean =>
  (report.accounts?.length ?? 0) > 1;

/** `111111111111 (payments-prod)`: raw, the name is untrusted text that each rendering cleans. */
export function accountLabel(report: Pick<Report, 'accounts'>, id: string): string {
  const name = report.accounts?.find((account) => account.id === id)?.name;
  return name ? `${id} (${name})` : id || 'unknown account';
}

/** `3 accounts: 2 audited, 1 could not be audited`. */
export function accountsLine(accounts: readonly AccountSummary[]): string {
  const count = (status: AccountSummary['status']) =>
    accounts.filter((account) => account.status === status).length;
  const parts = [
    `${count('audited')} audited`,
    ...(count('incomplete') > 0 ? [`${count('incomplete')} incomplete`] : []),
    ...(count('error') > 0 ? [`${count('error')} could not be audited`] : []),
  ];
  return `${accounts.length} account${accounts.length === 1 ? '' : 's'}: ${parts.join(', ')}`;
}

/** One account's line of the accounts table: status, id, name, Regions, and why it failed. */
export function accountStatusLine(account: AccountSummary): string {
  const name = account.name ? ` (${account.name})` : '';
  const why = account.error
    ? `: ${account.error.action} ${account.error.code} in ${account.error.regions.join(', ')}`
    : '';
  return `${account.status.toUpperCase()} ${account.id}${name} · ${account.regions.join(', ')}${why}`;
}

export function stageLabel(stage: {
  apiId: string;
  stage: string;
  region: string;
  apiName?: string;
}): string {
  return `${stage.apiName ?? stage.apiId}/${stage.stage} (${stage.apiId}, ${stage.region})`;
}

export function formatPercent(ratio: number): string {
  if (ratio === 0) return '0%';
  const percent = ratio * 100;
  return `${percent < 0.1 ? percent.toPrecision(1) : percent.toFixed(percent < 10 ? 2 : 1)}%`;
}

export function buildHumanView(report: Report): HumanView {
  const counts = { FAIL: 0, WARN: 0, PASS: 0, ERROR: 0, SKIPPED: 0 } satisfies Record<Status, number>;
  for (const finding of report.findings) counts[finding.status] += 1;

  const stageOrder = new Map<string, number>();
  const stageNames = new Map<string, string>();
  report.apis.forEach((api, index) => {
    const key = `${accountOf(api, report)}|${api.region}|${api.apiId}|${api.stage}`;
    stageOrder.set(key, index);
    stageNames.set(key, stageLabel(api));
  });

  const groups = new Map<string, { order: number; group: FindingGroup }>();
  const attention = report.findings.filter((finding) =>
    (ATTENTION_STATUSES as readonly Status[]).includes(finding.status),
  );
  const orderOf = (key: string): number => stageOrder.get(key) ?? Number.MAX_SAFE_INTEGER - 1;
  for (const finding of [...attention].sort(compareFindings)) {
    const account = accountOf(finding, report);
    const affected = finding.apis
      .map((api) => {
        const key = `${account}|${finding.region}|${api.apiId}|${api.stage}`;
        return { key, label: stageNames.get(key) ?? stageLabel({ ...api, region: finding.region }) };
      })
      .sort((a, b) => orderOf(a.key) - orderOf(b.key));
    const groupKey = `${account}:${affected.map(({ key }) => key).join(' + ')}`;
    const existing = groups.get(groupKey);
    if (existing) {
      existing.group.findings.push(finding);
      continue;
    }
    // Findings tied to no stage come last.
    const order = affected[0] ? orderOf(affected[0].key) : Number.MAX_SAFE_INTEGER;
    groups.set(groupKey, {
      order,
      group: { account, stageLabels: affected.map(({ label }) => label), findings: [finding] },
    });
  }

  const [first, ...rest] = attention;
  const commonDocs =
    first && rest.length > 0
      ? first.docs.filter((doc) => rest.every((finding) => finding.docs.includes(doc)))
      : [];
  return {
    multiAccount: isMultiAccount(report),
    stages: report.apis,
    // By account first (stages are listed by account), so each account's findings come together.
    groups: [...groups.values()]
      .sort((a, b) => a.group.account.localeCompare(b.group.account) || a.order - b.order)
      .map(({ group }) => group),
    counts,
    commonDocs,
  };
}

export function summaryLine(counts: Record<Status, number>): string {
  const shown = ATTENTION_STATUSES.map((status) => `${counts[status]} ${status}`).join(', ');
  return `Summary: ${shown}; ${counts.PASS} passed, ${counts.SKIPPED} skipped (not applicable).`;
}

/** `Muted: 2 findings (reasons in the JSON report); checks left out: client-retries.`, or nothing. */
export function suppressionLine(report: Report): string | undefined {
  const muted = report.muted?.length ?? 0;
  const excluded = report.excludedChecks ?? [];
  if (muted === 0 && excluded.length === 0) return undefined;
  const parts = [
    ...(muted > 0 ? [`Muted: ${muted} finding${muted === 1 ? '' : 's'} (reasons in the JSON report)`] : []),
    ...(excluded.length > 0 ? [`checks left out: ${excluded.join(', ')}`] : []),
  ];
  return `${parts.join('; ')}.`;
}
