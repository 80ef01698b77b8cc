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

const commands = runnableCommands(readFileSync(join(root, 'README.md'), 'utf8'));

describe('the README', () => {
  it('marks commands as runnable', () => {
    expect(commands.length).toBeGreaterThanOrEqual(3);
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
