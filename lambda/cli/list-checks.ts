/** `--list-checks`: every check's id, severity, group, the classifications it runs for, and title. */
import type { CheckDefinition } from '../checks/check-definition';
import type { LIST_FORMATS } from './parse-args';

export interface CheckListing {
  id: string;
  severity: string;
  /** What a failure means for the verdict: cause, condition, evidence, observability, advice. */
  role: string;
  group: string;
  runsFor: string[];
  title: string;
}

export function describeChecks(checks: readonly CheckDefinition[]): CheckListing[] {
  return checks.map((check) => ({
    id: check.id,
    severity: check.severity,
    role: check.role,
    group: check.group,
    runsFor: [...check.runsFor],
    title: check.title,
  }));
}

export function renderCheckList(
  checks: readonly CheckDefinition[],
  format: (typeof LIST_FORMATS)[number],
  options: { color: boolean },
): string {
  const listing = describeChecks(checks);
  if (format === 'json') return `${JSON.stringify(listing, null, 2)}\n`;
  if (format === 'markdown') {
    const rows = listing.map(
      (check) =>
        `| \`${check.id}\` | ${check.severity} | ${check.group} | ${check.runsFor.join(', ')} | ${check.title.replace(/\|/g, '\\|')} |`,
    );
    return `${['| Check | Severity | Group | Runs for | Title |', '|---|---|---|---|---|', ...rows].join('\n')}\n`;
  }
  const header = { id: 'CHECK', severity: 'SEVERITY', group: 'GROUP', runsFor: 'RUNS FOR', title: 'TITLE' };
  const cells = listing.map((check) => ({ ...check, runsFor: check.runsFor.join(',') }));
  const width = (key: 'id' | 'severity' | 'group' | 'runsFor') =>
    Math.max(header[key].length, ...cells.map((cell) => cell[key].length));
  const line = (row: typeof header) =>
    [
      row.id.padEnd(width('id')),
      row.severity.padEnd(width('severity')),
      row.group.padEnd(width('group')),
      row.runsFor.padEnd(width('runsFor')),
      row.title,
    ]
      .join('  ')
      .trimEnd();
  const title = line(header);
  return `${[options.color ? `\u001b[1m${title}\u001b[0m` : title, ...cells.map(line)].join('\n')}\n`;
}
