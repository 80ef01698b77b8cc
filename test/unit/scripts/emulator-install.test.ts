import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmulatorError, ensureEmulatorInstalled } from '../../../scripts/emulator';

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
});
