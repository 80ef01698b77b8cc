/**
 * `--format html`: the report as one self-contained page that works from an email attachment or an
 * S3 object: inline CSS and SVG, no script, and a Content-Security-Policy that forbids every fetch.
 * The stage table is worst first, each stage with its 5xx ratio per period as a small bar chart;
 * each failing stage's path is drawn hop by hop, the blocking hop marked, its fix beside it.
 * Every string from the report is cleaned to one line (recordText) and HTML-escaped.
 */

import { recordText } from '../../domain/display-text';
import { compareFindings } from '../../domain/finding-order';
import { describePeriods } from '../../domain/load-balancer-series';
import type { AuditWindow, Finding, PathHop, Report, ReportStage, Status } from '../../domain/types';
import { rankStages } from '../../verdict/stages-worst-first';
import { type Coincidence, coincidencesOf, periodIndicesOf, resourceName } from '../error-minute-lines';
import { findingHeadline, formatPercent, summaryLine, suppressionLine } from '../human-view';
import { componentCodes, componentFacts, componentSenders, shownComponents } from '../path-view';
import { xmlText } from './junit';

/** XML's five entities are HTML's too: text and attribute values alike. */
const escapeHtml = xmlText;

/** Untrusted text as it may appear in the page: one line, bounded, escaped. */
const text = (value: string, max = 2000): string => escapeHtml(recordText(value, max));

/** Each period's 5xx share; 5xx without a request count is a full failure, no traffic is null. */
export function periodRatios(series: { requests: number[]; errors5xx: number[] }): (number | null)[] {
  const periods = Math.max(series.requests.length, series.errors5xx.length);
  return Array.from({ length: periods }, (_, index) => {
    const requests = series.requests[index] ?? 0;
    const errors = series.errors5xx[index] ?? 0;
    if (requests <= 0) return errors > 0 ? 1 : null;
    return Math.min(1, errors / requests);
  });
}

const CHART = { width: 120, height: 28 };

/** What coincided, drawn under the bars: one lane per finding, at most this many (the rest are named in the legend). */
const LANES = { max: 5, height: 3, gap: 1, top: 3 };

/** How the legend says what a coinciding finding recorded; other checks by their id. */
const COINCIDED_WHAT: Record<string, string> = {
  'tg-healthy-dip': 'healthy targets dipped',
  'tg-failed-open': 'no healthy target (failed open)',
  'target-resets-coincide': 'resets or connection errors',
  'targets-answered-5xx': 'targets answered 5xx',
  'latency-at-timeout': 'latency at the timeout',
};

const peakRatio = (stage: ReportStage): number =>
  stage.series ? Math.max(0, ...periodRatios(stage.series).map((ratio) => ratio ?? 0)) : 0;

/** A period's slot on the chart's time axis: the bars' and the marks' x and width. */
function slotOf(index: number, slot: number): { x: string; width: string } {
  return { x: (index * slot + slot * 0.1).toFixed(1), width: Math.max(1, slot * 0.8).toFixed(1) };
}

/** One lane of marks: the periods in which the coinciding finding recorded its event. */
function laneMarks(window: AuditWindow, coincidence: Coincidence, lane: number, slot: number): string {
  const y = CHART.height + LANES.top + lane * (LANES.height + LANES.gap);
  const checkId = escapeHtml(recordText(coincidence.finding.checkId, 60));
  return periodIndicesOf(window, coincidence.events)
    .map((index) => {
      const { x, width } = slotOf(index, slot);
      return `<rect class="coincided lane-${lane}" data-check="${checkId}" x="${x}" y="${y}" width="${width}" height="${LANES.height}"/>`;
    })
    .join('');
}

/** The legend under a chart: each lane's swatch, what was recorded, on which resource, at which minutes. */
function coincidedLegend(window: AuditWindow, coincidences: readonly Coincidence[]): string {
  if (coincidences.length === 0) return '';
  const shown = coincidences.slice(0, LANES.max).map(({ finding, events }, lane) => {
    const what = COINCIDED_WHAT[finding.checkId] ?? finding.checkId;
    const when = describePeriods(window, periodIndicesOf(window, events));
    return (
      `<li data-check="${escapeHtml(recordText(finding.checkId, 60))}"><svg class="swatch" viewBox="0 0 10 6" width="10" height="6" aria-hidden="true">` +
      `<rect class="lane-${lane}" width="10" height="6"/></svg> ${text(what, 100)}: ${text(resourceName(finding), 200)} at ${escapeHtml(when)} UTC</li>`
    );
  });
  const more = coincidences.length - shown.length;
  return `<ul class="coincided">${shown.join('')}${more > 0 ? `<li class="muted">and ${more} more, in the findings below</li>` : ''}</ul>`;
}

/**
 * Bars on one scale for every stage (the worst period of the report is full height), so the charts
 * compare; any 5xx is at least 2 px. Periods without traffic are a grey tick on the base line.
 * Under the bars, on the same time axis, a lane of marks per finding that coincided with the stage's
 * errors (a healthy-target dip, resets, target 5xx, latency at the timeout), named in the legend.
 */
function ratioChart(
  stage: ReportStage,
  window: AuditWindow,
  scale: number,
  coincidences: readonly Coincidence[],
): string {
  if (!stage.series) return '<span class="muted">no series</span>';
  const ratios = periodRatios(stage.series);
  if (ratios.length === 0) return '<span class="muted">no periods</span>';
  const peak = peakRatio(stage);
  const slot = CHART.width / ratios.length;
  const bars = ratios.map((ratio, index) => {
    const { x, width } = slotOf(index, slot);
    if (ratio === null)
      return `<rect class="idle" x="${x}" y="${CHART.height - 1}" width="${width}" height="1"/>`;
    const height = scale > 0 ? Math.max(ratio > 0 ? 2 : 1, (ratio / scale) * (CHART.height - 2)) : 1;
    return `<rect class="${ratio > 0 ? 'bad' : 'ok'}" x="${x}" y="${(CHART.height - height).toFixed(1)}" width="${width}" height="${height.toFixed(1)}"/>`;
  });
  const lanes = coincidences.slice(0, LANES.max);
  const marks = lanes.map((coincidence, lane) => laneMarks(window, coincidence, lane, slot));
  const height =
    lanes.length > 0 ? CHART.height + LANES.top + lanes.length * (LANES.height + LANES.gap) : CHART.height;
  const periodMinutes = window.periodSeconds / 60;
  const label =
    `5xx ratio per ${periodMinutes}-minute period, peak ${formatPercent(peak)} (full height: ${formatPercent(scale)})` +
    (lanes.length > 0 ? `; below, the periods of what coincided (${lanes.length} in the legend)` : '');
  const chart =
    `<svg class="chart" role="img" aria-label="${escapeHtml(label)}" viewBox="0 0 ${CHART.width} ${height}" ` +
    `width="${CHART.width}" height="${height}"><title>${escapeHtml(label)}</title>${bars.join('')}${marks.join('')}</svg>`;
  return lanes.length > 0
    ? `<div class="chart-cell">${chart}${coincidedLegend(window, coincidences)}</div>`
    : chart;
}

const stageKey = (stage: { apiId: string; stage: string }) => `${stage.apiId}/${stage.stage}`;

const findingsOf = (report: Report, stage: ReportStage, status?: Status): Finding[] =>
  report.findings
    .filter(
      (finding) =>
        finding.region === stage.region &&
        (stage.account === undefined || finding.account === undefined || finding.account === stage.account) &&
        finding.apis.some((api) => stageKey(api) === stageKey(stage)) &&
        (status === undefined || finding.status === status),
    )
    .sort(compareFindings);

const cell = (label: string, content: string, className = '') =>
  `<td data-label="${label}"${className ? ` class="${className}"` : ''}>${content}</td>`;

function stageRow(report: Report, stage: ReportStage, scale: number): string {
  const fails = findingsOf(report, stage, 'FAIL').length;
  const name = text(`${stage.apiName || stage.apiId}/${stage.stage}`, 300);
  const ratio = stage.requests > 0 || stage.errors5xx > 0 ? formatPercent(stage.errorRatio) : '-';
  const where = `<div class="muted">${text(stage.apiId, 100)} · ${text(stage.region, 40)}${fails > 0 ? ` · ${fails} FAIL` : ''}</div>`;
  return (
    `<tr class="${escapeHtml(stage.classification)}">${cell('Verdict', `<span class="verdict">${escapeHtml(stage.classification)}</span>`)}` +
    cell(
      'API/stage',
      `${fails > 0 ? `<a href="#stage-${escapeHtml(anchor(stage))}">${name}</a>` : name}${where}`,
      'name',
    ) +
    cell('5xx', ratio, 'num') +
    cell('Errors/requests', `${Number(stage.errors5xx)}/${Number(stage.requests)}`, 'num') +
    cell('Periods with 5xx', `${Number(stage.periodsWithErrors)}/${Number(stage.periods)}`, 'num') +
    cell(
      '5xx per period',
      ratioChart(stage, report.window, scale, coincidencesOf(stage, findingsOf(report, stage))),
    ) +
    '</tr>'
  );
}

/** A stable, safe fragment id for a stage. */
const anchor = (stage: ReportStage): string =>
  `${stage.account ?? ''}-${stage.region}-${stage.apiId}-${stage.stage}`.replace(/[^A-Za-z0-9_-]/g, '_');

interface DiagramNode {
  kind: string;
  label: string;
  resource: string;
  /** The hops traffic reaches this one from, when not simply the one before. */
  from?: number[];
  seq?: number;
  /** What decides the hop, who connects to it and the path model's explanation codes: one line each. */
  facts?: string;
  senders?: string;
  codes?: string;
}

const STAGE_KINDS = new Set(['AWS::ApiGateway::Stage', 'AWS::ApiGatewayV2::Stage']);

/** A resource the audited path does not list (a target instance, say), named from its finding. */
const resourceNode = (finding: Finding): DiagramNode => ({
  kind: finding.resourceType.split('::').at(-1) ?? finding.resourceType,
  label: finding.resourceArn.split(/[:/]/).filter(Boolean).slice(-2).join('/'),
  resource: finding.resourceArn,
});

/** Resources the path does not list, one hop: `instance/i-1, instance/i-2`. */
function offPathNode(findings: readonly Finding[]): DiagramNode {
  const [first] = findings as [Finding];
  const labels = [...new Set(findings.map((finding) => resourceNode(finding).label))];
  return { ...resourceNode(first), label: labels.join(', ') };
}

const hopNode = (hop: PathHop): DiagramNode => ({
  kind: hop.kind,
  label: hop.label,
  resource: hop.id,
  from: hop.from,
  seq: hop.seq,
  facts: componentFacts(hop),
  senders: componentSenders(hop),
  codes: componentCodes(hop),
});

/**
 * The audited path (from the stage), each target group's targets capped with "and N more" (a target
 * the failures name is always drawn); without a path, the stage and the resources its failures name.
 */
function diagramNodes(stage: ReportStage, fails: readonly Finding[]): DiagramNode[] {
  if (stage.auditedPath && stage.auditedPath.length > 0) {
    const named = new Set(fails.map((finding) => finding.resourceArn));
    return shownComponents(stage.auditedPath, (hop) => named.has(hop.id)).map((shown) =>
      'hop' in shown
        ? hopNode(shown.hop)
        : {
            kind: 'target',
            label: `and ${shown.moreTargets} more targets of ${shown.of.label}`,
            resource: '',
          },
    );
  }
  const stageNode: DiagramNode = {
    kind: 'stage',
    label: `${stage.apiName || stage.apiId}/${stage.stage}`,
    resource: fails.find((finding) => STAGE_KINDS.has(finding.resourceType))?.resourceArn ?? '',
  };
  const others = fails.filter((finding) => !STAGE_KINDS.has(finding.resourceType));
  const unique = others.filter(
    (finding, index) => others.findIndex((other) => other.resourceArn === finding.resourceArn) === index,
  );
  return [stageNode, ...unique.map(resourceNode)];
}

/** The lines under a hop's label: its facts, its senders, its explanation codes. */
const hopDetails = (node: DiagramNode): string =>
  [
    node.facts ? `<span class="facts">${text(node.facts, 500)}</span>` : '',
    node.senders ? `<span class="facts">${text(node.senders, 500)}</span>` : '',
    node.codes ? `<span class="codes">${text(node.codes, 300)}</span>` : '',
  ].join('');

/**
 * The cause: the finding the stage's verdict names first (lambda/verdict/), read, never recomputed. A
 * stage whose failures are only missing evidence (logs) has none: no hop is marked.
 */
function verdictCause(stage: ReportStage, fails: readonly Finding[]): Finding | undefined {
  const [first] = stage.verdict?.causes ?? [];
  return fails.find((finding) => finding.id === first);
}

function fixOf(finding: Finding): string {
  const commands = finding.fix?.commands ?? [];
  if (commands.length > 0)
    return `<pre class="fix">${commands.map((command) => escapeHtml(recordText(command, 2000))).join('\n')}</pre>`;
  return `<p class="fix">${text(finding.remediation)}</p>`;
}

function findingBlock(finding: Finding, blocking: boolean): string {
  return (
    `<div class="finding${blocking ? ' blocking' : ''}"><p><span class="status ${escapeHtml(finding.status)}">${escapeHtml(finding.status)}</span> ` +
    `<span class="sev">${escapeHtml(finding.severity)}</span> <code>${text(finding.checkId, 100)}</code> ${text(findingHeadline(finding), 300)}</p>` +
    `<p class="msg">${text(finding.message)}</p><p class="fixlabel">Fix</p>${fixOf(finding)}</div>`
  );
}

/** One failing stage: its path with its verdict's cause's hop marked, the cause's fix beside it, then the other failures. */
function stageSection(report: Report, stage: ReportStage): string {
  const fails = findingsOf(report, stage, 'FAIL');
  const cause = verdictCause(stage, fails);
  const path = diagramNodes(stage, fails);
  // The cause's check may fail on several resources (each target of a group): one hop, all of them.
  const blocking = cause
    ? fails.filter(
        (finding) => finding.resourceArn === cause.resourceArn || finding.checkId === cause.checkId,
      )
    : [];
  const others = fails.filter((finding) => !blocking.includes(finding));
  const onPath = cause
    ? path.findIndex((node) => node.resource !== '' && node.resource === cause.resourceArn)
    : -1;
  const offPath = blocking.filter((finding) => !path.some((node) => node.resource === finding.resourceArn));
  const nodes = cause && onPath === -1 ? [...path, offPathNode(offPath)] : path;
  const blockedIndex = cause ? (onPath === -1 ? nodes.length - 1 : onPath) : -1;
  const hops = nodes.map((node, index) => {
    const blocked = index === blockedIndex;
    const joins =
      node.from && node.from.length > 0 && node.seq !== undefined && !node.from.includes(node.seq - 1)
        ? `<span class="muted"> from #${node.from.join(', #')}</span>`
        : '';
    return (
      `<li class="hop${blocked ? ' blocked' : ''}"${blocked ? ' data-blocked="true"' : ''}>` +
      `<span class="kind">${node.seq !== undefined ? `#${node.seq} ` : ''}${text(node.kind, 60)}${joins}</span>` +
      `<span class="label">${text(node.label, 300)}</span>${hopDetails(node)}${blocked ? '<span class="flag">blocked here</span>' : ''}</li>`
    );
  });
  const verdict = stage.verdict?.summary
    ? `<p class="verdict-summary">${text(stage.verdict.summary)}</p>`
    : '';
  return (
    `<section class="stage" id="stage-${escapeHtml(anchor(stage))}"><h2>${text(`${stage.apiName || stage.apiId}/${stage.stage}`, 300)} ` +
    `<span class="muted">${text(stage.apiId, 100)} · ${text(stage.region, 40)}</span></h2>${verdict}` +
    `<div class="path-and-fix"><ol class="path" aria-label="path of the stage's traffic">${hops.join('')}</ol>` +
    `<div class="fixes">${blocking.map((finding) => findingBlock(finding, true)).join('')}` +
    `${cause ? '' : '<p class="muted">No hop of the path is found blocked: the failures below are missing evidence.</p>'}</div></div>` +
    `${others.length > 0 ? `<h3>${cause ? 'Other failures on this stage' : 'Failures on this stage'}</h3>${others.map((finding) => findingBlock(finding, false)).join('')}` : ''}` +
    '</section>'
  );
}

const STYLE = `
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;padding:16px;color:#1b1f24;background:#fff;max-width:1200px}
h1{font-size:1.4em;margin:0 0 4px}h2{font-size:1.15em;margin:0 0 8px;overflow-wrap:anywhere}h3{font-size:1em}
.muted{color:#5b636d;font-weight:normal;font-size:.9em}
.warn{background:#fff4ce;border-left:4px solid #b58900;padding:8px}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #d8dde3;vertical-align:middle}
td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
td.name{overflow-wrap:anywhere}
.verdict{display:inline-block;white-space:nowrap;padding:1px 6px;border-radius:10px;font-size:.85em;background:#e8ebef}
tr.high-frequency .verdict{background:#c62828;color:#fff}tr.low-frequency .verdict{background:#f0b400}
tr.healthy .verdict{background:#2e7d32;color:#fff}
svg.chart rect.bad{fill:#c62828}svg.chart rect.ok{fill:#2e7d32}svg.chart rect.idle{fill:#9aa3ad}
.lane-0{fill:#e07b00}.lane-1{fill:#6a1b9a}.lane-2{fill:#1565c0}.lane-3{fill:#6d4c41}.lane-4{fill:#00838f}
.chart-cell{min-width:0}
ul.coincided{list-style:none;margin:2px 0 0;padding:0;font-size:.8em;color:#3d444d;text-align:left}
ul.coincided li{overflow-wrap:anywhere}svg.swatch{vertical-align:middle}
.stage{border-top:2px solid #d8dde3;margin-top:24px;padding-top:12px}
.path-and-fix{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
.path{list-style:none;margin:0;padding:0;flex:1 1 280px;min-width:0}
.hop{border:2px solid #9aa3ad;border-radius:6px;padding:6px 10px;margin:0 0 22px;position:relative;background:#f6f8fa}
.hop+.hop::before{content:"";position:absolute;left:20px;top:-22px;height:20px;border-left:2px solid #9aa3ad}
.hop:last-child{margin-bottom:0}
.hop .kind{display:block;font-size:.8em;text-transform:uppercase;letter-spacing:.03em;color:#5b636d}
.hop .label{display:block;overflow-wrap:anywhere}
.hop .facts{display:block;font-size:.85em;color:#5b636d;overflow-wrap:anywhere}
.hop .codes{display:block;font-size:.8em;font-family:ui-monospace,monospace;color:#8a6d00;overflow-wrap:anywhere}
.hop.blocked{border-color:#c62828;background:#fdecea;box-shadow:0 0 0 3px #f5b5b0}
.hop.blocked .flag{display:inline-block;margin-top:4px;background:#c62828;color:#fff;font-weight:600;font-size:.85em;padding:1px 8px;border-radius:10px}
.fixes{flex:1 1 320px;min-width:0}
.finding{border:1px solid #d8dde3;border-radius:6px;padding:8px 10px;margin-bottom:10px}
.finding.blocking{border-color:#c62828}
.finding p{margin:4px 0;overflow-wrap:anywhere}
.status{font-weight:700}.status.FAIL{color:#c62828}.status.WARN{color:#8a6d00}.status.ERROR{color:#6a1b9a}
.sev{font-size:.85em;color:#5b636d}.fixlabel{font-weight:600}
pre.fix{background:#1b1f24;color:#f6f8fa;padding:8px;border-radius:4px;white-space:pre-wrap;overflow-wrap:anywhere;margin:4px 0}
code{overflow-wrap:anywhere}
@media (max-width:640px){
body{padding:10px}
thead{display:none}
table,tbody,tr,td{display:block;width:100%}
tr{border-bottom:1px solid #d8dde3;padding:6px 0}
td{border:0;padding:2px 0;display:flex;gap:8px;justify-content:space-between;align-items:center;text-align:right}
td.num{text-align:right}
td::before{content:attr(data-label);color:#5b636d;font-size:.85em;text-align:left;flex:none}
td.name{display:block;text-align:left}td.name::before{display:none}
}
`;

export function renderHtml(report: Report): string {
  // The order every rendering shows: by verdict, then how often the stage fails (lambda/verdict/).
  const stages = rankStages(report).map(({ stage }) => stage);
  const scale = Math.max(0, ...stages.map(peakRatio));
  const failing = stages.filter((stage) => findingsOf(report, stage, 'FAIL').length > 0);
  const counts = { FAIL: 0, WARN: 0, PASS: 0, ERROR: 0, SKIPPED: 0 } satisfies Record<Status, number>;
  for (const finding of report.findings) counts[finding.status] += 1;
  const account = report.account ?? `${report.accounts?.length ?? 0} accounts`;
  const title = `API Gateway network audit · ${account} · ${report.regions.join(', ')}`;
  const suppressed = suppressionLine(report);
  const incomplete = report.complete
    ? ''
    : `<div class="warn"><strong>Incomplete audit.</strong><ul>${report.incompleteReasons
        .map((reason) => `<li>${text(reason)}</li>`)
        .join('')}</ul></div>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${text(title, 300)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>API Gateway network audit</h1>
<p class="muted">Account ${text(account, 100)} · ${text(report.regions.join(', '), 300)} · window ${text(report.window.start, 40)} to ${text(report.window.end, 40)} (${report.window.periodSeconds / 60}-minute periods) · ${text(report.tool.name, 60)} ${text(report.tool.version, 40)}</p>
<p>${escapeHtml(summaryLine(counts))}${suppressed ? ` ${escapeHtml(suppressed)}` : ''}</p>${incomplete}</header>
<main>
<h2>API stages, worst first (${stages.length})</h2>
<div class="table-wrap"><table>
<thead><tr><th>Verdict</th><th>API/stage</th><th>5xx</th><th>errors/requests</th><th>periods with 5xx</th><th>5xx ratio per period</th></tr></thead>
<tbody>${stages.map((stage) => stageRow(report, stage, scale)).join('\n')}</tbody>
</table></div>
${failing.map((stage) => stageSection(report, stage)).join('\n')}
</main>
</body>
</html>
`;
}
