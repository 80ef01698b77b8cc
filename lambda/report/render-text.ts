/**
 * The report for a terminal: one line per API stage, then the findings that need attention grouped
 * by the stages they affect, then a one-line summary of the rest. Pure: report in, text out.
 */
import type { Classification, Finding, Report, Status } from '../domain/types';
import { terminalText } from '../notify/display-text';
import { buildHumanView, formatPercent, stageLabel, summaryLine } from './human-view';

export interface TextRenderOptions {
  /** ANSI colours; the caller decides (TTY, --no-color, NO_COLOR). */
  color: boolean;
}

const ANSI = { red: 31, green: 32, yellow: 33, magenta: 35, cyan: 36, dim: 2, bold: 1 } as const;
type Style = keyof typeof ANSI;

const STATUS_STYLE: Record<Status, Style> = {
  FAIL: 'red',
  WARN: 'yellow',
  ERROR: 'magenta',
  PASS: 'green',
  SKIPPED: 'dim',
};

const CLASSIFICATION_STYLE: Record<Classification, Style> = {
  'high-frequency': 'red',
  'low-frequency': 'yellow',
  healthy: 'green',
  'no-traffic': 'dim',
};

const INDENT = '        ';

export function renderText(report: Report, options: TextRenderOptions): string {
  const paint = (style: Style, text: string): string =>
    options.color ? `\u001b[${ANSI[style]}m${text}\u001b[0m` : text;
  const view = buildHumanView(report);
  const lines: string[] = [];

  lines.push(
    paint(
      'bold',
      `API Gateway network audit · account ${terminalText(report.account ?? 'unknown')} · ${terminalText(report.regions.join(', '))}`,
    ),
    `Window ${report.window.start} to ${report.window.end} (${report.window.periodSeconds / 60}-minute periods)`,
  );
  if (!report.complete) {
    lines.push(paint('magenta', 'Incomplete audit:'));
    for (const reason of report.incompleteReasons)
      lines.push(paint('magenta', `  - ${terminalText(reason)}`));
  }

  lines.push('', paint('bold', `API stages (${view.stages.length})`));
  if (view.stages.length === 0) lines.push('  No API stages found in the audited Regions.');
  const labels = view.stages.map((stage) => terminalText(stageLabel(stage)));
  const labelWidth = Math.max(0, ...labels.map((label) => label.length));
  const classWidth = Math.max(0, ...view.stages.map((stage) => stage.classification.length));
  view.stages.forEach((stage, index) => {
    const classification = paint(
      CLASSIFICATION_STYLE[stage.classification],
      stage.classification.padEnd(classWidth),
    );
    const traffic =
      stage.requests === 0
        ? 'no requests'
        : `5xx ${formatPercent(stage.errorRatio)} (${stage.errors5xx} of ${stage.requests} requests), ` +
          `errors in ${stage.periodsWithErrors}/${stage.periods} periods`;
    const shared = stage.sharesMetricsWith?.length
      ? ` [metrics merged with REST APIs of the same name: ${terminalText(stage.sharesMetricsWith.join(', '))}]`
      : '';
    lines.push(
      `  ${classification}  ${(labels[index] ?? '').padEnd(labelWidth)}  ${stage.apiType.padEnd(4)}  ${traffic}${shared}`,
    );
  });

  if (view.groups.length === 0) {
    lines.push('', 'No findings need attention.');
  }
  for (const group of view.groups) {
    const heading =
      group.stageLabels.length > 0 ? terminalText(group.stageLabels.join(', ')) : 'Not tied to an API stage';
    lines.push('', paint('bold', `Findings for ${heading}`));
    for (const finding of group.findings) lines.push(...findingLines(finding, view.commonDocs, paint));
  }

  lines.push('', summaryLine(view.counts));
  for (const doc of view.commonDocs) lines.push(`Background for every finding above: ${doc}`);
  return `${lines.join('\n')}\n`;
}

function findingLines(
  finding: Finding,
  commonDocs: readonly string[],
  paint: (style: Style, text: string) => string,
): string[] {
  const lines = [
    `  ${paint(STATUS_STYLE[finding.status], finding.status.padEnd(5))} ${finding.severity.padEnd(8)} ` +
      `${paint('cyan', terminalText(finding.checkId))}  ${terminalText(finding.title)}`,
    `${INDENT}${terminalText(finding.message)}`,
    `${INDENT}Resource: ${terminalText(finding.resourceArn)}`,
  ];
  if (finding.remediation) lines.push(`${INDENT}Fix: ${terminalText(finding.remediation)}`);
  for (const doc of finding.docs) if (!commonDocs.includes(doc)) lines.push(`${INDENT}Docs: ${doc}`);
  return lines;
}
