import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** The commands of every ```bash block that the README marks `<!-- runnable -->`. */
function runnableCommands(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/<!-- runnable -->\s*```bash\n([\s\S]*?)```/g)];
  return blocks.flatMap((block) =>
    (block[1] ?? '')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#')),
  );
}

const readme = readFileSync(join(root, 'README.md'), 'utf8');
const commands = runnableCommands(readme);

/** Every command line in the README that asks for JSON on stdout. */
const jsonCommands = readme
  .split('\n')
  .filter((line) => /--format json/.test(line) && !/--output/.test(line) && /\bnpm run\b/.test(line));

describe('the README', () => {
  it('marks commands as runnable', () => {
    expect(commands.length).toBeGreaterThanOrEqual(3);
  });

  it("keeps npm's banner out of every JSON command (npm run -s)", () => {
    // `npm run x` prints "> api-network-auditor@0.1.0 x" on stdout first: `> report.json` would not be JSON.
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
});
