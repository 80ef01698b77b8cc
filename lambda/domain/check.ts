import type { CheckResult, Classification, Inventory, Severity, StageInventory } from './types';

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

export interface CheckContext {
  inventory: Inventory;
  /** The stages this check is evaluated for (already filtered by classification by the engine). */
  stages: StageInventory[];
}

/**
 * One check of `checks.md`: its metadata next to a pure function over the inventory.
 * `evaluate` returns one result per (resource, status); the engine merges results for the same
 * resource into one finding that lists every stage it affects.
 */
export interface CheckDefinition {
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
  evaluate(context: CheckContext): CheckResult[];
}
