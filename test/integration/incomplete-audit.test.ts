/**
 * The usual first run with the wrong profile, against the emulator: a role that may call
 * sts:GetCallerIdentity and nothing else. Every other call is refused with the error AWS sends
 * (test/support/faults.ts, below the SDK's retries). The audit must never look clean: exit 3, what
 * could not be read in the first lines of the text, an error per unreadable part in JUnit. Its twin,
 * the same account read in full, names its causes and exits 1.
 */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { runAudit } from '../../lambda/audit';
import { type CliIo, EXIT_FINDINGS, EXIT_INCOMPLETE, runCli } from '../../lambda/cli/main';
import type { AnyPlugin } from '../../lambda/collect/clients';
import type { Report } from '../../lambda/domain/types';
import { BROKEN_ACCOUNT } from '../../scripts/seed/broken-account';
import { seedAccount } from '../../scripts/seed/seed-account';
import { TEST_CREDENTIALS, TEST_REGION, useEmulator } from '../support/emulator';
import { denyAction, FaultLog, type FaultRule, faultInjector } from '../support/faults';
import { expectValidReport } from '../support/report-schema';

const TEST_TIMEOUT_MS = 90_000;

/** Every action refused, as for a role whose policies allow nothing but its own identity. */
const allowOnlyCallerIdentity: FaultRule = (attempt) =>
  attempt.action === 'sts:GetCallerIdentity' ? undefined : denyAction(attempt.action)(attempt);

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

describe('an audit by a role that may read nothing', () => {
  const aws = useEmulator();
  const now = new Date();

  beforeAll(async () => {
    await seedAccount(aws.clients({ rateLimits: false }), BROKEN_ACCOUNT, now);
  }, TEST_TIMEOUT_MS);

  /** The CLI in-process against the emulator, every SDK client carrying `plugins`. */
  async function cli(argv: string[], plugins: AnyPlugin[]): Promise<CliRun> {
    let stdout = '';
    let stderr = '';
    const io: CliIo = {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      env: {},
      isTTY: { stdout: false, stderr: false },
    };
    const endpoint = aws.emulator().endpoint;
    const code = await runCli(
      [...argv, '--region', TEST_REGION, '--endpoint-url', endpoint, '--end-time', now.toISOString()],
      io,
      {
        runAudit: (request) => runAudit({ ...request, credentials: TEST_CREDENTIALS, plugins }),
        verifyCredentials: async () =>
          (await aws.clients({ plugins }).sts.send(new GetCallerIdentityCommand({}))).Account,
      },
    );
    return { code, stdout, stderr };
  }

  it(
    'exits 3 and names what could not be read in the first lines, never "No findings need attention."',
    async () => {
      // Arrange
      const log = new FaultLog();
      const denied = [faultInjector([allowOnlyCallerIdentity], log)];

      // Act
      const text = await cli([], denied);
      const json = await cli(['--format', 'json'], denied);

      // Assert
      expect(log.count('respond')).toBeGreaterThan(0);
      expect(text.code).toBe(EXIT_INCOMPLETE);
      const firstLines = text.stdout.split('\n').slice(0, 8).join('\n');
      expect(firstLines).toContain('INCOMPLETE AUDIT: nothing could be read');
      expect(firstLines).toMatch(/apigateway:Get(Rest)?Apis failed in us-east-1 \(AccessDeniedException\)/);
      expect(text.stdout).not.toContain('No findings need attention.');
      const report = JSON.parse(json.stdout) as Report;
      expect(json.code).toBe(EXIT_INCOMPLETE);
      expect(report).toMatchObject({ complete: false, apis: [], findings: [] });
      expectValidReport(report);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'makes each unreadable part an error in JUnit',
    async () => {
      // Act
      const junit = await cli(['--format', 'junit'], [faultInjector([allowOnlyCallerIdentity])]);

      // Assert
      expect(junit.code).toBe(EXIT_INCOMPLETE);
      const errors = Number(/<testsuites [^>]*errors="(\d+)"/.exec(junit.stdout)?.[1]);
      expect(errors).toBeGreaterThanOrEqual(2);
      expect(junit.stdout).toContain('<testsuite name="audit-completeness"');
      expect(junit.stdout).not.toMatch(/<testsuites [^>]*tests="0"/);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'twin: the same account read in full names its causes and exits 1',
    async () => {
      // Act
      const json = await cli(['--format', 'json'], []);

      // Assert
      const report = JSON.parse(json.stdout) as Report;
      expect(json.code).toBe(EXIT_FINDINGS);
      const withCause = report.apis.filter((stage) => stage.verdict?.kind === 'cause');
      expect(withCause.length).toBeGreaterThan(0);
      const findingIds = new Set(report.findings.map((finding) => finding.id));
      for (const stage of withCause)
        for (const id of stage.verdict?.causes ?? []) expect(findingIds.has(id)).toBe(true);
      expect(report.apis.length).toBeGreaterThan(0);
      expectValidReport(report);
    },
    TEST_TIMEOUT_MS,
  );
});
