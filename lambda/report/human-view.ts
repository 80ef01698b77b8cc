/**
 * What the human renderings (text, Markdown) show, decided once: what could not be read first, the
 * stages worst first with their verdicts, then one section per stage that needs a person (its causes
 * first, then its other findings that need attention), and the passes and skips only counted.
 * A finding shared by several stages is shown in full under the first of them and named under the
 * others. Verdicts come from the report (lambda/verdict/); nothing here recomputes them.
 */
import { compareFindings } from '../domain/finding-order';
import type { AccountSummary, Finding, Report, ReportStage, Status } from '../domain/types';
import { needsAttention, type RankedStage, rankStages } from '../verdict/stages-worst-first';

/** Statuses shown in detail, in the order they are shown. */
export const ATTENTION_STATUSES = ['FAIL', 'WARN', 'ERROR'] as const satisfies readonly Status[];

export const isAttention = (status: Status): boolean =>
  (ATTENTION_STATUSES as readonly Status[]).includes(status);

export interface StageSection {
  /** The stage, its verdict and its causes; absent for the findings tied to no stage. */
  ranked?: RankedStage;
  /** The account of the stage ('' when the report does not know it). */
  account: string;
  /** Shown in full here: the causes first, in the verdict's order, then the rest worst first. */
  findings: Finding[];
  /** Shown in full under an earlier stage: named here with that stage's label. */
  seeAbove: { finding: Finding; under: string }[];
}

export interface HumanView {
  /** Several accounts (a merged report): renderings name each stage's account. */
  multiAccount: boolean;
  /** Every stage, worst first. */
  stages: RankedStage[];
  sections: StageSection[];
  counts: Record<Status, number>;
  /** Docs every shown finding cites (the Knowledge Center article): printed once, not under each finding. */
  commonDocs: string[];
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

/** One section per stage that needs a person, worst first; then the findings tied to no stage. */
function sectionsOf(report: Report, stages: readonly RankedStage[]): StageSection[] {
  const keyOf = (account: string, region: string, api: { apiId: string; stage: string }) =>
    `${account}|${region}|${api.apiId}|${api.stage}`;
  const attention = report.findings.filter((finding) => isAttention(finding.status)).sort(compareFindings);
  const stageKeys = new Set(stages.map(({ stage }) => stageKeyOf(stage, report)));
  const byStage = new Map<string, Finding[]>();
  const unattached: Finding[] = [];
  for (const finding of attention) {
    const keys = finding.apis.map((api) => keyOf(accountOf(finding, report), finding.region, api));
    const known = [...new Set(keys)].filter((key) => stageKeys.has(key));
    if (known.length === 0) unattached.push(finding);
    for (const key of known) {
      const listed = byStage.get(key);
      if (listed) listed.push(finding);
      else byStage.set(key, [finding]);
    }
  }
  const shownUnder = new Map<string, string>();
  const sections: StageSection[] = [];
  for (const ranked of stages) {
    const own = byStage.get(stageKeyOf(ranked.stage, report)) ?? [];
    if (own.length === 0 && !needsAttention(ranked)) continue;
    const causeIds = new Set(ranked.verdict.causes);
    const ordered = [...ranked.causes, ...own.filter((finding) => !causeIds.has(finding.id))];
    const section: StageSection = {
      ranked,
      account: accountOf(ranked.stage, report),
      findings: [],
      seeAbove: [],
    };
    const label = stageLabel(ranked.stage);
    for (const finding of ordered) {
      const under = shownUnder.get(finding.id);
      if (under) section.seeAbove.push({ finding, under });
      else {
        section.findings.push(finding);
        shownUnder.set(finding.id, label);
      }
    }
    sections.push(section);
  }
  if (unattached.length > 0)
    sections.push({ account: report.account ?? '', findings: unattached, seeAbove: [] });
  return sections;
}

const stageKeyOf = (stage: ReportStage, report: Pick<Report, 'account'>): string =>
  `${accountOf(stage, report)}|${stage.region}|${stage.apiId}|${stage.stage}`;

export function buildHumanView(report: Report): HumanView {
  const counts = { FAIL: 0, WARN: 0, PASS: 0, ERROR: 0, SKIPPED: 0 } satisfies Record<Status, number>;
  for (const finding of report.findings) counts[finding.status] += 1;
  const stages = rankStages(report);
  const attention = report.findings.filter((finding) => isAttention(finding.status));
  const [first, ...rest] = attention;
  const commonDocs =
    first && rest.length > 0
      ? first.docs.filter((doc) => rest.every((finding) => finding.docs.includes(doc)))
      : [];
  return {
    multiAccount: isMultiAccount(report),
    stages,
    sections: sectionsOf(report, stages),
    counts,
    commonDocs,
  };
}

/**
 * The first lines of every human rendering when the audit is incomplete: what could not be read,
 * and that this is not an all-clear. Raw: each rendering cleans the reasons. Empty when complete.
 */
export function incompleteHeadline(report: Report): string | undefined {
  if (report.complete) return undefined;
  const nothing = report.apis.length === 0 && report.findings.length === 0;
  return nothing
    ? 'INCOMPLETE AUDIT: nothing could be read, so nothing was checked. This is not an all-clear. What could not be read:'
    : 'INCOMPLETE AUDIT: part of the account could not be read; what was read is below. This is not an all-clear. What could not be read:';
}

/** What a rendering says where there is nothing to show: never "nothing to fix" for an audit that read little. */
export function nothingToShowLine(report: Report): string {
  return report.complete
    ? 'No findings need attention.'
    : 'No finding in what could be read; the parts named at the top were not checked.';
}

/** The findings of a section shown under earlier stages, by the stage they are shown under. */
export function seeAboveByStage(section: StageSection): { under: string; findings: Finding[] }[] {
  const byStage = new Map<string, Finding[]>();
  for (const { finding, under } of section.seeAbove)
    byStage.set(under, [...(byStage.get(under) ?? []), finding]);
  return [...byStage.entries()].map(([under, findings]) => ({ under, findings }));
}

/** The fix as one line for a machine format's remediation field: the commands, `; `-separated, else the remediation. */
/**
 * A check's title states the passing state ("Targets' security groups admit the NLB"); shown over a
 * finding that is not a PASS, it says what was expected, so it never reads as the problem itself.
 */
export const findingHeadline = (finding: Pick<Finding, 'status' | 'title'>): string =>
  finding.status === 'PASS' ? finding.title : `Expected: ${finding.title}`;

export const fixText = (finding: Finding): string => fixLines(finding).join('; ');

/** The fix to paste for a finding: its exact commands when known, else the check's remediation. */
export const fixLines = (finding: Finding): string[] =>
  finding.fix?.commands.length ? [...finding.fix.commands] : finding.remediation ? [finding.remediation] : [];

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
