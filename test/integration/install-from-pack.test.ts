/**
 * The package as a user installs it: `npm pack` (which compiles the CLI into dist/ by prepack),
 * `npm install` of the tarball into an empty folder (registry reachable for its dependencies, the
 * npm cache preferred), then the installed `api-network-auditor` runs --help and an audit of an
 * emulated account. It also holds the install to the CLI's own needs: no CDK, no TypeScript loader.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Report } from '../../lambda/domain/types';
import { HEALTHY_TWIN } from '../../scripts/seed/broken-account';
import { seedAccount } from '../../scripts/seed/seed-account';
import { useEmulator } from '../support/emulator';
import { expectValidReport } from '../support/report-schema';

const projectRoot = join(__dirname, '..', '..');
/** npm pack plus an install from the npm cache: about a minute on a busy two-core machine. */
const INSTALL_TIMEOUT_MS = 240_000;

describe('the packed package, installed into an empty folder', () => {
  const aws = useEmulator();
  let folder: string;
  let bin: string;

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'auditor-install-'));
    // A plain `npm pack`, as a maintainer types it: the package's own prepack must compile dist/cli.js.
    const packed = execFileSync('npm', ['pack', '--silent', '--pack-destination', folder], {
      cwd: projectRoot,
      encoding: 'utf8',
    }).trim();
    const tarball = join(folder, packed.split('\n').at(-1) ?? '');
    const project = join(folder, 'project');
    execFileSync('mkdir', ['-p', project]);
    writeFileSync(
      join(project, 'package.json'),
      '{"name":"install-check","version":"1.0.0","private":true}\n',
    );
    execFileSync(
      'npm',
      // As the README installs it: no dependency's install script (the CLI's dependencies need none).
      [
        'install',
        '--ignore-scripts',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        tarball,
      ],
      { cwd: project, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } },
    );
    bin = join(project, 'node_modules', '.bin', 'api-network-auditor');
  }, INSTALL_TIMEOUT_MS);

  afterAll(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  const run = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
    spawnSync(bin, args, { cwd: folder, encoding: 'utf8', env, timeout: 60_000 });

  it('installs only what the CLI needs at run time: no CDK, no TypeScript loader, no sources', () => {
    const installed = readdirSync(join(folder, 'project', 'node_modules'));
    expect(installed).not.toContain('aws-cdk-lib');
    expect(installed).not.toContain('constructs');
    expect(installed).not.toContain('tsx');
    const pkg = join(folder, 'project', 'node_modules', 'api-network-auditor');
    expect(existsSync(join(pkg, 'dist', 'cli.js'))).toBe(true);
    expect(existsSync(join(pkg, 'lambda'))).toBe(false);
    const size = execFileSync('du', ['-sm', join(folder, 'project', 'node_modules')], { encoding: 'utf8' });
    process.stderr.write(`installed node_modules: ${size.split('\t')[0]} MB\n`);
  });

  it('prints the help from the installed bin', () => {
    const result = run(['--help']);
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(result.stdout).toContain('Usage: api-network-auditor [options]');
  });

  it(
    'audits an emulated account from the installed bin and prints a valid JSON report',
    async () => {
      // Arrange
      await seedAccount(aws.clients(), HEALTHY_TWIN, new Date());
      const env = Object.fromEntries(
        Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')),
      );

      // Act
      const result = run(
        ['--endpoint-url', aws.emulator().endpoint, '--region', 'us-east-1', '--format', 'json'],
        {
          ...env,
          AWS_ACCESS_KEY_ID: 'testing',
          AWS_SECRET_ACCESS_KEY: 'testing',
          AWS_CONFIG_FILE: join(folder, 'no-config'),
          AWS_SHARED_CREDENTIALS_FILE: join(folder, 'no-credentials'),
        },
      );

      // Assert
      expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
      const report = JSON.parse(result.stdout) as Report;
      expectValidReport(report);
      expect(report.apis.length).toBeGreaterThan(0);
    },
    INSTALL_TIMEOUT_MS,
  );
});
