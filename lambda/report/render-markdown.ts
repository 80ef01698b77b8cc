/**
 * The report as Markdown (a pull request comment, a wiki page, an issue): the same content as the
 * text rendering: what could not be read first, a table of API stages worst first with their
 * verdicts, and a section per stage that needs a person.
 */

import { markdownCode, markdownText } from '../domain/display-text';
import type { Finding, Report } from '../domain/types';
import {
  accountLabel,
  accountOf,
  accountsLine,
  buildHumanView,
  findingHeadline,
  fixLines,
  formatPercent,
  incompleteHeadline,
  nothingToShowLine,
  type StageSection,
  seeAboveByStage,
  stageLabel,
  summaryLine,
  suppressionLine,
} from './human-view';
import { pathLines } from './path-view';

/** Makes untrusted text safe inside a table cell or a list item: one line, no markup, no link. */
export const escapeMarkdown = (text: string): string => markdownText(text);

const code = (text: string): string => markdownCode(text, 300);

export function renderMarkdown(report: Report): string {
  const view = buildHumanView(report);
  const lines: string[] = ['# API Gateway network audit', ''];
  const incomplete = incompleteHeadline(report);
  if (incomplete)
    lines.push(
      `> **${escapeMarkdown(incomplete)}**`,
      ...report.incompleteReasons.map((reason) => `> - ${escapeMarkdown(reason)}`),
      '',
    );
  lines.push(
    view.multiAccount && report.accounts
      ? `- Accounts: ${escapeMarkdown(accountsLine(report.accounts))}`
      : `- Account: ${report.account ? code(report.account) : 'unknown'}`,
    `- Regions: ${report.regions.map(code).join(', ')}`,
    `- Window: ${report.window.start} to ${report.window.end} (${report.window.periodSeconds / 60}-minute periods)`,
    `- Generated: ${report.generatedAt} by ${report.tool.name} ${report.tool.version}`,
  );

  if (report.accounts) {
    lines.push(
      '',
      `## Accounts (${report.accounts.length})`,
      '',
      '| Status | Account | Name | Regions | Error |',
      '|---|---|---|---|---|',
    );
    for (const account of report.accounts) {
      const error = account.error
        ? `${code(account.error.action)} ${code(account.error.code)} in ${account.error.regions.join(', ')}: ${escapeMarkdown(account.error.message)}`
        : '';
      lines.push(
        `| ${account.status.toUpperCase()} | ${code(account.id)} | ${escapeMarkdown(account.name ?? '')} | ${account.regions.join(', ')} | ${error} |`,
      );
    }
  }

  lines.push('', `## API stages (${view.stages.length}), worst first`, '');
  if (view.stages.length === 0) {
    lines.push('No API stages found in the audited Regions.');
  } else {
    const accountColumn = view.multiAccount ? ' Account |' : '';
    lines.push(
      `|${accountColumn} Classification | Stage | Type | Requests | 5xx | 5xx ratio | Periods with errors | Verdict |`,
      `|${view.multiAccount ? '---|' : ''}---|---|---|---:|---:|---:|---:|---|`,
    );
    for (const { stage, verdict } of view.stages) {
      const shared = stage.sharesMetricsWith?.length
        ? ` (metrics merged with ${stage.sharesMetricsWith.map(code).join(', ')})`
        : '';
      const account = view.multiAccount
        ? ` ${escapeMarkdown(accountLabel(report, accountOf(stage, report)))} |`
        : '';
      lines.push(
        `|${account} ${stage.classification} | ${escapeMarkdown(stageLabel(stage))}${shared} | ${stage.apiType} | ` +
          `${stage.requests} | ${stage.errors5xx} | ${formatPercent(stage.errorRatio)} | ` +
          `${stage.periodsWithErrors}/${stage.periods} | ${escapeMarkdown(verdict.summary)} |`,
      );
    }
  }

  lines.push('', '## Findings', '');
  if (view.sections.length === 0) lines.push(nothingToShowLine(report), '');
  for (const section of view.sections) {
    const heading = section.ranked
      ? escapeMarkdown(
          view.multiAccount
            ? `${stageLabel(section.ranked.stage)} in ${accountLabel(report, section.account)}`
            : stageLabel(section.ranked.stage),
        )
      : 'Not tied to an API stage';
    lines.push(`### ${heading}`, '');
    if (section.ranked) lines.push(`**Verdict:** ${escapeMarkdown(section.ranked.verdict.summary)}`, '');
    for (const finding of section.findings) lines.push(...findingItem(finding, view.commonDocs));
    for (const { under, findings } of seeAboveByStage(section))
      lines.push(
        `- Also here, shown under ${escapeMarkdown(under)}: ${findings.map((finding) => `${finding.status} ${code(finding.checkId)} ${code(finding.id)}`).join(', ')}`,
      );
    lines.push('', ...pathSection(section));
  }

  lines.push(summaryLine(view.counts));
  const suppressed = suppressionLine(report);
  if (suppressed) lines.push('', escapeMarkdown(suppressed));
  for (const doc of view.commonDocs) lines.push('', `Background for every finding above: <${doc}>`);
  return `${lines.join('\n')}\n`;
}

/** The path the audit followed for the section's stage, one item per component; nothing without one. */
function pathSection(section: StageSection): string[] {
  const path = section.ranked?.stage.auditedPath ?? [];
  if (path.length === 0) return [];
  const named = new Set(section.findings.map((finding) => finding.resourceArn));
  return ['**Path followed:**', '', ...pathLines(path, named).map((line) => `- ${escapeMarkdown(line)}`), ''];
}

function findingItem(finding: Finding, commonDocs: readonly string[]): string[] {
  const lines = [
    `- **${finding.status}** · ${finding.severity} · ${code(finding.checkId)} · id ${code(finding.id)}: ${escapeMarkdown(findingHeadline(finding))}`,
    `  - ${escapeMarkdown(finding.message)}`,
    `  - Resource: ${code(finding.resourceArn)}`,
  ];
  if (finding.fix?.commands.length)
    lines.push(
      '  - Fix (paste):',
      ...fixLines(finding).map((command) => `    - ${markdownCode(command, 2000)}`),
    );
  else if (finding.remediation) lines.push(`  - Fix: ${escapeMarkdown(finding.remediation)}`);
  for (const doc of finding.docs) if (!commonDocs.includes(doc)) lines.push(`  - Docs: <${doc}>`);
  return lines;
}
