/**
 * Gives an integration test file its own moto server on a free loopback port (so files running
 * in parallel never see each other's resources), and the clients the auditor uses, pointed at it.
 */

import type { AuditRequest } from '../../lambda/audit';
import { type AwsClients, type AwsTarget, CallStats, createClients } from '../../lambda/collect/clients';
import { DEFAULT_THRESHOLDS } from '../../lambda/triage/classify-stage';
import { type Emulator, startEmulator } from '../../scripts/emulator';

export const TEST_REGION = 'us-east-1';

/** Test setup: the emulator answered without something the test needs. */
export const must = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) throw new Error(`test setup: ${what} is missing`);
  return value;
};
export const TEST_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

export interface EmulatorHandle {
  emulator(): Emulator;
  target(overrides?: Partial<AwsTarget>): AwsTarget;
  clients(overrides?: Partial<AwsTarget>): AwsClients;
  /** An audit of the emulated account over the hour before `now`, with the default thresholds. */
  auditRequest(now: Date, overrides?: Partial<AuditRequest>): AuditRequest;
}

/** Call at the top of a describe block: starts the server before all tests, stops it after, even on failure. */
export function useEmulator(): EmulatorHandle {
  let current: Emulator | undefined;
  beforeAll(async () => {
    current = await startEmulator();
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
