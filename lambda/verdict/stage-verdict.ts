/**
 * One answer per stage: the findings that explain its errors, the likeliest first, or why there is
 * none. Decided once, when the report is built; every rendering (JSON, text, Markdown, email, chat,
 * SNS attributes) reads it and none recomputes it.
 *
 * Ranking (checks.md, "The verdict"): a FAIL of a check whose role is `cause` (it stops traffic)
 * before a FAIL of a `condition` (it makes failures likelier), then by severity, then by how much of
 * the path a failure stops (check-catalogue.ts), then by resource. WARNs ("may reach", advice) are never a cause on their own; observability
 * gaps, evidence and advice never are.
 */
import type { CheckRole } from '../domain/check';
import { type Finding, type ReportStage, SEVERITIES, type StageVerdict } from '../domain/types';

/** What the verdict needs to know of the checks: each one's role and its place in the catalogue. */
export interface CheckCatalogue {
  role(checkId: string): CheckRole | undefined;
  /** Rank between causes of equal role and severity: the ones that stop more traffic first. */
  order(checkId: string): number;
}

const CAUSAL_ROLES: readonly CheckRole[] = ['cause', 'condition'];
/** The log-evidence check: its FAIL confirms the error is a network error, without naming a cause. */
const NETWORK_ERROR_EVIDENCE = 'execution-log-network-errors';
/** A check whose WARN says the targets themselves answered the 5xx: the errors are not network errors. */
const TARGETS_ANSWERED_5XX = 'targets-answered-5xx';

export const isCausal = (finding: Finding, catalogue: CheckCatalogue): boolean =>
  finding.status === 'FAIL' && CAUSAL_ROLES.includes(catalogue.role(finding.checkId) ?? 'advice');

/** Likeliest cause first. */
export function compareCauses(a: Finding, b: Finding, catalogue: CheckCatalogue): number {
  const roleRank = (finding: Finding) => CAUSAL_ROLES.indexOf(catalogue.role(finding.checkId) ?? 'advice');
  return (
    roleRank(a) - roleRank(b) ||
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
    catalogue.order(a.checkId) - catalogue.order(b.checkId) ||
    a.resourceArn.localeCompare(b.resourceArn)
  );
}

/**
 * A stage whose errors came in a burst (in fewer than half the periods) is explained first by what
 * happened in those very minutes (a dip in healthy targets, a group failing open, resets, latency at
 * the timeout): a configuration the audit reads as it is now would have failed the stage's traffic in
 * every period, not only in the burst.
 */
function burstFirst(stage: ReportStage, a: Finding, b: Finding): number {
  if (stage.periods === 0 || stage.periodsWithErrors * 2 >= stage.periods) return 0;
  const coincided = (finding: Finding) =>
    Array.isArray(finding.evidence.eventMinutes) && finding.evidence.eventMinutes.length > 0 ? 0 : 1;
  return coincided(a) - coincided(b);
}

/** The first sentence of a message, at most `max` characters: enough for a one-line summary. */
function firstSentence(message: string, max = 220): string {
  const sentence = (message.split(/(?<=[a-z0-9)\]])\. /)[0] ?? message).replace(/\.$/, '');
  if (sentence.length <= max) return sentence;
  // Cut at a word: a half word (`(z…`) reads as a typo.
  const cut = sentence.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** The verdict of one stage from the findings that name it (any status; PASS and SKIPPED included). */
export function verdictOf(
  stage: ReportStage,
  findings: readonly Finding[],
  catalogue: CheckCatalogue,
): StageVerdict {
  const causes = findings
    .filter((finding) => isCausal(finding, catalogue))
    .sort((a, b) => burstFirst(stage, a, b) || compareCauses(a, b, catalogue));
  const [first] = causes;
  if (first) {
    const more = causes.length > 1 ? `; ${plural(causes.length - 1, 'more cause')}` : '';
    const quiet = stage.classification === 'healthy' || stage.classification === 'no-traffic';
    const lead = quiet ? 'no 5xx in the window yet, but ' : '';
    return {
      kind: 'cause',
      causes: causes.map((finding) => finding.id),
      summary: `${lead}${first.checkId}: ${firstSentence(first.message)}${more}`,
    };
  }
  const none = (kind: StageVerdict['kind'], summary: string): StageVerdict => ({ kind, causes: [], summary });
  if (stage.classification === 'no-traffic') return none('no-traffic', 'no requests in the window');
  if (stage.classification === 'healthy') return none('healthy', 'no 5xx in the window');

  const unreadable = findings.filter((finding) => finding.status === 'ERROR');
  if (unreadable.length > 0) {
    const checks = [...new Set(unreadable.map((finding) => finding.checkId))].sort();
    return none(
      'unreadable',
      `no cause found, but ${plural(checks.length, 'check')} could not read their data (${checks.join(', ')}): not an all-clear`,
    );
  }
  if (findings.length === 0)
    return none('unreadable', 'its path was not checked (the audit was cut short): not an all-clear');

  const counts = `${stage.errors5xx} 5xx in ${stage.requests} requests`;
  if (stage.classification === 'low-frequency')
    return none('transient', `errors are transient (${counts}): clients should retry with backoff`);
  const targetsAnswered = findings.find(
    (finding) => finding.checkId === TARGETS_ANSWERED_5XX && finding.evidence.notNetworkCause === true,
  );
  if (targetsAnswered)
    return none(
      'no-network-cause',
      `no network cause found (${counts}): the targets answered 5xx themselves (${firstSentence(targetsAnswered.message)})`,
    );
  const logged = findings.find(
    (finding) => finding.checkId === NETWORK_ERROR_EVIDENCE && finding.status === 'FAIL',
  );
  return logged
    ? none(
        'no-network-cause',
        `the logs show network errors (${counts}) but no check on the path explains them: look at the targets and the flow logs`,
      )
    : none(
        'no-network-cause',
        `no network cause found (${counts}): the path checks pass; the targets answered 5xx themselves or the errors are not network errors`,
      );
}

/** Stage key in its account and Region (API ids are unique only there). */
const keyOf = (account: string, region: string, apiId: string, stage: string) =>
  `${account}|${region}|${apiId}|${stage}`;

/** Every stage of a report with its verdict, from the report's own findings. */
export function withVerdicts<T extends ReportStage>(
  stages: readonly T[],
  findings: readonly Finding[],
  defaultAccount: string | null,
  catalogue: CheckCatalogue,
): (T & { verdict: StageVerdict })[] {
  const byStage = new Map<string, Finding[]>();
  for (const finding of findings) {
    const account = finding.account ?? defaultAccount ?? '';
    for (const api of finding.apis) {
      const key = keyOf(account, finding.region, api.apiId, api.stage);
      const listed = byStage.get(key);
      if (listed) listed.push(finding);
      else byStage.set(key, [finding]);
    }
  }
  return stages.map((stage) => {
    const key = keyOf(stage.account ?? defaultAccount ?? '', stage.region, stage.apiId, stage.stage);
    return { ...stage, verdict: verdictOf(stage, byStage.get(key) ?? [], catalogue) };
  });
}
