/**
 * Gives an integration test file a moto server and the clients the auditor uses, pointed at it.
 * Under the emulator and release lanes each Jest worker has one server for the whole run
 * (test/support/emulator-pool.ts), emptied before each file, so files running in parallel never
 * see each other's resources; without that setup (another config), each block starts a server of its own.
 */

import { join } from 'node:path';
import type { AuditRequest } from '../../lambda/audit';
import { type AwsClients, type AwsTarget, CallStats, createClients } from '../../lambda/collect/clients';
import { DEFAULT_THRESHOLDS } from '../../lambda/triage/classify-stage';
import { type Emulator, resetEmulator, startEmulator } from '../../scripts/emulator';

export const TEST_REGION = 'us-east-1';

/** The endpoints of the workers' servers (JSON list), set by the lanes' global setup. */
export const EMULATORS_ENV = 'AUDITOR_TEST_EMULATORS';
/** The CLI bundled once by the lanes' global setup. */
export const CLI_BUNDLE_ENV = 'AUDITOR_TEST_CLI';

/** Test setup: the emulator answered without something the test needs. */
export const must = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) throw new Error(`test setup: ${what} is missing`);
  return value;
};
export const TEST_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

/** The script to run the CLI as its user does: the bundle when the lanes built one, else the bin entry. */
export function cliEntry(): string {
  return process.env[CLI_BUNDLE_ENV] ?? join(__dirname, '..', '..', 'bin', 'api-network-auditor.js');
}

export interface EmulatorHandle {
  emulator(): Emulator;
  target(overrides?: Partial<AwsTarget>): AwsTarget;
  clients(overrides?: Partial<AwsTarget>): AwsClients;
  /** An audit of the emulated account over the hour before `now`, with the default thresholds. */
  auditRequest(now: Date, overrides?: Partial<AuditRequest>): AuditRequest;
}

/** This worker's server from the pool, or undefined when no pool runs (a plain `jest` of one file). */
function pooledEmulator(): Emulator | undefined {
  const endpoints = process.env[EMULATORS_ENV];
  if (!endpoints) return undefined;
  const list = JSON.parse(endpoints) as string[];
  const worker = Number(process.env.JEST_WORKER_ID ?? '1');
  const endpoint = list[(worker - 1) % list.length];
  if (!endpoint) return undefined;
  // The pool's teardown stops the server: a file only borrows it.
  return { endpoint, reset: () => resetEmulator(endpoint), stop: async () => {} };
}

/**
 * Call at the top of a describe block: before its tests the block gets an empty server (the worker's,
 * reset, or one started for it), after them a server it started is stopped, even on failure.
 */
export function useEmulator(): EmulatorHandle {
  let current: Emulator | undefined;
  beforeAll(async () => {
    const pooled = pooledEmulator();
    if (pooled) await pooled.reset();
    current = pooled ?? (await startEmulator());
  }, 60_000);
  afterAll(async () => {
    await current?.stop();
  });
  const emulator = (): Emulator => {
    if (!current) throw new Error('emulator not started: call useEmulator() inside describe()');
    return current;
  };
  const target = (overrides: Partial<AwsTarget> = {}): AwsTarget => ({
    region: TEST_REGION,
    endpoint: emulator().endpoint,
    credentials: TEST_CREDENTIALS,
    maxAttempts: 2,
    ...overrides,
  });
  const auditRequest = (now: Date, overrides: Partial<AuditRequest> = {}): AuditRequest => ({
    regions: [TEST_REGION],
    lookbackMinutes: 60,
    periodSeconds: 300,
    allChecks: true,
    thresholds: DEFAULT_THRESHOLDS,
    endpoint: emulator().endpoint,
    credentials: TEST_CREDENTIALS,
    now,
    ...overrides,
  });
  return {
    emulator,
    target,
    clients: (overrides) => createClients(target(overrides), new CallStats()),
    auditRequest,
  };
}
