/**
 * Jest global setup of the emulator and release lanes: one moto server per Jest worker, started once
 * for the whole run (test/support/emulator.ts resets the worker's server before each test file), and
 * the CLI bundled once by esbuild, so a test spawns plain Node.js instead of a TypeScript loader.
 */
import { join } from 'node:path';
import { build } from 'esbuild';
import type { GlobalConfig } from 'jest';
import { type Emulator, ensureEmulatorInstalled, startEmulator } from '../../scripts/emulator';
import { CLI_BUNDLE_ENV, EMULATORS_ENV } from './emulator';

/** Read by the global teardown, which runs in this same process. */
const pool = globalThis as { auditorEmulators?: Emulator[] };

export default async function startEmulatorPool(globalConfig: GlobalConfig): Promise<void> {
  ensureEmulatorInstalled((line) => process.stderr.write(`${line}\n`));
  const workers = Math.max(1, globalConfig.maxWorkers);
  const emulators = await Promise.all(Array.from({ length: workers }, () => startEmulator()));
  pool.auditorEmulators = emulators;
  // Workers are forked after global setup and inherit this environment; JEST_WORKER_ID picks one.
  process.env[EMULATORS_ENV] = JSON.stringify(emulators.map((emulator) => emulator.endpoint));
  process.env[CLI_BUNDLE_ENV] = await bundleCli();
}

const projectRoot = join(__dirname, '..', '..');
const BUNDLE_ROOT = join(projectRoot, '.test-build');

/**
 * bin/cli.ts as `npm pack` bundles it (package.json's build:cli), outside dist/, which the release
 * lane packs at the same time. Dependencies stay outside and resolve from the
 * project's node_modules, as an installed package's do from its own.
 */
async function bundleCli(): Promise<string> {
  // One folder per Jest run: lanes running at once never read each other's half-written bundle.
  const outfile = join(BUNDLE_ROOT, String(process.pid), 'cli.js');
  await build({
    entryPoints: [join(projectRoot, 'bin', 'cli.ts')],
    bundle: true,
    platform: 'node',
    target: 'node22',
    packages: 'external',
    outfile,
    logLevel: 'warning',
  });
  return outfile;
}
