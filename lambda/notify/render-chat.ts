/**
 * The chat message of a notification: the custom-notification event that Amazon Q Developer in chat
 * applications (formerly AWS Chatbot) accepts from an SNS topic
 * (https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html):
 * `{ version: '1.0', source: 'custom', id?, content: { textType: 'client-markdown', title, description,
 * nextSteps?, keywords? }, metadata?: { threadId?, summary?, eventType?, relatedResources?, additionalContext? } }`.
 * The lengths below are kept well inside what chat platforms show in one message.
 */

import { markdownCode, markdownText, recordText, truncate } from '../domain/display-text';
import type { Finding } from '../domain/types';
import { accountOf, fixLines, formatPercent, isMultiAccount } from '../report/human-view';
import { resourceName } from '../verdict/resource-name';
import {
  announcedSeverity,
  changeSummary,
  countChanges,
  findingStageKeys,
  type NotificationView,
  type RankedStage,
  regionsLabel,
  reportStageKey,
  stagesWorstFirst,
} from './notification-view';

export const CHAT_TITLE_MAX_LENGTH = 250;
export const CHAT_DESCRIPTION_MAX_LENGTH = 3000;
export const CHAT_NEXT_STEPS_MAX = 5;
export const CHAT_KEYWORDS_MAX = 10;

export interface ChatNotification {
  version: '1.0';
  source: 'custom';
  id: string;
  content: {
    textType: 'client-markdown';
    title: string;
    description: string;
    nextSteps?: string[];
    keywords?: string[];
  };
  metadata: {
    summary: string;
    eventType: string;
    relatedResources: string[];
    additionalContext: Record<string, string>;
  };
}

/** Untrusted text in the chat's Markdown goes in code spans: chat clients make links of bare URLs elsewhere. */
const code = markdownCode;

const SEVERITY_ICON = {
  critical: ':rotating_light:',
  high: ':red_circle:',
  medium: ':large_orange_diamond:',
  low: ':small_blue_diamond:',
  info: ':information_source:',
} as const;

/** Stages whose verdict heads the description. */
export const CHAT_STAGES_SHOWN = 5;

/** The cause and its resource for the title, or why there is none: cleaned for the chat's Markdown. */
function titleCause({ verdict, causes }: RankedStage): string {
  const [cause] = causes;
  return cause
    ? `${markdownText(cause.checkId, 60)} on ${markdownText(resourceName(cause.resourceArn), 80)}`
    : markdownText(verdict.summary, 120);
}

/** A stage's verdict line and, for its first cause, the fix to paste. */
function stageLines(
  { stage, verdict, causes }: RankedStage,
  multiAccount: boolean,
  report: NotificationView['report'],
): string[] {
  const where = `${stage.apiType}, ${multiAccount ? `${code(accountOf(stage, report), 20)} ` : ''}${stage.region}`;
  const [cause] = causes;
  const fix = cause ? fixLines(cause)[0] : undefined;
  return [
    `*${code(stage.apiName, 80)} / ${code(stage.stage, 40)}* (${where}): ${formatPercent(stage.errorRatio)} 5xx (${stage.errors5xx}/${stage.requests}). ${code(verdict.summary, 300)}`,
    ...(fix ? [`  Fix: ${code(fix, 600)}`] : []),
  ];
}

export function renderChatNotification(view: NotificationView): ChatNotification {
  return chatNotification(view, 1, 1);
}

function chatNotification(view: NotificationView, part: number, parts: number): ChatNotification {
  const { report, plan } = view;
  const severity = announcedSeverity(plan.changes);
  const ranked = stagesWorstFirst(report);
  const counts = changeSummary(countChanges(plan.changes));
  const multiAccount = isMultiAccount(report);
  const accounts = multiAccount
    ? `${report.accounts?.length} accounts`
    : (report.account ?? 'unknown account');
  const where = `${markdownText(accounts, 40)} ${markdownText(regionsLabel(report.regions), 80)}`;
  // An incomplete audit never wears the all-clear tick.
  const icon = plan.allClear
    ? ':white_check_mark:'
    : severity
      ? SEVERITY_ICON[severity]
      : report.complete
        ? ':white_check_mark:'
        : ':warning:';
  const [worst] = ranked;
  const more = ranked.length > 1 ? ` (+${ranked.length - 1} stage${ranked.length > 2 ? 's' : ''})` : '';
  const headline = plan.allClear
    ? 'All clear: every announced finding is resolved'
    : worst
      ? `504s on ${markdownText(worst.stage.apiName, 80)}/${markdownText(worst.stage.stage, 40)}: ${titleCause(worst)}${more}`
      : report.complete
        ? 'No API stage failing now'
        : 'Incomplete audit: could not read everything, not an all-clear';
  const title = truncate(
    `${icon} ${severity ? `[${severity.toUpperCase()}] ` : ''}${headline} (${where})`,
    CHAT_TITLE_MAX_LENGTH,
  );

  const stagesByKey = new Map(report.apis.map((stage) => [reportStageKey(stage, report), stage]));
  // First: what could not be read, then the stages worst first with their causes and fixes; counts below.
  const lines: string[] = [];
  if (!report.complete)
    lines.push(
      `:warning: *Incomplete audit, not an all-clear.* Could not read: ${code(report.incompleteReasons.join('; '), 300)}`,
    );
  for (const stage of ranked.slice(0, CHAT_STAGES_SHOWN))
    lines.push(...stageLines(stage, multiAccount, report));
  lines.push(`*${counts}* in API Gateway 504 audit run ${code(view.runId, 20)}.`);
  // Each finding under the header of its own stages: findings of the same stages are gathered first.
  const groups = new Map<string, { keys: string[]; findings: { kind: string; finding: Finding }[] }>();
  for (const change of plan.changes) {
    const finding = change.finding;
    if (change.kind === 'resolved' || !finding) continue;
    const keys = findingStageKeys(finding, report);
    const groupKey = `${accountOf(finding, report)}:${keys.join(' + ')}`;
    const group = groups.get(groupKey) ?? { keys, findings: [] };
    group.findings.push({ kind: change.kind, finding });
    groups.set(groupKey, group);
  }
  for (const { keys, findings } of groups.values()) {
    for (const key of keys) {
      const stage = stagesByKey.get(key);
      if (!stage) continue;
      lines.push(
        `*${code(stage.apiName, 80)} / ${code(stage.stage, 40)}* (${stage.apiType}, ${multiAccount ? `${code(accountOf(stage, report), 20)} ` : ''}${stage.region}): ${stage.classification}, ` +
          `${formatPercent(stage.errorRatio)} 5xx (${stage.errors5xx}/${stage.requests})`,
      );
    }
    for (const { kind, finding } of findings) {
      lines.push(
        `• ${kind.toUpperCase()} ${finding.status} ${finding.severity} ${code(finding.checkId, 60)}: ${code(finding.message, 300)}`,
      );
    }
  }
  const resolved = plan.changes.filter((change) => change.kind === 'resolved');
  for (const change of resolved)
    lines.push(
      `• ${change.resolution === 'no-longer-audited' ? 'NO LONGER AUDITED' : 'RESOLVED'} ${code(change.finding?.checkId ?? change.previous?.checkId ?? '', 60)} on ${code(change.finding?.resourceArn ?? change.previous?.resourceArn ?? change.findingId, 200)}`,
    );

  let description = '';
  for (const [index, line] of lines.entries()) {
    const more = `… and ${lines.length - index} more lines: see the email or the JSON message.`;
    if (description.length + line.length + 1 + more.length > CHAT_DESCRIPTION_MAX_LENGTH) {
      description += more;
      break;
    }
    description += `${line}\n`;
  }

  // The worst stages' causes' fixes first, then the announced findings'.
  const nextSteps = [
    ...new Set(
      [
        ...ranked.flatMap(({ causes }) => causes.slice(0, 1)),
        ...plan.changes.flatMap((change) =>
          change.kind !== 'resolved' && change.finding ? [change.finding] : [],
        ),
      ].map((finding) => markdownText(fixLines(finding)[0] ?? '', 300)),
    ),
  ]
    .filter(Boolean)
    .slice(0, CHAT_NEXT_STEPS_MAX);
  const keywords = [
    ...(severity ? [severity] : []),
    ...new Set(plan.changes.map((change) => change.finding?.checkId ?? change.previous?.checkId ?? '')),
  ]
    .filter(Boolean)
    .map((keyword) => markdownText(keyword, 60))
    .slice(0, CHAT_KEYWORDS_MAX);
  // ARNs carry resource names: untrusted, shown by the chat client as they are.
  const relatedResources = [
    ...new Set(
      plan.changes.map((change) =>
        recordText(change.finding?.resourceArn ?? change.previous?.resourceArn ?? '', 300),
      ),
    ),
  ]
    .filter(Boolean)
    .slice(0, 10);

  return {
    version: '1.0',
    source: 'custom',
    id: `${view.runId}-${part}`,
    content: {
      textType: 'client-markdown',
      title,
      description: description.trimEnd(),
      ...(nextSteps.length ? { nextSteps } : {}),
      ...(keywords.length ? { keywords } : {}),
    },
    metadata: {
      summary: truncate(`${headline}: ${counts}`, 250),
      eventType: plan.allClear ? 'ApiNetworkAuditAllClear' : 'ApiNetworkAuditFindings',
      relatedResources,
      additionalContext: {
        runId: view.runId,
        account: report.account ?? (multiAccount ? 'several' : 'unknown'),
        ...(report.accounts ? { accounts: report.accounts.map((account) => account.id).join(',') } : {}),
        regions: report.regions.join(','),
        part: String(part),
        parts: String(parts),
      },
    },
  };
}

/** A chat message with the notification's headline and only `description` in it. */
function headlineOnly(
  view: NotificationView,
  part: number,
  parts: number,
  description: string,
  titlePrefix = '',
): ChatNotification {
  const base = chatNotification({ ...view, plan: { ...view.plan, changes: [] } }, part, parts);
  return {
    ...base,
    content: {
      textType: 'client-markdown',
      title: truncate(`${titlePrefix}${base.content.title}`, CHAT_TITLE_MAX_LENGTH),
      description,
    },
    metadata: { ...base.metadata, summary: description, relatedResources: [] },
  };
}

/**
 * The chat message of parts 2..N, which only carry more machine-readable findings: short, and
 * recognisable so a channel can filter it out (message attribute `part`).
 */
export function renderChatContinuation(
  view: NotificationView,
  part: number,
  parts: number,
): ChatNotification {
  const summary = `Part ${part} of ${parts} of audit notification ${view.runId}: more machine-readable findings (the summary was in part 1).`;
  return headlineOnly(view, part, parts, summary, 'Continued: ');
}

/** The chat message that replaces one too large for SNS: the headline, and where the findings are. */
export function renderChatCut(
  view: NotificationView,
  part: number,
  parts: number,
  note: string,
): ChatNotification {
  return headlineOnly(view, part, parts, note);
}
