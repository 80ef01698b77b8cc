/**
 * The CLI as a user runs it (the package's bin entry, a child process) against an emulated account:
 * the JSON report it prints is valid against the shipped schema and its exit code says whether
 * something failed. The exit-code and rendering details are unit-tested in test/unit/cli.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Report } from '../../lambda/domain/types';
import { BROKEN_ACCOUNT, HEALTHY_TWIN } from '../../scripts/seed/broken-account';
import { seedAccount } from '../../scripts/seed/seed-account';
import { useEmulator } from '../support/emulator';
import { expectValidReport } from '../support/report-schema';

/** Seeding plus a child process that loads the SDK through tsx: tens of seconds on a busy two-core machine. */
const CLI_TEST_TIMEOUT_MS = 90_000;
const projectRoot = join(__dirname, '..', '..');
const bin = join(projectRoot, 'bin', 'api-network-auditor.js');

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The child sees only the emulator's test credentials: no profile, Region or endpoint of the caller. */
function childEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
  return {
    ...env,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(projectRoot, 'no-such-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(projectRoot, 'no-such-aws-credentials'),
  };
}

function runCliProcess(args: string[], env: NodeJS.ProcessEnv = childEnv()): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: projectRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function reportOf(run: CliRun): Report {
  try {
    return JSON.parse(run.stdout) as Report;
  } catch {
    throw new Error(`the CLI printed no JSON report (exit ${run.code}); stderr:\n${run.stderr.slice(-3000)}`);
  }
}

const failing = (report: Report): string[] =>
  [
    ...new Set(
      report.findings.filter((finding) => finding.status === 'FAIL').map((finding) => finding.checkId),
    ),
  ].sort();

describe('the CLI against an emulated account', () => {
  const aws = useEmulator();

  /** Seeds `account` into an emptied emulator and runs the CLI on it for a JSON report. */
  async function auditAccount(account: typeof BROKEN_ACCOUNT): Promise<{ run: CliRun; report: Report }> {
    await aws.emulator().reset();
    await seedAccount(aws.clients(), account, new Date());
    const run = await runCliProcess([
      '--endpoint-url',
      aws.emulator().endpoint,
      '--region',
      'us-east-1',
      '--format',
      'json',
    ]);
    const report = reportOf(run);
    expectValidReport(report);
    return { run, report };
  }

  it(
    'prints a valid JSON report and exits 1 when the account has the faults behind the 504s',
    async () => {
      // Act
      const { run, report } = await auditAccount(BROKEN_ACCOUNT);

      // Assert
      expect(run.code).toBe(1);
      expect(report.account).toBe('123456789012');
      const seededApis = [...BROKEN_ACCOUNT.httpApis, ...BROKEN_ACCOUNT.restApis].map((api) => api.name);
      expect(report.apis.map((api) => api.apiName).sort()).toEqual(seededApis.sort());
      expect(report.apis.find((api) => api.apiName === 'orders-http')?.classification).toBe('high-frequency');
      expect(failing(report)).toEqual(
        expect.arrayContaining(['lb-cross-zone', 'tg-empty-az', 'tg-unhealthy-az']),
      );
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'prints a valid JSON report and exits 0 on the healthy twin of that account',
    async () => {
      // Act
      const { run, report } = await auditAccount(HEALTHY_TWIN);

      // Assert
      expect(failing(report)).toEqual([]);
      expect(run.code).toBe(0);
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'exits 2 and says how to set a Region when there is none',
    async () => {
      // Act
      const run = await runCliProcess(['--endpoint-url', aws.emulator().endpoint]);

      // Assert
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('no AWS Region to audit. Pass --region REGION');
    },
    CLI_TEST_TIMEOUT_MS,
  );
});
