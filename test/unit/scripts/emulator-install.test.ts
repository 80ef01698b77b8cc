import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EmulatorError,
  ensureEmulatorInstalled,
  MOTO_VERSION,
  REQUIREMENTS_FILE,
} from '../../../scripts/emulator';

describe('installing the local AWS emulator', () => {
  it('stops with what to install when there is no python3, and creates nothing', () => {
    // Arrange
    const parent = mkdtempSync(join(tmpdir(), 'emulator-install-'));
    const venvDir = join(parent, '.venv');
    const log = jest.fn();

    try {
      // Act
      const install = () =>
        ensureEmulatorInstalled(log, { venvDir, python: 'python3-that-is-not-installed' });

      // Assert
      expect(install).toThrow(EmulatorError);
      expect(install).toThrow('apt-get install python3 python3-venv');
      expect(log).not.toHaveBeenCalled();
      expect(() => rmSync(venvDir)).toThrow(/ENOENT/);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('installs from a lock where every package is pinned with a hash, moto at the pinned version', () => {
    // Arrange
    const lock = readFileSync(REQUIREMENTS_FILE, 'utf8');

    // Act: one requirement per unindented line, its hashes on the continuation lines
    const requirements = lock
      .split(/\n(?=\S)/)
      .filter((entry) => !entry.startsWith('#') && entry.trim() !== '')
      .map((entry) => ({
        pin: entry.split(/\s/)[0] ?? '',
        hashes: [...entry.matchAll(/--hash=sha256:[0-9a-f]{64}/g)].length,
      }));

    // Assert
    expect(requirements.length).toBeGreaterThan(10);
    for (const { pin, hashes } of requirements) {
      expect(pin).toMatch(/^[a-z0-9._-]+==[\w.]+$/i);
      expect({ pin, hashed: hashes > 0 }).toEqual({ pin, hashed: true });
    }
    expect(requirements.map(({ pin }) => pin)).toContain(`moto==${MOTO_VERSION}`);
    expect(lock).not.toMatch(/^--(find-links|index-url|extra-index-url)/m);
  });
});
