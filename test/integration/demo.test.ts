import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Report } from '../../lambda/domain/types';
import { expectValidReport } from '../support/report-schema';

const root = join(__dirname, '..', '..');

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
    expect(report.window).toEqual({
      start: '2026-11-29T11:00:00.000Z',
      end: '2026-11-29T12:00:00.000Z',
      periodSeconds: 300,
    });
  });
});
