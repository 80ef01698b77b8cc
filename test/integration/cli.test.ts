/**
 * The CLI as a user runs it (the package's bin entry, a child process) against an emulated account:
 * the JSON report it prints is valid against the shipped schema and its exit code says whether
 * something failed. The exit-code and rendering details are unit-tested in test/unit/cli.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AuditProgress, runAudit } from '../../lambda/audit';
import type { Report } from '../../lambda/domain/types';
import { DEFAULT_THRESHOLDS } from '../../lambda/triage/classify-stage';
import { BROKEN_ACCOUNT, HEALTHY_TWIN } from '../../scripts/seed/broken-account';
import { seedAccount } from '../../scripts/seed/seed-account';
import { cliEntry, useEmulator } from '../support/emulator';
import { expectValidReport } from '../support/report-schema';

/** Seeding plus a child process that loads the SDK: tens of seconds on a busy two-core machine. */
const CLI_TEST_TIMEOUT_MS = 90_000;
const projectRoot = join(__dirname, '..', '..');

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
    const child = spawn(process.execPath, [cliEntry(), ...args], {
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
  async function auditAccount(
    account: typeof BROKEN_ACCOUNT,
    extraArgs: string[] = [],
  ): Promise<{ run: CliRun; report: Report }> {
    await aws.emulator().reset();
    await seedAccount(aws.clients(), account, new Date());
    const run = await runCliProcess([
      '--endpoint-url',
      aws.emulator().endpoint,
      '--region',
      'us-east-1',
      '--format',
      'json',
      ...extraArgs,
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
      expect(run.stderr).toContain('no AWS Region to audit (');
      expect(run.stderr).toContain('Pass --region REGION');
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'audits one API chosen by its name, then by the id the emulator gave it (8 characters)',
    async () => {
      // Act
      const byName = await auditAccount(BROKEN_ACCOUNT, ['--api', 'orders-http']);
      const id = byName.report.apis[0]?.apiId ?? '';
      const byId = reportOf(
        await runCliProcess([
          '--endpoint-url',
          aws.emulator().endpoint,
          '--region',
          'us-east-1',
          '--format',
          'json',
          '--api',
          id,
        ]),
      );

      // Assert
      expect(new Set(byName.report.apis.map((api) => api.apiName))).toEqual(new Set(['orders-http']));
      expect(id).toMatch(/^[a-z0-9]{8,10}$/);
      expect(byId.apis.map((api) => api.apiId)).toEqual(byName.report.apis.map((api) => api.apiId));
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'exits 2 naming an API id of which the account has no stage',
    async () => {
      // Arrange
      await aws.emulator().reset();
      await seedAccount(aws.clients(), HEALTHY_TWIN, new Date());

      // Act
      const run = await runCliProcess([
        '--endpoint-url',
        aws.emulator().endpoint,
        '--region',
        'us-east-1',
        '--api',
        'nosuchapi1',
        '--format',
        'json',
      ]);

      // Assert
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('--api nosuchapi1: no stage of an API of this id or name in us-east-1');
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'leaves out excluded checks and moves muted findings out of the findings, valid against the schema',
    async () => {
      // Arrange: mute the lb-cross-zone findings of every load balancer, leave tg-empty-az out
      const folder = mkdtempSync(join(tmpdir(), 'auditor-mutes-'));
      const muteFile = join(folder, 'mutes.json');
      writeFileSync(
        muteFile,
        JSON.stringify({
          mutes: [
            {
              checkId: 'lb-cross-zone',
              resource: 'arn:aws:elasticloadbalancing:*',
              reason: 'zonal by design',
            },
          ],
        }),
      );

      // Act
      const { report } = await auditAccount(BROKEN_ACCOUNT, [
        '--exclude-checks',
        'tg-empty-az',
        '--mute-file',
        muteFile,
      ]);
      rmSync(folder, { recursive: true, force: true });

      // Assert
      expect(report.findings.map((finding) => finding.checkId)).not.toContain('tg-empty-az');
      expect(report.findings.map((finding) => finding.checkId)).not.toContain('lb-cross-zone');
      expect(report.muted?.map((muted) => [muted.checkId, muted.reason])).toContainEqual([
        'lb-cross-zone',
        'zonal by design',
      ]);
      expect(report.excludedChecks).toEqual(['tg-empty-az']);
      expect(failing(report)).toContain('tg-unhealthy-az');
    },
    CLI_TEST_TIMEOUT_MS,
  );

  describe('--profile', () => {
    let folder: string;
    beforeAll(() => {
      folder = mkdtempSync(join(tmpdir(), 'auditor-profile-'));
      writeFileSync(join(folder, 'config'), '[profile audit]\nregion = us-east-1\n');
      writeFileSync(
        join(folder, 'credentials'),
        '[audit]\naws_access_key_id = testing\naws_secret_access_key = testing\n',
      );
    });
    afterAll(() => rmSync(folder, { recursive: true, force: true }));

    /** No credentials or Region in the environment: only the profile's files can give them. */
    const profileEnv = () => {
      const env = childEnv();
      delete env.AWS_ACCESS_KEY_ID;
      delete env.AWS_SECRET_ACCESS_KEY;
      return {
        ...env,
        AWS_CONFIG_FILE: join(folder, 'config'),
        AWS_SHARED_CREDENTIALS_FILE: join(folder, 'credentials'),
      };
    };

    it(
      'audits with the Region and credentials of the named profile',
      async () => {
        const run = await runCliProcess(
          [
            '--profile',
            'audit',
            '--endpoint-url',
            aws.emulator().endpoint,
            '--format',
            'json',
            '--fail-on',
            'none',
          ],
          profileEnv(),
        );
        expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
        expect(reportOf(run).regions).toEqual(['us-east-1']);
      },
      CLI_TEST_TIMEOUT_MS,
    );

    it(
      'exits 2 naming a profile the files do not define, and the profiles they do',
      async () => {
        const run = await runCliProcess(
          ['--profile', 'prod', '--endpoint-url', aws.emulator().endpoint],
          profileEnv(),
        );
        expect(run.code).toBe(2);
        expect(run.stderr).toContain(`--profile 'prod': no such profile in ${join(folder, 'config')}`);
        expect(run.stderr).toContain('Profiles there: audit.');
      },
      CLI_TEST_TIMEOUT_MS,
    );
  });
});

describe('audit progress against an emulated account', () => {
  const aws = useEmulator();

  it(
    'reports each phase and a rising AWS call count, with the paths to follow of the failing stages',
    async () => {
      // Arrange
      await aws.emulator().reset();
      await seedAccount(aws.clients(), BROKEN_ACCOUNT, new Date());
      const events: AuditProgress[] = [];

      // Act
      const report = await runAudit({
        regions: ['us-east-1'],
        lookbackMinutes: 60,
        periodSeconds: 300,
        allChecks: false,
        thresholds: DEFAULT_THRESHOLDS,
        endpoint: aws.emulator().endpoint,
        credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
        onProgress: (event) => events.push(event),
      });

      // Assert
      const phases = events
        .map((event) => event.phase)
        .filter((phase, index, all) => phase !== all[index - 1]);
      expect(phases).toEqual(['triage', 'collect', 'evaluate', 'done']);
      const calls = events.map((event) => event.awsCalls);
      expect(calls).toEqual([...calls].sort((a, b) => a - b));
      expect(events.length).toBeGreaterThan(phases.length + 5); // an event per call, not only per phase
      const failingStages = report.apis.filter((api) => api.classification.endsWith('-frequency')).length;
      expect(events.at(-1)).toMatchObject({
        pathsToFollow: failingStages,
        pathsFollowed: failingStages,
        stagesSeen: report.apis.length,
      });
    },
    CLI_TEST_TIMEOUT_MS,
  );
});
