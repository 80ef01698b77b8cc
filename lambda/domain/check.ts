import type { StagePath } from '../path/build';
import type {
  CertificateFacts,
  CheckResult,
  Classification,
  Collected,
  Inventory,
  Severity,
  StageInventory,
} from './types';

/** Which part of `checks.md` a check comes from; decides which classified stages it runs for. */
export type CheckGroup = 'low-frequency' | 'high-frequency' | 'beyond-the-article';

/**
 * What a failing result of the check means for a stage's verdict (lambda/verdict/):
 * `cause` stops traffic (nothing reaches a target, a deleted hop, a blocked port, no serving target in
 * a zone that receives traffic, a timeout below the latency, drift to a broken path); `condition`
 * makes failures likelier or worse (cross-zone off, target resets); `evidence` tells this error from
 * other 5xx without being a cause; `observability` makes diagnosis harder and is never the cause;
 * `advice` is guidance for a stage whose errors are transient.
 */
export const CHECK_ROLES = ['cause', 'condition', 'evidence', 'observability', 'advice'] as const;
export type CheckRole = (typeof CHECK_ROLES)[number];

/** The facts about a Region's network that checks look up (security groups, subnets, ACLs, flow logs...). */
export type NetworkFacts = Pick<
  Inventory,
  | 'region'
  | 'account'
  | 'vpcLinks'
  | 'securityGroups'
  | 'subnets'
  | 'networkAclsBySubnet'
  | 'vpcs'
  | 'flowLogsByVpc'
  | 'prefixLists'
>;

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
