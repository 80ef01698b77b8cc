/**
 * The local AWS emulator (moto server): installed once into `.venv` at a pinned version, started
 * on a free loopback port, reset between test files, stopped when its owner is done.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const MOTO_VERSION = '5.2.5';
const projectRoot = join(__dirname, '..');
const venv = join(projectRoot, '.venv');
const motoServer = join(venv, 'bin', 'moto_server');
/** The cfn-lint command of the project's `.venv`: moto[server] depends on it, so the lock pins it. */
export const cfnLintCommand = join(venv, 'bin', 'cfn-lint');
/** The AWS CLI of the project's `.venv` (hash-locked with the emulator): tests apply printed fixes with it. */
export const awsCliCommand = join(venv, 'bin', 'aws');

export class EmulatorError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EmulatorError';
  }
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new EmulatorError(
      `'${command} ${args.join(' ')}' failed: ${result.error?.message ?? result.stderr.slice(-2000)}`,
    );
  }
}

/** moto[server] and every package it pulls in, pinned with hashes (pip installs nothing else). */
export const REQUIREMENTS_FILE = join(projectRoot, 'scripts', 'emulator-requirements.txt');
/** Written into the venv after an install: the hash of the requirements it was installed from. */
const INSTALLED_MARKER = '.emulator-requirements.sha256';

const requirementsHash = (): string =>
  createHash('sha256').update(readFileSync(REQUIREMENTS_FILE)).digest('hex');

/** True when the venv holds moto_server installed from the current requirements file. */
function installedFromRequirements(venvDir: string): boolean {
  const marker = join(venvDir, INSTALLED_MARKER);
  if (!existsSync(join(venvDir, 'bin', 'moto_server')) || !existsSync(marker)) return false;
  return readFileSync(marker, 'utf8').trim() === requirementsHash();
}

/** Where to install and which Python to build it with (tests point them elsewhere). */
export interface InstallPlace {
  venvDir: string;
  python: string;
}

/**
 * Installs moto[server] into `.venv` from the hash-locked requirements, unless that exact set is
 * already there: `--require-hashes` refuses any file whose hash is not in the lock, `--no-deps`
 * anything not listed in it.
 */
export function ensureEmulatorInstalled(
  log: (line: string) => void = () => {},
  { venvDir, python: pythonCommand }: InstallPlace = { venvDir: venv, python: 'python3' },
): void {
  if (installedFromRequirements(venvDir)) return;
  const python = spawnSync(pythonCommand, ['--version'], { encoding: 'utf8' });
  if (python.error || python.status !== 0) {
    throw new EmulatorError(
      'python3 is required for the local AWS emulator (moto server). Install Python 3.9 or newer with venv ' +
        '(Debian/Ubuntu: apt-get install python3 python3-venv), then run the command again.',
    );
  }
  log(`Installing the AWS emulator (moto[server]==${MOTO_VERSION}, hash-locked) into .venv, once...`);
  // A fresh venv each time: packages installed before (without hashes, or from an older lock) cannot stay.
  run(pythonCommand, ['-m', 'venv', '--clear', venvDir]);
  run(join(venvDir, 'bin', 'pip'), [
    'install',
    '--quiet',
    '--disable-pip-version-check',
    '--require-hashes',
    '--no-deps',
    '--requirement',
    REQUIREMENTS_FILE,
  ]);
  writeFileSync(join(venvDir, INSTALLED_MARKER), `${requirementsHash()}\n`);
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

export interface Emulator {
  endpoint: string;
  /** Drops every resource the emulator holds (`POST /moto-api/reset`). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

async function waitUntilReady(endpoint: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new EmulatorError(`moto server exited early: ${stderr().slice(-2000)}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new EmulatorError(`moto server did not answer on ${endpoint} within 30 s: ${stderr().slice(-2000)}`);
}

/** Drops every resource the moto server at `endpoint` holds. */
export async function resetEmulator(endpoint: string): Promise<void> {
  const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  if (!response.ok) throw new EmulatorError(`moto reset failed with HTTP ${response.status}`);
}

/** Starts a moto server on a free loopback port; installs it first if needed. */
export async function startEmulator(): Promise<Emulator> {
  ensureEmulatorInstalled();
  const port = await freeLoopbackPort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(motoServer, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  running.add(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-10_000);
  });
  try {
    await waitUntilReady(endpoint, child, () => stderr);
  } catch (error) {
    child.kill('SIGKILL');
    running.delete(child);
    throw error;
  }
  return {
    endpoint,
    reset: () => resetEmulator(endpoint),
    stop() {
      return new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          running.delete(child);
          resolve();
          return;
        }
        child.once('exit', () => {
          running.delete(child);
          resolve();
        });
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      });
    },
  };
}
