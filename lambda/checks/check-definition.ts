/** A check's contract: its metadata and what it reads (the path model's StagePath among them). */
import type { CheckGroup, CheckRole, NetworkFacts } from '../domain/check';
import type {
  CertificateFacts,
  CheckResult,
  Classification,
  Collected,
  Inventory,
  Severity,
  StageInventory,
} from '../domain/types';
import type { StagePath } from '../path/build';

/** Everything a check may read; each check declares the part it reads and receives only that. */
export interface CheckInputs {
  /** The stages the check runs for (already filtered by classification by the engine). */
  stages: StageInventory[];
  /** Every audited stage of the Region, whatever the check runs for (to tell apart stages sharing a log group). */
  allStages: StageInventory[];
  /** Those stages' paths, built once by the path model. */
  paths: StagePath[];
  network: NetworkFacts;
  /** The whole inventory, for checks that read metric series or certificates beside the paths. */
  inventory: Inventory;
  /** The ACM certificates of the listeners on the paths, by ARN (empty when none was read). */
  certificates: Record<string, Collected<CertificateFacts>>;
}

export type CheckInput = keyof CheckInputs;

/**
 * One check of `checks.md`: its metadata next to a pure function over what it declares it reads.
 * `evaluate` returns one result per (resource, status); the engine merges results for the same
 * resource into one finding that lists every stage it affects.
 */
export interface CheckDefinition<Reads extends CheckInput = CheckInput> {
  id: string;
  title: string;
  group: CheckGroup;
  severity: Severity;
  /** What a failure of this check means for the verdict: only `cause` and `condition` can explain errors. */
  role: CheckRole;
  /** The classifications whose stages this check runs for when the triage decides. */
  runsFor: readonly Classification[];
  /** What goes wrong for clients when this check fails. */
  risk: string;
  remediation: string;
  docs: readonly string[];
  /** The inputs `evaluate` receives: nothing else reaches it. */
  reads: readonly Reads[];
  evaluate(input: Pick<CheckInputs, Reads>): CheckResult[];
}
