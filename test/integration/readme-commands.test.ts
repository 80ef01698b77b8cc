/**
 * Every command the README shows is tested as it stands: the blocks marked `<!-- runnable -->` run
 * here; CLI command lines are parsed by the CLI's own parser and `cdk deploy` lines' settings by the
 * stack's context validation; every other command is listed below with the test that runs it (or
 * why none can). The `<!-- emulator -->` block runs in test/integration/emulator-shop.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHECKS } from '../../lambda/checks/index';
import { parseCliArgs } from '../../lambda/cli/parse-args';
import { parseContext } from '../../lib/context';
import { readmeBashBlocks } from '../support/readme';

const root = join(__dirname, '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = readmeBashBlocks(readme);
const commands = blocks.filter((block) => block.marker === 'runnable').flatMap((block) => block.commands);
const allCommands = blocks.flatMap((block) => block.commands);

/** The CLI, however the README starts it; the rest of the line is its argv (a `> file` redirect aside). */
const CLI_PREFIX = /^(api-network-auditor|npm run -s audit --|node bin\/api-network-auditor\.js)(\s|$)/;
const cliArgv = (command: string): string[] =>
  command
    .replace(CLI_PREFIX, '')
    .replace(/\s*>\s*\S+$/, '')
    .split(/\s+/)
    .filter(Boolean);
const CDK_DEPLOY = /^npx cdk deploy\b/;

/** Commands no test here can run as written, with the test that runs their equivalent, or why none. */
const COVERED_ELSEWHERE: Record<string, { by: string; mentions: string }> = {
  'npm ci && npm run demo': { by: 'test/integration/demo.test.ts', mentions: 'scripts/demo.ts' },
  'npm ci && npm test': { by: '.ci/run', mentions: 'npm test' },
  'npm run emulator': { by: 'test/integration/emulator-shop.test.ts', mentions: 'scripts/emulator-shop.ts' },
  'npm ci && npm run build:cli': { by: 'test/integration/install-from-pack.test.ts', mentions: "'pack'" },
  'npm pack': { by: 'test/integration/install-from-pack.test.ts', mentions: "'pack'" },
  'npm install -g --ignore-scripts ./api-network-auditor-0.1.0.tgz': {
    by: 'test/integration/install-from-pack.test.ts',
    mentions: '--ignore-scripts',
  },
};
/** Commands that need what a test cannot have, and say so. */
const NOT_RUN: Record<string, string> = {
  'npm link': "changes the machine's global npm folder",
  'npx cdk bootstrap aws://123456789012/eu-west-1': 'needs an AWS account',
};

describe('the README', () => {
  it('marks commands as runnable', () => {
    expect(commands.length).toBeGreaterThanOrEqual(3);
  });

  it("keeps npm's banner out of every JSON command (npm run -s)", () => {
    // `npm run x` prints "> api-network-auditor@0.1.0 x" on stdout first: `> report.json` would not be JSON.
    const jsonCommands = readme
      .split('\n')
      .filter((line) => /--format json/.test(line) && !/--output/.test(line) && /\bnpm run\b/.test(line));
    expect(jsonCommands.length).toBeGreaterThan(0);
    for (const line of jsonCommands) expect(line).toMatch(/npm run (-s|--silent) /);
  });

  it.each(commands)('runs `%s` as written', (command) => {
    // Act
    const result = spawnSync('bash', ['-c', command], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 60_000,
    });

    // Assert
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(result.stdout.length).toBeGreaterThan(0);
  });

  it.each(allCommands.filter((command) => CLI_PREFIX.test(command)))(
    'gives the CLI flags it accepts: `%s`',
    (command) => {
      const parsed = parseCliArgs(cliArgv(command));
      expect(parsed.ok ? 'ok' : parsed.message).toBe('ok');
    },
  );

  it.each(allCommands.filter((command) => CDK_DEPLOY.test(command)))(
    'gives cdk deploy settings the stack accepts: `%s`',
    (command) => {
      const pairs = [...command.matchAll(/-c (\w+)=(\S+)/g)].map(([, key, value]) => [key, value]);
      expect(pairs.length).toBeGreaterThan(0);
      expect(() => parseContext(Object.fromEntries(pairs), { region: 'eu-west-1' })).not.toThrow();
    },
  );

  it('runs, parses or names the test of every other command it shows', () => {
    const others = allCommands.filter(
      (command) =>
        !CLI_PREFIX.test(command) &&
        !CDK_DEPLOY.test(command) &&
        !blocks.some((block) => block.marker && block.commands.includes(command)),
    );
    for (const command of others) {
      const covered = COVERED_ELSEWHERE[command];
      if (covered) {
        expect({
          command,
          mentioned: readFileSync(join(root, covered.by), 'utf8').includes(covered.mentions),
        }).toEqual({
          command,
          mentioned: true,
        });
      } else {
        expect({ command, reason: NOT_RUN[command] }).toEqual({ command, reason: expect.any(String) });
      }
    }
  });

  it('states the numbers the code has: the IAM actions printed and the checks', () => {
    const policy = spawnSync('bash', ['-c', 'npm run -s audit -- --print-iam-policy'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    });
    const actions = (
      JSON.parse(policy.stdout) as { Statement: { Action: string | string[] }[] }
    ).Statement.flatMap((statement) => statement.Action);

    expect(readme).toMatch(new RegExp(`It prints the ${actions.length} actions the audit calls`));
    const cliDoc = readFileSync(join(root, 'docs', 'cli.md'), 'utf8');
    expect(cliDoc).toMatch(new RegExp(`It prints the ${actions.length} actions the audit calls`));
    expect(readme).toMatch(new RegExp(`^${CHECKS.length} checks,`, 'm'));
  });
});
