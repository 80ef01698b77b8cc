/**
 * `--format csv`: one row per finding (PASS and SKIPPED included, like the JSON report) for a
 * spreadsheet. RFC 4180 quoting; text from AWS is made single-line, and a cell that a spreadsheet
 * would run as a formula (`=`, `+`, `-`, `@`) is prefixed with `'`.
 */
import type { Finding, Report } from '../../domain/types';
import { singleLine } from '../../notify/display-text';

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
] as const;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string): string {
  const text = singleLine(value, 4000);
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function row(finding: Finding): string[] {
  return [
    finding.id,
    finding.checkId,
    finding.status,
    finding.severity,
    finding.region,
    finding.resourceType,
    finding.resourceArn,
    finding.apis.map((api) => `${api.apiId}/${api.stage}`).join(' '),
    finding.title,
    finding.message,
    finding.remediation,
    finding.docs.join(' '),
  ];
}

export function renderCsv(report: Report): string {
  const lines = [
    CSV_COLUMNS.join(','),
    ...report.findings.map((finding) => row(finding).map(csvCell).join(',')),
  ];
  return `${lines.join('\r\n')}\r\n`;
}
