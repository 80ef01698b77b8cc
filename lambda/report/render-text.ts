/**
 * The report for a terminal. First what could not be read (an incomplete audit says so before
 * anything else), then the stages worst first, then one section per stage that needs a person: its
 * verdict (read from the report, never recomputed), its causes, its other findings, each with its id
 * (what a mute rule takes) and the fix to paste; then a one-line summary of the rest. Pure: report in,
 * text out.
 * By default every line fits 80 columns: names wrap, never cut; ARNs and URLs go to a footer of
 * references; fix commands stay whole on their own lines (a wrapped command does not paste). `wide`
 * keeps one line per fact, however long, with ARNs in place. Every untrusted string goes through
 * terminalText (display-text.ts) before it is wrapped or cited.
 */

import { terminalText } from '../domain/display-text';
import type { Classification, Finding, Report, Status } from '../domain/types';
import type { RankedStage } from '../verdict/stages-worst-first';
import { errorMinuteLines } from './error-minute-lines';
import {
  accountLabel,
  accountOf,
  accountStatusLine,
  accountsLine,
  buildHumanView,
  findingHeadline,
  fixLines,
  formatPercent,
  type HumanView,
  incompleteHeadline,
  nothingToShowLine,
  type StageSection,
  seeAboveByStage,
  stageLabel,
  summaryLine,
  suppressionLine,
} from './human-view';
import { pathLines } from './path-view';
import { citeReferences, References, wrap } from './wrap-text';

export interface TextRenderOptions {
  /** ANSI colours; the caller decides (TTY, --no-color, NO_COLOR). */
  color: boolean;
  /** One line per fact, however wide, ARNs in place (the layout before 80 columns). @default false */
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

/** How one layout writes: the width it wraps at, and what it does with an ARN or a URL. */
interface Layout {
  width: number;
  paint: Paint;
  /** Narrow: `[n]`, listed in the footer; wide: the text itself. */
  cite(target: string): string;
  /** Every ARN and URL of a text replaced as `cite` does. */
  citeAll(text: string): string;
  references: References;
}

function layoutOf(options: TextRenderOptions): Layout {
  const paint: Paint = (style, text) => (options.color ? `\u001b[${ANSI[style]}m${text}\u001b[0m` : text);
  const references = new References();
  return options.wide
    ? { width: Number.POSITIVE_INFINITY, paint, cite: (t) => t, citeAll: (t) => t, references }
    : {
        width: TEXT_WIDTH,
        paint,
        cite: (target) => references.cite(target),
        citeAll: (text) => citeReferences(text, references),
        references,
      };
}

export function renderText(report: Report, options: TextRenderOptions): string {
  const layout = layoutOf(options);
  const { paint, width } = layout;
  const view = buildHumanView(report);
  const lines: string[] = [
    paint('bold', 'API Gateway network audit'),
    ...wrap(`${whereLine(report, view)} · ${terminalText(report.regions.join(', '))}`, width),
    `Window ${report.window.start} to ${report.window.end} (${report.window.periodSeconds / 60}-minute periods)`,
  ];
  const incomplete = incompleteHeadline(report);
  if (incomplete) {
    lines.push(...wrap(incomplete, width).map((line) => paint('magenta', line)));
    for (const reason of report.incompleteReasons) lines.push(...bullet(reason, layout, 'magenta'));
  }

  if (report.accounts) {
    lines.push('', paint('bold', `Accounts (${report.accounts.length})`));
    for (const account of report.accounts) {
      const style = account.status === 'audited' ? 'green' : 'magenta';
      lines.push(...bullet(accountStatusLine(account), layout, style, ''));
    }
  }

  lines.push('', paint('bold', `API stages (${view.stages.length}), worst first`));
  if (view.stages.length === 0) lines.push('  No API stages found in the audited Regions.');
  else lines.push(...stageTable(view, report, layout));
  lines.push(...whenItFailed(report, layout));

  if (view.sections.length === 0) lines.push('', ...wrap(nothingToShowLine(report), width));
  for (const section of view.sections) lines.push('', ...sectionLines(section, view, report, layout));

  lines.push('', ...wrap(summaryLine(view.counts), width));
  const suppressed = suppressionLine(report);
  if (suppressed) lines.push(...wrap(suppressed, width));
  if (view.commonDocs.length > 0)
    lines.push(
      ...wrap(
        `Background for every finding: ${view.commonDocs.map((doc) => layout.cite(doc)).join(' ')}`,
        width,
      ),
    );
  if (layout.references.size > 0) lines.push('', paint('bold', 'References'), ...layout.references.footer());
  return `${lines.join('\n')}\n`;
}

/** The failing stages' error minutes and what coincided with them; nothing when no stage has any. */
function whenItFailed(report: Report, layout: Layout): string[] {
  const lines = errorMinuteLines(report);
  return lines.length === 0 ? [] : ['', layout.paint('bold', 'When it failed, and what coincided'), ...lines];
}

/** `  - text` wrapped under its dash, every ARN and URL cited. */
function bullet(text: string, layout: Layout, style: Style, dash = '- '): string[] {
  const cleaned = layout.citeAll(terminalText(text, 600));
  return wrap(cleaned, layout.width, `  ${' '.repeat(dash.length)}`)
    .map((line, index) => (index === 0 ? `  ${dash}${line.trimStart()}` : line))
    .map((line) => layout.paint(style, line));
}

/** `Account 123456789012`, or `3 accounts: 2 audited, 1 could not be audited` for a merged report. */
function whereLine(report: Report, view: HumanView): string {
  if (view.multiAccount && report.accounts) return accountsLine(report.accounts);
  return `Account ${terminalText(report.account ?? 'unknown')}`;
}

const COLUMNS = { classification: 14, ratio: 6, counts: 13, periods: 7 } as const;

/**
 * The name of a stage as shown: whole, cleaned, with its account in a merged report; the table leaves
 * the Region out when there is only one.
 */
function stageName(ranked: RankedStage, report: Report, view: HumanView, inTable = false): string {
  const { stage } = ranked;
  const label =
    inTable && report.regions.length <= 1
      ? terminalText(`${stage.apiName ?? stage.apiId}/${stage.stage} (${stage.apiId})`, 600)
      : terminalText(stageLabel(stage), 600);
  return view.multiAccount
    ? `${label} in ${terminalText(accountLabel(report, accountOf(ranked.stage, report)), 200)}`
    : label;
}

/**
 * `  high-frequency   2.83%      340/12000    11/12  orders/prod (a1b2c3d4e5, us-east-1)`: the numbers
 * in fixed columns, the name last and wrapped under itself, never cut (an id is what --api takes).
 */
function stageTable(view: HumanView, report: Report, layout: Layout): string[] {
  const fixed = `  ${''.padEnd(COLUMNS.classification)}  ${''.padEnd(COLUMNS.ratio)}  ${''.padEnd(COLUMNS.counts)}  ${''.padEnd(COLUMNS.periods)}  `;
  const header =
    `  ${'class'.padEnd(COLUMNS.classification)}  ${'5xx'.padStart(COLUMNS.ratio)}  ` +
    `${'errors/reqs'.padStart(COLUMNS.counts)}  ${'periods'.padStart(COLUMNS.periods)}  API/stage (id)`;
  const rows = view.stages.flatMap((ranked) => {
    const { stage } = ranked;
    const idle = stage.requests === 0;
    const numbers =
      `  ${layout.paint(CLASSIFICATION_STYLE[stage.classification], stage.classification.padEnd(COLUMNS.classification))}  ` +
      `${(idle ? '-' : formatPercent(stage.errorRatio)).padStart(COLUMNS.ratio)}  ` +
      `${(idle ? 'no requests' : `${stage.errors5xx}/${stage.requests}`).padStart(COLUMNS.counts)}  ` +
      `${`${stage.periodsWithErrors}/${stage.periods}`.padStart(COLUMNS.periods)}  `;
    const [first = '', ...rest] = wrap(stageName(ranked, report, view, true), layout.width, fixed);
    const merged = stage.sharesMetricsWith?.length
      ? wrap(
          `metrics merged with REST APIs of the same name: ${stage.sharesMetricsWith.map((id) => terminalText(id, 20)).join(', ')}`,
          layout.width,
          fixed,
        )
      : [];
    return [`${numbers}${first.trimStart()}`, ...rest, ...merged];
  });
  return [header, ...rows];
}

/** One stage: its name (wrapped, never cut), its verdict, then its findings; or the findings tied to no stage. */
function sectionLines(section: StageSection, view: HumanView, report: Report, layout: Layout): string[] {
  const { paint, width } = layout;
  const heading = section.ranked ? stageName(section.ranked, report, view) : 'Not tied to an API stage';
  const lines = wrap(`== ${heading}`, width).map((line) => paint('bold', line));
  if (section.ranked) {
    const verdict = section.ranked.verdict;
    const style: Style =
      verdict.kind === 'cause' ? 'red' : verdict.kind === 'unreadable' ? 'magenta' : 'green';
    lines.push(
      ...wrap(`Verdict: ${layout.citeAll(terminalText(verdict.summary, 600))}`, width, '  ').map((line) =>
        paint(style, line),
      ),
    );
  }
  for (const finding of section.findings) lines.push(...findingLines(finding, view.commonDocs, layout));
  for (const { under, findings } of seeAboveByStage(section)) {
    const named = findings.map(
      (finding) => `${finding.status} ${terminalText(finding.checkId, 60)} ${finding.id}`,
    );
    lines.push(
      ...wrap(`Also here, shown under ${terminalText(under, 600)}: ${named.join(', ')}`, width, '  '),
    );
  }
  lines.push(...auditedPathLines(section, layout));
  return lines;
}

/** The path the audit followed for the section's stage, one wrapped line per component; nothing without one. */
function auditedPathLines(section: StageSection, layout: Layout): string[] {
  const path = section.ranked?.stage.auditedPath ?? [];
  if (path.length === 0) return [];
  const named = new Set(section.findings.map((finding) => finding.resourceArn));
  return [
    '  Path followed:',
    ...pathLines(path, named).flatMap((line) =>
      wrap(layout.citeAll(terminalText(line, 1000)), layout.width, '      ').map((wrapped, index) =>
        index === 0 ? `    ${wrapped.trimStart()}` : wrapped,
      ),
    ),
  ];
}

function findingLines(finding: Finding, commonDocs: readonly string[], layout: Layout): string[] {
  const { paint, width } = layout;
  const lines = [
    `  ${paint(STATUS_STYLE[finding.status], finding.status.padEnd(5))} ${finding.severity.padEnd(8)} ` +
      `${paint('cyan', terminalText(finding.checkId, 60))}  id ${finding.id}`,
    ...wrap(`on ${layout.cite(terminalText(finding.resourceArn))}`, width, INDENT),
    ...wrap(terminalText(findingHeadline(finding), 300), width, INDENT),
    ...wrap(layout.citeAll(terminalText(finding.message, 2000)), width, INDENT),
  ];
  const fix = fixLines(finding);
  if (finding.fix?.commands.length) {
    lines.push(`${INDENT}Fix (paste):`);
    for (const command of fix) lines.push(`${INDENT}  ${terminalText(command, 2000)}`);
  } else if (fix[0]) {
    lines.push(...wrap(`Fix: ${layout.citeAll(terminalText(fix[0], 2000))}`, width, INDENT));
  }
  const docs = finding.docs.filter((doc) => !commonDocs.includes(doc));
  if (docs.length > 0)
    lines.push(...wrap(`Docs: ${docs.map((doc) => layout.cite(doc)).join(' ')}`, width, INDENT));
  return lines;
}
