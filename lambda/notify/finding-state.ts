/**
 * What the notifier remembers about each finding it announced, between runs. Only findings that were
 * announced are remembered: a finding below the severity threshold that was never announced has no
 * state, so it cannot be "resolved" either.
 */
import type { Severity, Status } from '../domain/types';

export interface FindingState {
  findingId: string;
  /** True while the finding is FAIL/WARN/ERROR; false once it resolved (kept until `expiresAt` for history). */
  open: boolean;
  status: Status;
  severity: Severity;
  /** Enough of the finding to announce its resolution when a later report no longer lists it. */
  checkId: string;
  title: string;
  /** The account the finding is in (absent in states written before reports named it). */
  account?: string;
  region: string;
  resourceArn: string;
  apis: { apiId: string; stage: string }[];
  /** ISO timestamps. */
  firstSeen: string;
  lastSeen: string;
  lastNotified: string;
  resolvedAt?: string;
  /** Epoch seconds: DynamoDB's TTL deletes the record after this. */
  expiresAt: number;
}

/** Where finding states live between runs (DynamoDB in the Lambda, memory in tests and dry runs). */
export interface FindingStateStore {
  /** The states of these findings that exist (unknown ids are absent from the map). */
  get(findingIds: readonly string[]): Promise<Map<string, FindingState>>;
  /** Every state with `open: true`: the findings that can resolve by no longer being reported. */
  listOpen(): Promise<FindingState[]>;
  put(states: readonly FindingState[]): Promise<void>;
  /** Deletes these states (those migrated to a new id). */
  remove(findingIds: readonly string[]): Promise<void>;
  /**
   * Runs `work` (read the states, publish, record) while no other run of the notifier does, so two
   * overlapping runs (a burst of alarms, an alarm during the schedule) announce a finding once.
   * Absent where no other run can share the store (memory: the CLI, tests).
   */
  exclusively?<T>(work: () => Promise<T>): Promise<T>;
}
