/**
 * What an incomplete audit could not read, as every output names it: the report's
 * `incompleteReasons` hold one line per failed AWS action (and per check that broke); those that no
 * ERROR finding stands for (a triage read, the time budget) are the audit's own unreadable parts,
 * which JUnit, ASFF and OCSF report as errors of their own.
 */
import { createHash } from 'node:crypto';
import type { Finding, Report } from '../domain/types';

/** One line per AWS action that could not be read (or check that broke), for the report's `incompleteReasons`. */
export function describeErrors(findings: readonly Finding[]): string[] {
  const byCause = new Map<string, Set<string>>();
  for (const finding of findings) {
    if (finding.status !== 'ERROR') continue;
    const action = finding.evidence.action;
    const cause =
      typeof action !== 'string'
        ? 'the check itself failed'
        : finding.evidence.code === 'DeadlineExceeded'
          ? `${action} was not called before the time budget ran out`
          : `${action} could not be read`;
    byCause.set(cause, (byCause.get(cause) ?? new Set<string>()).add(finding.checkId));
  }
  return [...byCause.entries()].map(
    ([cause, checks]) => `${cause}: ${[...checks].sort().join(', ')} not evaluated`,
  );
}

/** A merged report prefixes each member's reasons with its account. */
const MEMBER_PREFIX = /^account (\d{12}): /;
const ACCOUNT_ID = /\b(\d{12})\b/;

interface UnreadablePart {
  reason: string;
  /** The account the part is in; '' when neither the reason nor the report says. */
  account: string;
}

/** The reasons no ERROR finding stands for (in its account): each is an unreadable part of its own. */
export function unreadableParts(
  report: Pick<Report, 'incompleteReasons' | 'findings' | 'account'>,
): UnreadablePart[] {
  const byAccount = new Map<string, Finding[]>();
  for (const finding of report.findings) {
    const account = finding.account ?? report.account ?? '';
    const listed = byAccount.get(account);
    if (listed) listed.push(finding);
    else byAccount.set(account, [finding]);
  }
  const covered = new Set(
    [...byAccount.entries()].flatMap(([account, findings]) =>
      describeErrors(findings).map((line) => `${account}|${line}`),
    ),
  );
  return report.incompleteReasons.flatMap((reason) => {
    const member = MEMBER_PREFIX.exec(reason);
    const account = member?.[1] ?? report.account ?? ACCOUNT_ID.exec(reason)?.[1] ?? '';
    const bare = member ? reason.slice(member[0].length) : reason;
    return covered.has(`${account}|${bare}`) ? [] : [{ reason, account }];
  });
}

/** The check id machine formats file the audit's own unreadable parts under. */
export const AUDIT_COMPLETENESS = 'audit-completeness';

const REGION_IN_REASON = /\bin ([a-z]{2}(?:-[a-z]+)+-\d+)\b/;

/**
 * Each unreadable part as an ERROR finding on the account, for the machine formats (JUnit, ASFF,
 * OCSF) that list findings: an audit that read nothing is never an empty, passing file.
 */
export function unreadableFindings(report: Report): Finding[] {
  return unreadableParts(report).map(({ reason, account }) => ({
    id: createHash('sha256').update(`${account}|${reason}`).digest('hex').slice(0, 16),
    checkId: AUDIT_COMPLETENESS,
    status: 'ERROR',
    severity: 'high',
    ...(account ? { account } : {}),
    region: REGION_IN_REASON.exec(reason)?.[1] ?? report.regions[0] ?? 'us-east-1',
    resourceType: 'AWS::::Account',
    resourceArn: `AWS::::Account:${account}`,
    apis: [],
    title: 'The audit could not read part of the account',
    message: reason,
    remediation:
      'Give the audit role the read-only actions it needs (api-network-auditor --print-iam-policy prints them) and run the audit again.',
    docs: [],
    evidence: { incompleteReason: reason },
  }));
}

/** The report's findings and, for an incomplete audit, one ERROR finding per unreadable part. */
export const findingsWithUnreadableParts = (report: Report): Finding[] => [
  ...unreadableFindings(report),
  ...report.findings,
];
