/**
 * `--format csv`: one row per finding (PASS and SKIPPED included, like the JSON report) for a
 * spreadsheet. RFC 4180 quoting; every cell goes through csvText (display-text.ts): one line, no link, and a cell that a spreadsheet
 * would run as a formula (`=`, `+`, `-`, `@`) is prefixed with `'`.
 */

import { csvText } from '../../domain/display-text';
import type { Finding, Report } from '../../domain/types';

export const CSV_COLUMNS = [
  'id',
  'checkId',
  'status',
  'severity',
  'region',
  'resourceType',
  'resourceArn',
  'apiStages',
  'title',
  'message',
  'remediation',
  'docs',
  // Last, so that spreadsheets and scripts that read the columns by position before it keep working.
  'account',
] as const;

/** RFC 4180: a cell holding a quote, a comma, a line break or edge spaces is quoted. */
const quoted = (text: string): string =>
  /[",\n\r]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;

/** A cell of text that may come from AWS: cleaned by csvText (display-text.ts), then quoted. */
export const csvCell = (value: string): string => quoted(csvText(value));

function row(finding: Finding, report: Report): string[] {
  return [
    csvCell(finding.id),
    csvCell(finding.checkId),
    csvCell(finding.status),
    csvCell(finding.severity),
    csvCell(finding.region),
    csvCell(finding.resourceType),
    csvCell(finding.resourceArn),
    csvCell(finding.apis.map((api) => `${api.apiId}/${api.stage}`).join(' ')),
    csvCell(finding.title),
    csvCell(finding.message),
    csvCell(finding.remediation),
    // The checks' own documentation links (lambda/checks/), not text from AWS: kept clickable.
    quoted(finding.docs.join(' ')),
    csvCell(finding.account ?? report.account ?? ''),
  ];
}

export function renderCsv(report: Report): string {
  const lines = [CSV_COLUMNS.join(','), ...report.findings.map((finding) => row(finding, report).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
