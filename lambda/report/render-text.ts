/**
 * The report for a terminal: one line per API stage, then the findings that need attention grouped
 * by the stages they affect, then a one-line summary of the rest. Pure: report in, text out.
 * By default every line fits 80 columns (ARNs and URLs go to a footer of references); `wide`
 * keeps one line per fact, however long. Every untrusted string goes through terminalText
 * (display-text.ts) before it is wrapped or cited, so the References footer holds only cleaned text.
 */
import type { Classification, Finding, Report, Status } from '../domain/types';
import { terminalText, truncate } from '../notify/display-text';
import { errorMinuteLines } from './error-minute-lines';
import {
  accountLabel,
  accountOf,
  accountStatusLine,
  accountsLine,
  buildHumanView,
  type FindingGroup,
  formatPercent,
  type HumanView,
  stageLabel,
  summaryLine,
  suppressionLine,
} from './human-view';
import { citeReferences, References, wrap } from './wrap-text';

export interface TextRenderOptions {
  /** ANSI colours; the caller decides (TTY, --no-color, NO_COLOR). */
  color: boolean;
  /** One line per fact, however wide (the layout before 80 columns). @default false */
  wide?: boolean;
}

/** The terminal width the default layout fits. */
export const TEXT_WIDTH = 80;

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

type Paint = (style: Style, text: string) => string;

const painter =
  (color: boolean): Paint =>
  (style, text) =>
    color ? `\u001b[${ANSI[style]}m${text}\u001b[0m` : text;

export function renderText(report: Report, options: TextRenderOptions): string {
  return options.wide
    ? renderWideText(report, painter(options.color))
    : renderNarrowText(report, painter(options.color));
}

function renderNarrowText(report: Report, paint: Paint): string {
  const view = buildHumanView(report);
  const references = new References();
  const multiRegion = report.regions.length > 1;
  const lines: string[] = [
    paint('bold', 'API Gateway network audit'),
    ...wrap(`${whereLine(report, view)} · ${terminalText(report.regions.join(', '))}`, TEXT_WIDTH),
    `Window ${report.window.start} to ${report.window.end}`,
    `  (${report.window.periodSeconds / 60}-minute periods)`,
  ];
  if (!report.complete) {
    lines.push(paint('magenta', 'Incomplete audit:'));
    for (const reason of report.incompleteReasons) {
      lines.push(
        ...wrap(citeReferences(terminalText(reason, 400), references), TEXT_WIDTH, '    ')
          .map((line, index) => (index === 0 ? `  - ${line.trimStart()}` : line))
          .map((line) => paint('magenta', line)),
      );
    }
  }

  if (report.accounts) {
    lines.push('', paint('bold', `Accounts (${report.accounts.length})`));
    for (const account of report.accounts) {
      const line = terminalText(accountStatusLine(account), 400);
      const style = account.status === 'audited' ? 'green' : 'magenta';
      lines.push(
        ...wrap(line, TEXT_WIDTH, '    ').map((text, index) =>
          paint(style, index === 0 ? `  ${text.trimStart()}` : text),
        ),
      );
    }
  }

  lines.push('', paint('bold', `API stages (${view.stages.length})`));
  if (view.stages.length === 0) lines.push('  No API stages found in the audited Regions.');
  else if (!view.multiAccount) lines.push(...stageTable(view.stages, multiRegion, paint));
  else
    for (const [account, stages] of byAccount(view.stages, report))
      lines.push(paint('bold', accountHeading(report, account)), ...stageTable(stages, multiRegion, paint));
  lines.push(...whenItFailed(report, paint));

  if (view.groups.length === 0) lines.push('', 'No findings need attention.');
  view.groups.forEach((group, index) => {
    if (view.multiAccount && group.account !== view.groups[index - 1]?.account)
      lines.push('', paint('bold', `== ${accountHeading(report, group.account)} ==`));
    lines.push('', ...groupLines(group, view.commonDocs, references, paint));
  });

  lines.push('', ...wrap(summaryLine(view.counts), TEXT_WIDTH));
  const suppressed = suppressionLine(report);
  if (suppressed) lines.push(...wrap(suppressed, TEXT_WIDTH));
  if (view.commonDocs.length > 0) {
    lines.push(
      `Background for every finding: ${view.commonDocs.map((doc) => references.cite(doc)).join(' ')}`,
    );
  }
  if (references.size > 0) lines.push('', paint('bold', 'References'), ...references.footer());
  return `${lines.join('\n')}\n`;
}

/** The failing stages' error minutes and what coincided with them; nothing when no stage has any. */
function whenItFailed(report: Report, paint: Paint): string[] {
  const lines = errorMinuteLines(report);
  return lines.length === 0 ? [] : ['', paint('bold', 'When it failed, and what coincided'), ...lines];
}

/** `Account 123456789012`, or `3 accounts: 2 audited, 1 could not be audited` for a merged report. */
function whereLine(report: Report, view: HumanView): string {
  if (view.multiAccount && report.accounts) return accountsLine(report.accounts);
  return `Account ${terminalText(report.account ?? 'unknown')}`;
}

const accountHeading = (report: Report, account: string): string =>
  `Account ${terminalText(accountLabel(report, account), 200)}`;

/** Stages by account, in the report's order (accounts first). */
function byAccount<T extends { account?: string }>(items: readonly T[], report: Report): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const account = accountOf(item, report);
    groups.set(account, [...(groups.get(account) ?? []), item]);
  }
  return groups;
}

const STAGE_COLUMNS = { classification: 14, ratio: 6, counts: 11, periods: 7 } as const;

/** `  high-frequency  orders/prod (a1b2c3d4e5)   2.83%   340/12000    11/12`, 80 columns at most. */
function stageTable(
  stages: ReturnType<typeof buildHumanView>['stages'],
  multiRegion: boolean,
  paint: Paint,
): string[] {
  const fixed = 2 + Object.values(STAGE_COLUMNS).reduce((sum, width) => sum + width + 2, 0);
  const labelRoom = TEXT_WIDTH - fixed;
  // A long name is cut, never the id: two namesakes stay apart and the id is what --api takes.
  const label = (stage: (typeof stages)[number]) => {
    const id = ` (${terminalText(stage.apiId, 20)}${multiRegion ? `, ${stage.region}` : ''})`;
    const name = `${terminalText(stage.apiName ?? stage.apiId, 200)}/${terminalText(stage.stage, 200)}`;
    return `${truncate(name, Math.max(8, labelRoom - id.length))}${id}`;
  };
  const header =
    `  ${'verdict'.padEnd(STAGE_COLUMNS.classification)}  ${'API/stage (id)'.padEnd(labelRoom)}  ` +
    `${'5xx'.padStart(STAGE_COLUMNS.ratio)}  ` +
    `${'errors/reqs'.padStart(STAGE_COLUMNS.counts)}  ${'periods'.padStart(STAGE_COLUMNS.periods)}`;
  const rows = stages.map((stage) => {
    const classification = paint(
      CLASSIFICATION_STYLE[stage.classification],
      stage.classification.padEnd(STAGE_COLUMNS.classification),
    );
    const idle = stage.requests === 0;
    return (
      `  ${classification}  ${label(stage).padEnd(labelRoom)}  ` +
      `${(idle ? '-' : formatPercent(stage.errorRatio)).padStart(STAGE_COLUMNS.ratio)}  ` +
      `${(idle ? 'no requests' : `${stage.errors5xx}/${stage.requests}`).padStart(STAGE_COLUMNS.counts)}  ` +
      `${`${stage.periodsWithErrors}/${stage.periods}`.padStart(STAGE_COLUMNS.periods)}`
    ).trimEnd();
  });
  const merged = stages
    .filter((stage) => stage.sharesMetricsWith?.length)
    .flatMap((stage) =>
      wrap(
        `${terminalText(stage.apiId, 20)}: metrics merged with REST APIs of the same name: ${(stage.sharesMetricsWith ?? []).map((id) => terminalText(id, 20)).join(', ')}`,
        TEXT_WIDTH,
        '  ',
      ),
    );
  return [header.trimEnd(), ...rows, ...merged];
}

/** The stages, then the verdict and the probable cause in one line, then each finding. */
function groupLines(
  group: FindingGroup,
  commonDocs: readonly string[],
  references: References,
  paint: Paint,
): string[] {
  const headings = group.stageLabels.length > 0 ? group.stageLabels : ['Not tied to an API stage'];
  const [top] = group.findings;
  const lines = headings.flatMap((label) =>
    wrap(terminalText(label, 200), TEXT_WIDTH).map((line) => paint('bold', line)),
  );
  if (top) {
    const count = group.findings.length === 1 ? '1 finding' : `${group.findings.length} findings`;
    const verdict = `${top.status}, ${count}; probable cause: ${terminalText(top.checkId, 40)} (${top.severity})`;
    const [first = '', ...rest] = wrap(verdict, TEXT_WIDTH, '  ');
    lines.push(first.replace(top.status, paint(STATUS_STYLE[top.status], top.status)), ...rest);
  }
  for (const finding of group.findings) {
    lines.push(
      `  ${paint(STATUS_STYLE[finding.status], finding.status.padEnd(5))} ${finding.severity.padEnd(8)} ${paint('cyan', terminalText(finding.checkId, 40))} on ${references.cite(terminalText(finding.resourceArn))}`,
      ...wrap(terminalText(finding.title, 300), TEXT_WIDTH, INDENT),
      ...wrap(citeReferences(terminalText(finding.message, 2000), references), TEXT_WIDTH, INDENT),
    );
    if (finding.remediation)
      lines.push(
        ...wrap(
          `Fix: ${citeReferences(terminalText(finding.remediation, 2000), references)}`,
          TEXT_WIDTH,
          INDENT,
        ),
      );
    const docs = finding.docs.filter((doc) => !commonDocs.includes(doc));
    if (docs.length > 0)
      lines.push(...wrap(`Docs: ${docs.map((doc) => references.cite(doc)).join(' ')}`, TEXT_WIDTH, INDENT));
  }
  return lines;
}

function renderWideText(report: Report, paint: Paint): string {
  const view = buildHumanView(report);
  const lines: string[] = [];

  lines.push(
    paint(
      'bold',
      `API Gateway network audit · ${whereLine(report, view).replace(/^Account/, 'account')} · ${terminalText(report.regions.join(', '))}`,
    ),
    `Window ${report.window.start} to ${report.window.end} (${report.window.periodSeconds / 60}-minute periods)`,
  );
  if (!report.complete) {
    lines.push(paint('magenta', 'Incomplete audit:'));
    for (const reason of report.incompleteReasons)
      lines.push(paint('magenta', `  - ${terminalText(reason)}`));
  }

  if (report.accounts) {
    lines.push('', paint('bold', `Accounts (${report.accounts.length})`));
    for (const account of report.accounts) lines.push(`  ${terminalText(accountStatusLine(account), 400)}`);
  }

  lines.push('', paint('bold', `API stages (${view.stages.length})`));
  if (view.stages.length === 0) lines.push('  No API stages found in the audited Regions.');
  const labels = view.stages.map((stage) =>
    terminalText(
      view.multiAccount
        ? `${stageLabel(stage)} in ${accountLabel(report, accountOf(stage, report))}`
        : stageLabel(stage),
    ),
  );
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

  lines.push(...whenItFailed(report, paint));
  if (view.groups.length === 0) {
    lines.push('', 'No findings need attention.');
  }
  for (const group of view.groups) {
    const heading =
      group.stageLabels.length > 0 ? terminalText(group.stageLabels.join(', ')) : 'Not tied to an API stage';
    const where = view.multiAccount ? ` in ${accountHeading(report, group.account)}` : '';
    lines.push('', paint('bold', `Findings for ${heading}${where}`));
    for (const finding of group.findings) lines.push(...findingLines(finding, view.commonDocs, paint));
  }

  lines.push('', summaryLine(view.counts));
  const suppressed = suppressionLine(report);
  if (suppressed) lines.push(suppressed);
  for (const doc of view.commonDocs) lines.push(`Background for every finding above: ${doc}`);
  return `${lines.join('\n')}\n`;
}

function findingLines(finding: Finding, commonDocs: readonly string[], paint: Paint): string[] {
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
