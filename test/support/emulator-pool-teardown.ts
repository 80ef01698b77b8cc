import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Emulator } from '../../scripts/emulator';
import { CLI_BUNDLE_ENV } from './emulator';

/** Jest global teardown of the emulator and release lanes: stops the servers the global setup started. */
export default async function stopEmulatorPool(): Promise<void> {
  const pool = globalThis as { auditorEmulators?: Emulator[] };
  await Promise.all((pool.auditorEmulators ?? []).map((emulator) => emulator.stop()));
  delete pool.auditorEmulators;
  const bundle = process.env[CLI_BUNDLE_ENV];
  if (bundle) rmSync(dirname(bundle), { recursive: true, force: true });
}
