import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Report } from '../../lambda/domain/types';
import { expectValidReport } from '../support/report-schema';

const root = join(__dirname, '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The ids the emulator makes differ from run to run: API ids, and EC2 resource ids. */
const withoutIds = (text: string) =>
  text
    .replace(/\(([a-z0-9]{8}|[a-z0-9]{10})(, us-east-1)?\)/g, '(ID$2)')
    .replace(/\b(sg|eni|subnet|vpc|i)-[0-9a-f]{8,17}\b/g, '$1-ID')
    .replace(/\bid [0-9a-f]{16}\b/g, 'id ID');

/** The README's demo excerpt: the demo's first lines, then `  ...`. */
const readmeExcerpt = (
  /<!-- demo-excerpt:start -->\s*```text\n([\s\S]*?)\n {2}\.\.\.\n```/.exec(readme)?.[1] ?? ''
).split('\n');
/** The checks the README says the demo fails and warns. */
const readmeClaims = (/^It fails \d+ checks: ([\s\S]*?`)\./m.exec(readme)?.[1] ?? '').split('; and warns ');

function runDemo(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/demo.ts', ...args],
    {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 110_000,
    },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run demo', () => {
  it('prints a JSON report of the emulated shop that fits the schema and names at least six failing checks', () => {
    // Act
    const { status, stdout, stderr } = runDemo(['--format', 'json']);

    // Assert
    expect({ status, stderr: status === 0 ? '' : stderr }).toEqual({ status: 0, stderr: '' });
    const report = JSON.parse(stdout) as Report;
    expectValidReport(report);
    const failing = new Set(report.findings.filter((f) => f.status === 'FAIL').map((f) => f.checkId));
    expect(failing.size).toBeGreaterThanOrEqual(6);
    expect(new Set(report.apis.map((api) => api.classification))).toEqual(
      new Set(['no-traffic', 'healthy', 'low-frequency', 'high-frequency']),
    );
    const ids = (text: string | undefined) =>
      [...(text ?? '').matchAll(/`([a-z0-9-]+)`/g)].map(([, id]) => id).sort();
    expect([...failing].sort()).toEqual(ids(readmeClaims[0]));
    expect(readme).toMatch(new RegExp(`^It fails ${failing.size} checks`, 'm'));
    const warning = new Set(report.findings.filter((f) => f.status === 'WARN').map((f) => f.checkId));
    expect([...warning].sort()).toEqual(ids(readmeClaims[1]));
    expect(report.window).toEqual({
      start: '2026-11-29T11:00:00.000Z',
      end: '2026-11-29T12:00:00.000Z',
      periodSeconds: 300,
    });
  });

  it('prints the report the README shows: its excerpt is the first lines of the demo', () => {
    // Act
    const { status, stdout, stderr } = runDemo([]);

    // Assert
    expect({ status, stderr: status === 0 ? '' : stderr }).toEqual({ status: 0, stderr: '' });
    expect(readmeExcerpt.length).toBeGreaterThan(10);
    const firstLines = withoutIds(stdout).split('\n').slice(0, readmeExcerpt.length);
    expect(firstLines).toEqual(withoutIds(readmeExcerpt.join('\n')).split('\n'));
  });
});
