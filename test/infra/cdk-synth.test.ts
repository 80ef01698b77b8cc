/**
 * The commands an operator runs, run for real: `cdk synth` through the CLI and cdk.json (esbuild
 * bundling, cdk-nag, the CloudFormation validator), offline. The slow file of the infra project.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

/** No network: any HTTP(S) attempt goes to a closed local port, and the instance metadata lookup is off. */
const OFFLINE_ENV = {
  ...process.env,
  HTTP_PROXY: 'http://127.0.0.1:9',
  HTTPS_PROXY: 'http://127.0.0.1:9',
  AWS_EC2_METADATA_DISABLED: 'true',
  CDK_DISABLE_CLI_TELEMETRY: 'true',
  AWS_ACCESS_KEY_ID: '',
  AWS_SECRET_ACCESS_KEY: '',
  AWS_PROFILE: '',
};

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function runCommand(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(command, args, { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('cdk synth', () => {
  let outdir: string;

  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'auditor-synth-'));
  });

  afterAll(() => {
    rmSync(outdir, { recursive: true, force: true });
  });

  it('synthesizes the stack offline with bundling, cdk-nag and the validator', async () => {
    // Arrange
    const args = ['cdk', 'synth', '-q', '--no-notices', '-c', 'alertEmail=ops@example.com', '-o', outdir];

    // Act
    const outcome = await runCommand('npx', args, OFFLINE_ENV);

    // Assert
    expect({ code: outcome.code, stderr: outcome.code === 0 ? '' : outcome.stderr }).toEqual({
      code: 0,
      stderr: '',
    });
    const templatePath = join(outdir, 'ApiNetworkAuditor.template.json');
    expect(existsSync(templatePath)).toBe(true);
    const template = JSON.parse(readFileSync(templatePath, 'utf8')) as {
      Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
    };
    const fn = Object.values(template.Resources).find(
      (resource) => resource.Type === 'AWS::Lambda::Function',
    );
    expect(fn?.Properties?.Runtime).toBe('nodejs24.x');
    expect(outcome.stderr).not.toMatch(/AwsSolutions-/);
  }, 300_000);

  it('synthesizes central mode from context: the state machine instead of the single-account function', async () => {
    // Arrange
    const args = [
      'cdk',
      'synth',
      '-q',
      '--no-notices',
      '-c',
      'organization=true',
      '-c',
      'orgAccounts=111111111111,222222222222',
      '-c',
      'regions=us-east-1,eu-west-1',
      '-o',
      join(outdir, 'central'),
    ];

    // Act
    const outcome = await runCommand('npx', args, OFFLINE_ENV);

    // Assert
    expect({ code: outcome.code, stderr: outcome.code === 0 ? '' : outcome.stderr }).toEqual({
      code: 0,
      stderr: '',
    });
    const template = JSON.parse(
      readFileSync(join(outdir, 'central', 'ApiNetworkAuditor.template.json'), 'utf8'),
    ) as { Resources: Record<string, { Type: string }>; Outputs: Record<string, unknown> };
    const types = Object.values(template.Resources).map((resource) => resource.Type);
    expect(types.filter((type) => type === 'AWS::StepFunctions::StateMachine')).toHaveLength(1);
    // ListTargets, AuditTarget, Merge, the alarm intake, and CDK's auto-delete of the parts bucket.
    expect(types.filter((type) => type === 'AWS::Lambda::Function')).toHaveLength(5);
    expect(Object.keys(template.Outputs)).toEqual(
      expect.arrayContaining(['StateMachineArn', 'PartsBucketName']),
    );
    expect(Object.keys(template.Outputs)).not.toContain('FunctionName');
  }, 300_000);

  it('stops before synthesizing when a context value is not allowed, naming each key', async () => {
    // Arrange: the app reads context the way the CLI hands it over
    const env = {
      ...OFFLINE_ENV,
      CDK_OUTDIR: outdir,
      CDK_CONTEXT_JSON: JSON.stringify({ alertEmail: 'ops-at-example', schedule: 'rate(2 hours)' }),
    };

    // Act
    const outcome = await runCommand('npx', ['tsx', 'bin/app.ts'], env);

    // Assert
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain("context key 'alertEmail' = 'ops-at-example' is invalid");
    expect(outcome.stderr).toContain("context key 'lookbackMinutes' = 60 is shorter than the longest gap");
  }, 120_000);
});
