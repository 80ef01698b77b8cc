/**
 * `npm ci` runs no dependency's install script, while the project's own scripts (prepack) run:
 * .npmrc makes an unreviewed install script an install error, and package.json's allowScripts
 * denies every locked package that has one.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const readJson = (file: string) => JSON.parse(readFileSync(join(root, file), 'utf8'));
const npmConfig = (key: string) =>
  execFileSync('npm', ['config', 'get', key], { cwd: root, encoding: 'utf8' }).trim();

describe('install scripts', () => {
  it('keeps the project its own scripts (prepack builds the CLI on npm pack and npm publish)', () => {
    expect(npmConfig('ignore-scripts')).toBe('false');
    expect(readJson('package.json').scripts.prepack).toBe('npm run build:cli');
  });

  it('fails an install on any dependency install script nobody reviewed', () => {
    expect(npmConfig('strict-allow-scripts')).toBe('true');
  });

  it('denies every locked dependency that has an install script', () => {
    const lock = readJson('package-lock.json') as {
      packages: Record<string, { hasInstallScript?: boolean }>;
    };
    const withScripts = Object.entries(lock.packages)
      .filter(([, entry]) => entry.hasInstallScript)
      .map(([path]) => path.replace(/^.*node_modules\//, ''));
    const allowScripts = readJson('package.json').allowScripts as Record<string, boolean>;

    expect(withScripts.length).toBeGreaterThan(0);
    for (const name of withScripts)
      expect({ name, allowed: allowScripts[name] }).toEqual({ name, allowed: false });
  });
});
