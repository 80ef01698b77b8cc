/**
 * The CLI (--mute-file) and the Lambda (SUPPRESSIONS) load mutes through one loader: the same file
 * is refused by both with the same problem, and accepted by both as the same suppressions.
 */
import type { AuditRequest } from '../../../lambda/audit';
import { CHECKS } from '../../../lambda/checks/index';
import { type CliDeps, runCli } from '../../../lambda/cli/main';
import { InvalidEnvironmentError, parseEnvironment } from '../../../lambda/config/environment';
import { fakeIo } from '../cli/fixtures/cli-io';
import { aReport } from '../cli/fixtures/report';

const LAMBDA_ENV = {
  AWS_REGION: 'eu-west-1',
  TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:findings',
  STATE_TABLE_NAME: 'auditor-state',
};

/** Runs the CLI with `--mute-file mutes.json` holding `json`: its exit code, stderr and the audit's request. */
async function cliWithMuteFile(json: string) {
  const io = fakeIo();
  const requests: AuditRequest[] = [];
  const deps: Partial<CliDeps> = {
    runAudit: async (request) => {
      requests.push(request);
      return aReport();
    },
    verifyCredentials: async () => '123456789012',
    profileRegion: async () => undefined,
    listChecks: async () => CHECKS,
    readFile: async () => json,
    now: () => new Date('2026-11-29T12:00:00Z'),
    version: () => '9.9.9',
  };
  const code = await runCli(['--mute-file', 'mutes.json', '--fail-on', 'none'], io, deps);
  return { code, stderr: io.err(), request: requests[0] };
}

/** The Lambda's environment with SUPPRESSIONS = `json`: its suppressions, or the error it refused them with. */
function lambdaWithSuppressions(json: string) {
  try {
    return { suppressions: parseEnvironment({ ...LAMBDA_ENV, SUPPRESSIONS: json }).suppressions };
  } catch (error) {
    if (error instanceof InvalidEnvironmentError) return { error };
    throw error;
  }
}

describe('one mute loader for the CLI and the Lambda', () => {
  it.each([
    ['not JSON', '{"mutes": ['],
    ['a rule without a reason', '{"mutes": [{"checkId": "vpc-flow-logs"}]}'],
    ['a misspelt check id', '{"mutes": [{"checkId": "vpc-flow-log", "reason": "accepted"}]}'],
    ['an excluded check that does not exist', '{"excludeChecks": ["tg-empty-zone"]}'],
    ['an expiry that is not a date', '{"mutes": [{"findingId": "f1", "reason": "x", "expires": "soon"}]}'],
    ['an unknown key', '{"mute": []}'],
  ])('refuses %s on both surfaces with the same problem', async (_, json) => {
    // Act
    const cli = await cliWithMuteFile(json);
    const lambda = lambdaWithSuppressions(json);

    // Assert: each names its source, then the same problem
    expect(cli.code).toBe(2);
    expect(cli.request).toBeUndefined();
    const cliProblem = /api-network-auditor: --mute-file mutes\.json: (.+)\n/.exec(cli.stderr)?.[1];
    const lambdaProblem = /^Invalid environment: SUPPRESSIONS: (.+)$/.exec(lambda.error?.message ?? '')?.[1];
    expect(cliProblem).toBeDefined();
    expect(lambdaProblem).toBe(cliProblem);
  });

  it('names the nearest real check on both surfaces when a check id is misspelt', async () => {
    const json = '{"mutes": [{"checkId": "vpc-flow-log", "reason": "accepted"}]}';
    expect((await cliWithMuteFile(json)).stderr).toContain(
      'no such check: vpc-flow-log (did you mean vpc-flow-logs?)',
    );
    expect(lambdaWithSuppressions(json).error?.message).toContain(
      'no such check: vpc-flow-log (did you mean vpc-flow-logs?)',
    );
  });

  it('accepts the same good file on both surfaces as the same suppressions (the healthy twin)', async () => {
    // Arrange
    const suppressions = {
      excludeChecks: ['client-retries'],
      mutes: [
        {
          checkId: 'vpc-flow-logs',
          resource: 'arn:aws:ec2:*:vpc/vpc-legacy',
          reason: 'no flow logs by policy',
        },
        { findingId: 'f1', account: '123456789012', reason: 'accepted risk', expires: '2027-01-31' },
      ],
    };
    const json = JSON.stringify(suppressions);

    // Act
    const cli = await cliWithMuteFile(json);
    const lambda = lambdaWithSuppressions(json);

    // Assert
    expect(cli.code).toBe(0);
    expect(cli.stderr).toBe('');
    expect(cli.request?.suppressions).toEqual(suppressions);
    expect(lambda.suppressions).toEqual(suppressions);
  });
});
