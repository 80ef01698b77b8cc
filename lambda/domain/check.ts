import type { CheckResult, Classification, Inventory, Severity, StageInventory } from './types';

/** Which part of `checks.md` a check comes from; decides which classified stages it runs for. */
export type CheckGroup = 'low-frequency' | 'high-frequency' | 'beyond-the-article';

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
  /** The classifications whose stages this check runs for when the triage decides. */
  runsFor: readonly Classification[];
  /** What goes wrong for clients when this check fails. */
  risk: string;
  remediation: string;
  docs: readonly string[];
  evaluate(context: CheckContext): CheckResult[];
}
