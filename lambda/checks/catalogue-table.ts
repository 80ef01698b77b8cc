/** The check table of docs/checks.md, generated from the registry so the two cannot drift apart. */
import type { CheckDefinition } from './check-definition';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

export function renderChecksTable(checks: readonly CheckDefinition[]): string {
  const rows = checks.map(
    (check) =>
      `| \`${check.id}\` | ${check.severity} | ${check.role} | ${check.runsFor.join(', ')} | ${cell(check.risk)} | ${cell(check.remediation)} |`,
  );
  return [
    '| id | severity | role in the verdict | runs for | what it catches | how to fix |',
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

export const CHECKS_START = '<!-- checks:start -->';
export const CHECKS_END = '<!-- checks:end -->';

/** The document's text with the block between the markers replaced by `table` (appended under `## Checks` if absent). */
export function withChecksTable(readme: string, table: string): string {
  const start = readme.indexOf(CHECKS_START);
  const end = readme.indexOf(CHECKS_END);
  const block = `${CHECKS_START}\n${table}\n${CHECKS_END}`;
  if (start === -1 || end === -1 || end < start) {
    return `${readme.trimEnd()}\n\n## Checks\n\n${block}\n`;
  }
  return `${readme.slice(0, start)}${block}${readme.slice(end + CHECKS_END.length)}`;
}

export function checksTableIn(readme: string): string | undefined {
  const start = readme.indexOf(CHECKS_START);
  const end = readme.indexOf(CHECKS_END);
  if (start === -1 || end === -1 || end < start) return undefined;
  return readme.slice(start + CHECKS_START.length, end).trim();
}
