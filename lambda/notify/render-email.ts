/**
 * The email of a notification: a subject that says in one line which stage returns 504s, its cause
 * and the resource; a plain-text body whose first screen is the stages worst first, each with its
 * verdict (read from the report, never recomputed) and the fix to paste; the counts, console links
 * and every announced finding below.
 */

import { emailText, printableAscii, truncate } from '../domain/display-text';
import type { Finding, Report, Severity } from '../domain/types';
import {
  logGroupFromArn,
  logGroupUrl,
  restExecutionLogGroup,
  stageErrorGraphUrl,
} from '../report/console-links';
import {
  accountLabel,
  accountOf,
  accountStatusLine,
  accountsLine,
  findingHeadline,
  fixLines,
  formatPercent,
  incompleteHeadline,
  isMultiAccount,
} from '../report/human-view';
import { resourceName } from '../verdict/resource-name';
import {
  announcedSeverity,
  changeSummary,
  countChanges,
  failingStages,
  findingStageKeys,
  findingsByStage,
  type NotificationView,
  notificationType,
  type RankedStage,
  type ReportStage,
  regionsLabel,
  reportStageKey,
  stagesWorstFirst,
  statusCounts,
} from './notification-view';
import { type FindingChange, isOpenStatus, type Resolution } from './plan-notification';

/** SNS: a subject is under 100 characters. */
export const SUBJECT_MAX_LENGTH = 99;
/** Leaves the rest of SNS's 256 KB to the chat and machine-readable bodies of the same message. */
export const EMAIL_BODY_MAX_BYTES = 64 * 1024;
/** Stages named under one group of findings; a shared load balancer can put thousands in one group. */
export const EMAIL_STAGES_SHOWN = 5;

const SEVERITY_LABEL: Record<Severity, string> = {
  critical: 'CRITICAL',
  high: 'HIGH',
  medium: 'MEDIUM',
  low: 'LOW',
  info: 'INFO',
};

const CHANGE_TAG: Record<FindingChange['kind'], string> = {
  new: 'NEW',
  changed: 'CHANGED',
  reminder: 'STILL OPEN',
  resolved: 'RESOLVED',
};

const RESOLUTION_TEXT: Record<Resolution, string> = {
  passed: 'the check passes now',
  'not-applicable': 'the check no longer applies',
  'stage-recovered':
    'its API stages no longer return 5xx errors (not re-checked; it comes back if errors do)',
  'no-longer-reported': 'the check no longer reports this resource',
  'no-longer-audited':
    'no longer audited: no run has seen its API stages for weeks (deleted, without traffic metrics, or outside the audited APIs or Regions); it is no longer followed',
};

/** What a stage's verdict says in a subject: the cause and its resource, or why there is none. */
function subjectCause({ verdict, causes }: RankedStage): string {
  const [cause] = causes;
  if (cause) return `${cause.checkId} ${resourceName(cause.resourceArn)}`;
  const reasons: Record<RankedStage['verdict']['kind'], string> = {
    cause: 'see the email',
    unreadable: 'path could not be read',
    'no-network-cause': 'no network cause found',
    transient: 'transient, retry',
    healthy: 'no 5xx now',
    'no-traffic': 'no traffic',
  };
  return reasons[verdict.kind];
}

/**
 * The subject: the worst stage, that it returns 504s, its cause and resource, how many more stages,
 * what changed, where: `[HIGH] 504s on orders/prod: nlb-target-security-groups sg-0abc +2 stages,
 * 3 new (123456789012 us-east-1)`. Printable ASCII, no link, < 100 characters: the counts go first
 * when room is short, then the name is cut, never the cause.
 */
export function renderEmailSubject(view: NotificationView, part = 1, parts = 1): string {
  const { report, plan } = view;
  const severity = announcedSeverity(plan.changes);
  const level = plan.allClear ? '[ALL CLEAR]' : severity ? `[${SEVERITY_LABEL[severity]}]` : '[RESOLVED]';
  const tag = view.trigger === 'alarm' ? `${level} [alarm-triggered]` : level;
  const accounts = isMultiAccount(report)
    ? `${report.accounts?.length} accounts`
    : (report.account ?? 'unknown account');
  const where = ` (${printableAscii(accounts)} ${printableAscii(regionsLabel(report.regions))})`;
  const suffix = parts > 1 && part > 1 ? ` (part ${part}/${parts})` : '';
  const counts = changeSummary(countChanges(plan.changes));

  const [worst, ...others] = stagesWorstFirst(report);
  let subject: string;
  if (notificationType(plan) === 'incomplete')
    subject = `[INCOMPLETE] could not read: ${unreadActions(report)}${where}${suffix}`;
  else if (plan.allClear) subject = `${tag} no open findings, ${counts}${where}${suffix}`;
  else if (!worst) subject = `${tag} no API failing now, ${counts}${where}${suffix}`;
  else {
    const [first] = worst.causes;
    const cause = printableAscii(subjectCause(worst));
    const more = others.length > 0 ? ` +${others.length} stage${others.length > 1 ? 's' : ''}` : '';
    const region = ` (${printableAscii(regionsLabel(report.regions))})`;
    // What goes first when room is short: the counts, the other stages, the account, the Region,
    // then the resource; the check that is the cause stays.
    const tails = [
      `: ${cause}${more}, ${counts}${where}${suffix}`,
      `: ${cause}${more}${where}${suffix}`,
      `: ${cause}${where}${suffix}`,
      `: ${cause}${region}${suffix}`,
      `: ${cause}${suffix}`,
      ...(first ? [`: ${printableAscii(first.checkId)}${suffix}`] : []),
    ];
    subject = fitSubject(
      `${tag} 504s on `,
      printableAscii(`${worst.stage.apiName}/${worst.stage.stage}`),
      tails,
    );
  }
  return truncate(subject, SUBJECT_MAX_LENGTH);
}

/** Names shorter than this are cut only when nothing else is left to drop. */
const SUBJECT_NAME_MIN = 20;

/**
 * The richest tail that fits with the stage's name whole; else the richest that fits with the name cut
 * to at least `SUBJECT_NAME_MIN` characters; else the last, cut to fit.
 */
function fitSubject(head: string, name: string, tails: readonly string[]): string {
  const room = (tail: string) => SUBJECT_MAX_LENGTH - head.length - tail.length;
  const whole = tails.find((tail) => name.length <= room(tail));
  if (whole !== undefined) return `${head}${name}${whole}`;
  const cut = tails.find((tail) => room(tail) >= SUBJECT_NAME_MIN) ?? tails.at(-1) ?? '';
  return `${head}${truncate(name, Math.max(SUBJECT_NAME_MIN, room(cut)))}${cut}`;
}

/** `apigateway:GetRestApis, cloudwatch:GetMetricData`: the actions an incomplete audit could not call. */
function unreadActions(report: Report): string {
  const actions = report.incompleteReasons.map((reason) => /^[a-z0-9-]+:[A-Za-z0-9]+/.exec(reason)?.[0]);
  const named = [...new Set(actions.filter((action): action is string => Boolean(action)))];
  return printableAscii(named.length > 0 ? named.join(', ') : 'see the email');
}

/** `orders / prod (HTTP a1b2c3, us-east-1)`; in a report of several accounts, `..., 111111111111 us-east-1)`. */
const stageLine = (
  stage: { apiName?: string; apiId: string; stage: string; region: string; apiType?: string },
  account?: string,
) =>
  `${emailText(stage.apiName ?? stage.apiId, 120)} / ${emailText(stage.stage, 80)} (${stage.apiType ?? 'API'} ${emailText(stage.apiId, 40)}, ${account ? `${emailText(account, 20)} ` : ''}${stage.region})`;

/** The account to name beside a stage: only in a report of several accounts. */
const shownAccount = (report: Report, item: { account?: string }): string | undefined =>
  isMultiAccount(report) ? accountOf(item, report) : undefined;

function trafficLine(stage: ReportStage): string {
  const kind = {
    'no-traffic': 'No traffic',
    healthy: 'Healthy',
    'low-frequency': 'Low-frequency 5xx',
    'high-frequency': 'High-frequency 5xx',
  }[stage.classification];
  const shared = stage.sharesMetricsWith?.length
    ? ` Counts include REST APIs of the same name: ${stage.sharesMetricsWith.map((id) => emailText(id, 40)).join(', ')}.`
    : '';
  return `${kind}: ${stage.errors5xx} errors in ${stage.requests} requests (${formatPercent(stage.errorRatio)}), errors in ${stage.periodsWithErrors} of ${stage.periods} periods.${shared}`;
}

/** A log group a finding's evidence names for the stage (access log destination, searched log group). */
function evidenceLogGroup(findings: readonly Finding[]): string | null {
  for (const finding of findings) {
    const { logGroup, destinationArn } = finding.evidence;
    if (typeof logGroup === 'string' && logGroup) return logGroup;
    if (typeof destinationArn === 'string') {
      const fromArn = logGroupFromArn(destinationArn);
      if (fromArn) return fromArn;
    }
  }
  return null;
}

function stageLinks(stage: ReportStage, view: NotificationView, findings: readonly Finding[]): string[] {
  const logGroup =
    evidenceLogGroup(findings) ??
    (stage.apiType === 'REST' ? restExecutionLogGroup(stage.apiId, stage.stage) : null);
  return [
    `  5xx graph: ${stageErrorGraphUrl(stage, view.report.window)}`,
    logGroup
      ? `  Logs:      ${logGroupUrl(stage.region, logGroup)}`
      : '  Logs:      no log group known for this HTTP API stage (turn on access logging)',
  ];
}

function findingBlock(change: FindingChange, finding: Finding): string {
  const before =
    change.kind === 'changed' && change.previous
      ? ` (was ${change.previous.status} ${change.previous.severity})`
      : '';
  const lines = [
    `[${CHANGE_TAG[change.kind]}] ${finding.status} (${finding.severity})${before} ${emailText(finding.checkId, 60)} (id ${finding.id}): ${emailText(findingHeadline(finding), 200)}`,
    `  Resource: ${emailText(finding.resourceArn, 300)}`,
    `  Found:    ${emailText(finding.message, 2000)}`,
    ...fixOf(finding).map((line, index) => `  ${index === 0 ? 'Do:' : '   '}       ${line}`),
  ];
  if (finding.docs.length) lines.push(`  Docs:     ${finding.docs.join(' ')}`);
  return lines.join('\n');
}

function resolvedBlock(change: FindingChange, multiAccount: boolean): string {
  const checkId = change.finding?.checkId ?? change.previous?.checkId ?? 'unknown-check';
  const title = change.previous?.title ?? change.finding?.title ?? '';
  const arn = change.finding?.resourceArn ?? change.previous?.resourceArn ?? change.findingId;
  const was = change.previous ? ` (was ${change.previous.status} ${change.previous.severity})` : '';
  const why = change.resolution ? RESOLUTION_TEXT[change.resolution] : 'resolved';
  const tag = change.resolution === 'no-longer-audited' ? 'NO LONGER AUDITED' : 'RESOLVED';
  const account = change.finding?.account ?? change.previous?.account;
  const inAccount = multiAccount && account ? `\n  Account:  ${emailText(account, 20)}` : '';
  return `[${tag}] ${emailText(checkId, 60)}${was}: ${emailText(title, 200)}${inAccount}\n  Resource: ${emailText(arn, 300)}\n  Why:      ${why}.`;
}

interface StageGroup {
  /** The account of the findings ('' when the report does not know it). */
  account: string;
  stages: { key: string; stage: ReportStage | undefined; region: string; apiId: string; name: string }[];
  changes: { change: FindingChange; finding: Finding }[];
}

/** The announced findings by the stages they affect; by account first, so each account's come together. */
function groupByStages(view: NotificationView): StageGroup[] {
  const { report } = view;
  const stagesByKey = new Map(report.apis.map((stage) => [reportStageKey(stage, report), stage]));
  const groups = new Map<string, StageGroup>();
  for (const change of view.plan.changes) {
    const finding = change.finding;
    if (change.kind === 'resolved' || !finding) continue;
    const keys = findingStageKeys(finding, report);
    const stages = finding.apis.map((api, index) => {
      const key = keys[index] ?? '';
      return { key, stage: stagesByKey.get(key), region: finding.region, apiId: api.apiId, name: api.stage };
    });
    const account = accountOf(finding, report);
    const groupKey = `${account}:${keys.join(' + ')}`;
    const group = groups.get(groupKey) ?? { account, stages, changes: [] };
    group.changes.push({ change, finding });
    groups.set(groupKey, group);
  }
  return [...groups.values()].sort((a, b) => a.account.localeCompare(b.account));
}

/** The first lines of an incomplete audit's email: that it is not an all-clear, and what could not be read. */
function unreadSection(report: Report): string[] {
  const headline = incompleteHeadline(report);
  if (!headline) return [];
  const shown = report.incompleteReasons.slice(0, UNREAD_SHOWN);
  const more = report.incompleteReasons.length - shown.length;
  return [
    [
      headline,
      ...shown.map((reason) => `- ${emailText(reason, 300)}`),
      ...(more > 0 ? [`- and ${more} more (see the machine-readable message or run the CLI).`] : []),
    ].join('\n'),
  ];
}

/** Reasons an incomplete audit names on the first screen. */
const UNREAD_SHOWN = 8;

/** Below the findings: each check that could not be evaluated, with the AWS action that failed. */
function incompleteSection(view: NotificationView): string[] {
  const { report } = view;
  const errors = report.findings.filter((finding) => finding.status === 'ERROR');
  if (errors.length === 0) return [];
  const lines = ['=== What could not be checked ==='];
  for (const finding of errors.slice(0, 20))
    lines.push(
      `- ${emailText(finding.checkId, 60)} on ${emailText(finding.resourceArn, 200)}: ${emailText(finding.message, 300)}`,
    );
  const hidden = Math.max(0, errors.length - 20);
  if (hidden) lines.push(`- and ${hidden} more (see the machine-readable message or run the CLI).`);
  return [lines.join('\n')];
}

function passedLine(view: NotificationView): string {
  const counts = statusCounts(view.report);
  const passedChecks = new Map<string, number>();
  for (const finding of view.report.findings)
    if (finding.status === 'PASS')
      passedChecks.set(finding.checkId, (passedChecks.get(finding.checkId) ?? 0) + 1);
  const which = [...passedChecks.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([checkId, count]) => (count > 1 ? `${checkId} x${count}` : checkId))
    .join(', ');
  return `Passed: ${counts.PASS} checks${which ? ` (${emailText(which, 600)})` : ''}; ${counts.SKIPPED} skipped as not applicable.`;
}

/** A block of at most `maxBytes`: one larger is cut at a line, with a note, so it cannot crowd out the rest. */
function cutBlock(block: string, maxBytes: number): string {
  if (Buffer.byteLength(block, 'utf8') <= maxBytes) return block;
  const note = '  ... cut to keep this email small; the machine-readable message has the rest.';
  const kept: string[] = [];
  let used = Buffer.byteLength(note, 'utf8');
  for (const line of block.split('\n')) {
    const bytes = Buffer.byteLength(line, 'utf8') + 1;
    if (used + bytes > maxBytes) break;
    kept.push(line);
    used += bytes;
  }
  return [...kept, note].join('\n');
}

/** Adds blocks while they fit in `maxBytes`, then says how many were left out. */
function fitBlocks(head: string[], blocks: string[], tail: string[], maxBytes: number): string {
  const bytes = (text: string) => Buffer.byteLength(text, 'utf8') + 2;
  let used = [...head, ...tail].reduce((sum, block) => sum + bytes(block), 0) + 200;
  const kept: string[] = [];
  for (const block of blocks.map((text) => cutBlock(text, Math.floor(maxBytes / 4)))) {
    if (used + bytes(block) > maxBytes) break;
    kept.push(block);
    used += bytes(block);
  }
  const left = blocks.length - kept.length;
  const note = left
    ? [
        `... ${left} more sections not shown to keep this email small; the machine-readable message lists them all.`,
      ]
    : [];
  return [...head, ...kept, ...note, ...tail].join('\n\n');
}

/**
 * The findings' stages by name only: each stage's numbers and links are in the stages section, once.
 * A shared load balancer can put thousands of stages behind one group: the header names the first
 * `EMAIL_STAGES_SHOWN` and says how many there are, so no stage reads as if it had nothing wrong.
 */
function stageGroupHeader(group: StageGroup, account: string | undefined): string {
  const names = group.stages
    .slice(0, EMAIL_STAGES_SHOWN)
    .map(({ stage, region, apiId, name }) => stageLine(stage ?? { apiId, stage: name, region }, account));
  if (group.stages.length === 1) return `=== Findings for ${names[0]} ===`;
  if (names.length === group.stages.length) return `=== Findings shared by ${names.join(' and ')} ===`;
  return [
    `=== ${group.stages.length} API stages share these findings (${names.length} shown; the machine-readable message and the CLI's report list the others) ===`,
    ...names.map((name) => `--- ${name}`),
  ].join('\n');
}

/**
 * Open findings of the report, by status, and how many of them this email announces: the rest are
 * below the notification severity or were announced before (they are listed under their stage).
 */
function openCountsLine(view: NotificationView): string {
  const counts = statusCounts(view.report);
  const open = counts.FAIL + counts.WARN + counts.ERROR;
  const announced = view.plan.changes.filter((change) => change.kind !== 'resolved').length;
  const others = Math.max(0, open - announced);
  return (
    `Open findings: ${open} (${counts.FAIL} FAIL, ${counts.WARN} WARN, ${counts.ERROR} ERROR): ` +
    `${announced} announced below, ${others} announced before or below the notification severity.`
  );
}

/** The fix of a cause, to paste: its commands, else the check's remediation (one line each). */
const fixOf = (finding: Finding): string[] => fixLines(finding).map((line) => emailText(line, 2000));

/**
 * The first screen: each stage once, worst first, its traffic, its verdict and, for its first cause,
 * the resource and the fix to paste. At most `STAGES_SHOWN` stages and `maxBytes`.
 */
function stagesSection(ranked: readonly RankedStage[], view: NotificationView, maxBytes: number): string {
  const lines = [`=== Stages, worst first (${ranked.length}) ===`];
  let used = Buffer.byteLength(lines[0] ?? '', 'utf8') + 100;
  let shown = 0;
  const { report } = view;
  for (const [index, { stage, verdict, causes }] of ranked.slice(0, STAGES_SHOWN).entries()) {
    const [cause, ...more] = causes;
    const block = [
      `${index + 1}. ${stageLine(stage, shownAccount(report, stage))}`,
      `   ${trafficLine(stage)}`,
      `   ${cause ? 'Cause:  ' : 'Verdict:'}  ${emailText(verdict.summary, 400)}`,
      ...(cause ? [`   Resource: ${emailText(resourceName(cause.resourceArn), 200)} (id ${cause.id})`] : []),
      ...(cause ? fixOf(cause).map((line, at) => `   ${at === 0 ? 'Fix:' : '    '}      ${line}`) : []),
      ...(more.length > 0 ? [`   Also:     ${alsoLine(more)}`] : []),
      '',
    ];
    const bytes = Buffer.byteLength(block.join('\n'), 'utf8') + 1;
    if (shown > 0 && used + bytes > maxBytes) break;
    lines.push(...block);
    used += bytes;
    shown += 1;
  }
  if (ranked.length > shown)
    lines.push(`... and ${ranked.length - shown} more stages (see the JSON message).`);
  return lines.join('\n').trimEnd();
}

/** `lb-cross-zone, nlb-tcp-target-resets (2 findings, below)`: the other causes' checks, at most three named. */
function alsoLine(more: readonly Finding[]): string {
  const checks = [...new Set(more.map((finding) => finding.checkId))];
  const named = checks.slice(0, 3).map((checkId) => emailText(checkId, 60));
  const left = checks.length - named.length;
  const others = left > 0 ? ` and ${left} other check${left === 1 ? '' : 's'}` : '';
  return `${named.join(', ')}${others} (${more.length} finding${more.length === 1 ? '' : 's'}, below)`;
}

/** Below the counts: each shown stage's 5xx graph and logs in the console. */
function linksSection(ranked: readonly RankedStage[], view: NotificationView, maxBytes: number): string {
  const { report } = view;
  const byStage = findingsByStage(report.findings, report);
  const lines = ['=== Console links ==='];
  let used = Buffer.byteLength(lines[0] ?? '', 'utf8');
  for (const { stage } of ranked.slice(0, STAGES_SHOWN)) {
    const block = [
      stageLine(stage, shownAccount(report, stage)),
      ...stageLinks(stage, view, byStage.get(reportStageKey(stage, report)) ?? []),
    ];
    const bytes = Buffer.byteLength(block.join('\n'), 'utf8') + 1;
    if (used + bytes > maxBytes) break;
    lines.push(...block);
    used += bytes;
  }
  return lines.join('\n');
}

/** Each account of a merged report: whether it was audited and, if not, why; the failures first. */
function accountsSection(accounts: NonNullable<Report['accounts']>, maxBytes: number): string {
  const order = { error: 0, incomplete: 1, audited: 2 } as const;
  const lines = [`=== Accounts: ${emailText(accountsLine(accounts), 200)} ===`];
  let used = Buffer.byteLength(lines[0] ?? '', 'utf8');
  const sorted = [...accounts].sort((a, b) => order[a.status] - order[b.status]);
  for (const [index, account] of sorted.entries()) {
    const line = `- ${emailText(accountStatusLine(account), 400)}`;
    const why = account.error ? `\n  ${emailText(account.error.message, 600)}` : '';
    const bytes = Buffer.byteLength(line + why, 'utf8') + 1;
    if (index > 0 && used + bytes > maxBytes) {
      lines.push(`- and ${sorted.length - index} more accounts (see the machine-readable message).`);
      break;
    }
    lines.push(line + why);
    used += bytes;
  }
  return lines.join('\n');
}

/** Stages detailed in one email: enough for a large incident, bounded for SNS's size limit. */
const STAGES_SHOWN = 20;

/** The plain-text body (part 1 of a notification; later parts carry `renderContinuationEmail`). */
export function renderEmailBody(view: NotificationView, maxBytes = EMAIL_BODY_MAX_BYTES): string {
  const { report, plan } = view;
  const counts = countChanges(plan.changes);
  const failing = failingStages(report);
  const ranked = stagesWorstFirst(report);
  const multiAccount = isMultiAccount(report);
  const where = multiAccount
    ? `${report.accounts?.length} accounts`
    : `account ${emailText(report.account ?? 'unknown account', 40)}`;
  const regions = report.regions.join(', ');
  const headline = plan.allClear
    ? `All clear: every finding announced before is resolved in ${where} (${regions}).`
    : failing.length === 0 && !report.complete
      ? `The audit of ${where} (${regions}) could not read everything: no failing stage seen, which is not an all-clear.`
      : `${failing.length} API stage(s) failing with 5xx errors in ${where} (${regions}).`;
  // The first screen: what could not be read, then the stages with their causes and fixes.
  const head = [headline, ...unreadSection(report)];
  if (ranked.length > 0) head.push(stagesSection(ranked, view, Math.floor(maxBytes / 4)));
  head.push(
    [
      `This run: ${changeSummary(counts)}.`,
      openCountsLine(view),
      `Window ${report.window.start} to ${report.window.end} (${report.window.periodSeconds}-second periods); report generated ${report.generatedAt}.`,
    ].join('\n'),
  );
  if (report.accounts) head.push(accountsSection(report.accounts, Math.floor(maxBytes / 8)));
  if (ranked.length > 0) head.push(linksSection(ranked, view, Math.floor(maxBytes / 8)));

  const blocks: string[] = [];
  const groups = groupByStages(view);
  groups.forEach((group, index) => {
    const account = multiAccount ? group.account : undefined;
    if (account !== undefined && group.account !== groups[index - 1]?.account)
      blocks.push(`##### Account ${emailText(accountLabel(report, group.account), 200)} #####`);
    const header = group.stages.length
      ? stageGroupHeader(group, account)
      : '=== Not tied to an API stage ===';
    blocks.push(header);
    for (const { change, finding } of group.changes) blocks.push(findingBlock(change, finding));
    const announced = new Set(group.changes.map(({ finding }) => finding.id));
    const groupKeys = group.stages.map(({ key }) => key).join(' + ');
    const alsoOpen = report.findings.filter(
      (finding) =>
        isOpenStatus(finding.status) &&
        !announced.has(finding.id) &&
        accountOf(finding, report) === group.account &&
        findingStageKeys(finding, report).join(' + ') === groupKeys,
    );
    if (alsoOpen.length)
      blocks.push(
        [
          'Also open on these stages (announced before or below the notification threshold):',
          ...alsoOpen
            .slice(0, 20)
            .map(
              (finding) =>
                `  - ${finding.status} (${finding.severity}) ${emailText(finding.checkId, 60)}: ${emailText(findingHeadline(finding), 160)}`,
            ),
          ...(alsoOpen.length > 20 ? [`  - and ${alsoOpen.length - 20} more`] : []),
        ].join('\n'),
      );
  });
  const resolved = plan.changes.filter((change) => change.kind === 'resolved');
  if (resolved.length) {
    blocks.push(`=== Resolved (${resolved.length}) ===`);
    for (const change of resolved) blocks.push(resolvedBlock(change, multiAccount));
  }

  const tail = [
    ...incompleteSection(view),
    [
      passedLine(view),
      `Run ${view.runId}. Subscribe a queue or function to this topic for the full JSON.`,
    ].join('\n'),
  ];
  return fitBlocks(head, blocks, tail, maxBytes);
}

/** The email text of parts 2..N, which only carry more of the machine-readable findings. */
export function renderContinuationEmail(view: NotificationView, part: number, parts: number): string {
  return [
    `Part ${part} of ${parts} of notification ${view.runId}: more machine-readable findings for queue and function subscribers.`,
    'The summary for people was in part 1. Subscribe email with the filter policy {"part": [1]} to receive only that part.',
  ].join('\n');
}
