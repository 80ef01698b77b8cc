/**
 * The report as Markdown (a pull request comment, a wiki page, an issue): the same content as the
 * text rendering, as a table of API stages and a list of findings per group of stages.
 */
import type { Finding, Report } from '../domain/types';
import { markdownCode, markdownText } from '../notify/display-text';
import {
  accountLabel,
  accountOf,
  accountsLine,
  buildHumanView,
  formatPercent,
  stageLabel,
  summaryLine,
  suppressionLine,
} from './human-view';

/** Makes untrusted text safe inside a table cell or a list item: one line, no markup, no link. */
export const escapeMarkdown = (text: string): string => markdownText(text);

const code = (text: string): string => markdownCode(text, 300);

export function renderMarkdown(report: Report): string {
  const view = buildHumanView(report);
  const lines: string[] = [
    '# API Gateway network audit',
    '',
    view.multiAccount && report.accounts
      ? `- Accounts: ${escapeMarkdown(accountsLine(report.accounts))}`
      : `- Account: ${report.account ? code(report.account) : 'unknown'}`,
    `- Regions: ${report.regions.map(code).join(', ')}`,
    `- Window: ${report.window.start} to ${report.window.end} (${report.window.periodSeconds / 60}-minute periods)`,
    `- Generated: ${report.generatedAt} by ${report.tool.name} ${report.tool.version}`,
  ];
  if (!report.complete) {
    lines.push(
      '',
      '> **Incomplete audit**',
      ...report.incompleteReasons.map((reason) => `> - ${escapeMarkdown(reason)}`),
    );
  }

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

  lines.push('', `## API stages (${view.stages.length})`, '');
  if (view.stages.length === 0) {
    lines.push('No API stages found in the audited Regions.');
  } else {
    const accountColumn = view.multiAccount ? ' Account |' : '';
    lines.push(
      `|${accountColumn} Classification | Stage | Type | Requests | 5xx | 5xx ratio | Periods with errors |`,
      `|${view.multiAccount ? '---|' : ''}---|---|---|---:|---:|---:|---:|`,
    );
    for (const stage of view.stages) {
      const shared = stage.sharesMetricsWith?.length
        ? ` (metrics merged with ${stage.sharesMetricsWith.map(code).join(', ')})`
        : '';
      const account = view.multiAccount
        ? ` ${escapeMarkdown(accountLabel(report, accountOf(stage, report)))} |`
        : '';
      lines.push(
        `|${account} ${stage.classification} | ${escapeMarkdown(stageLabel(stage))}${shared} | ${stage.apiType} | ` +
          `${stage.requests} | ${stage.errors5xx} | ${formatPercent(stage.errorRatio)} | ` +
          `${stage.periodsWithErrors}/${stage.periods} |`,
      );
    }
  }

  lines.push('', '## Findings', '');
  if (view.groups.length === 0) lines.push('No findings need attention.', '');
  view.groups.forEach((group, index) => {
    if (view.multiAccount && group.account !== view.groups[index - 1]?.account)
      lines.push(`### Account ${escapeMarkdown(accountLabel(report, group.account))}`, '');
    const heading =
      group.stageLabels.length > 0
        ? group.stageLabels.map(escapeMarkdown).join(', ')
        : 'Not tied to an API stage';
    lines.push(`${view.multiAccount ? '####' : '###'} ${heading}`, '');
    for (const finding of group.findings) lines.push(...findingItem(finding, view.commonDocs));
    lines.push('');
  });

  lines.push(summaryLine(view.counts));
  const suppressed = suppressionLine(report);
  if (suppressed) lines.push('', escapeMarkdown(suppressed));
  for (const doc of view.commonDocs) lines.push('', `Background for every finding above: <${doc}>`);
  return `${lines.join('\n')}\n`;
}

function findingItem(finding: Finding, commonDocs: readonly string[]): string[] {
  const lines = [
    `- **${finding.status}** · ${finding.severity} · ${code(finding.checkId)}: ${escapeMarkdown(finding.title)}`,
    `  - ${escapeMarkdown(finding.message)}`,
    `  - Resource: ${code(finding.resourceArn)}`,
  ];
  if (finding.remediation) lines.push(`  - Fix: ${escapeMarkdown(finding.remediation)}`);
  for (const doc of finding.docs) if (!commonDocs.includes(doc)) lines.push(`  - Docs: <${doc}>`);
  return lines;
}
