/**
 * Runs the checks over one Region's inventory: selects the stages each check is for, guards each
 * check so that one that throws becomes an ERROR finding instead of stopping the others, and merges
 * results for the same (check, resource) into one finding listing every stage it affects.
 */

import type { CheckDefinition, CheckInputs } from '../checks/check-definition';
import { CHECKS } from '../checks/index';
import { stageKeyOf } from '../checks/results';
import type { NetworkFacts } from '../domain/check';
import { compareFindings } from '../domain/finding-order';
import type { CheckResult, Finding, Inventory, StageInventory, StageKey, Status } from '../domain/types';
import { pathsOf } from '../path/build';
import { findingId } from './finding-id';

export interface EvaluateOptions {
  /** Run every check for every audited stage, whatever its classification. */
  allChecks: boolean;
  /** @default CHECKS */
  checks?: readonly CheckDefinition[];
}

/** Worst first: the status a merged finding takes (could not read beats a warning). */
export const STATUS_ORDER: readonly Status[] = ['FAIL', 'ERROR', 'WARN', 'SKIPPED', 'PASS'];
const statusRank = (status: Status): number => STATUS_ORDER.indexOf(status);

export function selectStages(
  check: CheckDefinition,
  stages: readonly StageInventory[],
  allChecks: boolean,
): StageInventory[] {
  return allChecks
    ? [...stages]
    : stages.filter((stage) => check.runsFor.includes(stage.stage.classification));
}

/** The result a check that threw stands for: the check, not any one resource, could not be evaluated. */
function crashedCheck(
  check: CheckDefinition,
  inventory: Inventory,
  stages: StageInventory[],
  error: unknown,
): CheckResult {
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return {
    resourceArn: `arn:aws:apigateway:${inventory.region}::/`,
    resourceType: 'AWS::ApiGateway::Account',
    status: 'ERROR',
    apis: stages.map(stageKeyOf),
    message: `check ${check.id} failed while evaluating (${reason}); the other checks still ran`,
    evidence: { checkError: reason },
  };
}

const networkFacts = (inventory: Inventory): NetworkFacts => ({
  region: inventory.region,
  account: inventory.account,
  vpcLinks: inventory.vpcLinks,
  securityGroups: inventory.securityGroups,
  subnets: inventory.subnets,
  networkAclsBySubnet: inventory.networkAclsBySubnet,
  vpcs: inventory.vpcs,
  flowLogsByVpc: inventory.flowLogsByVpc,
  ...(inventory.prefixLists ? { prefixLists: inventory.prefixLists } : {}),
});

/** Only what the check declares it reads; the paths come from the inventory's one build. */
export function checkInputs(
  check: CheckDefinition,
  inventory: Inventory,
  stages: StageInventory[],
): Partial<CheckInputs> {
  const inputs: Partial<CheckInputs> = {};
  if (check.reads.includes('stages')) inputs.stages = stages;
  if (check.reads.includes('allStages')) inputs.allStages = inventory.stages;
  if (check.reads.includes('paths')) inputs.paths = pathsOf(stages, inventory);
  if (check.reads.includes('network')) inputs.network = networkFacts(inventory);
  if (check.reads.includes('inventory')) inputs.inventory = inventory;
  if (check.reads.includes('certificates')) inputs.certificates = inventory.certificates ?? {};
  return inputs;
}

export function runCheckGuarded(
  check: CheckDefinition,
  inventory: Inventory,
  stages: StageInventory[],
): CheckResult[] {
  try {
    return check.evaluate(checkInputs(check, inventory, stages) as CheckInputs);
  } catch (error) {
    return [crashedCheck(check, inventory, stages, error)];
  }
}

const apiKey = (api: { apiId: string; stage: string }): string => `${api.apiId}\u0000${api.stage}`;

function mergeApis(...lists: { apiId: string; stage: string }[][]): { apiId: string; stage: string }[] {
  const unique = new Map(lists.flat().map((api) => [apiKey(api), { apiId: api.apiId, stage: api.stage }]));
  return [...unique.values()].sort(
    (a, b) => a.apiId.localeCompare(b.apiId) || a.stage.localeCompare(b.stage),
  );
}

function toFinding(
  check: CheckDefinition,
  { region, account }: Pick<Inventory, 'region' | 'account'>,
  result: CheckResult,
): Finding {
  return {
    id: findingId(check.id, result.resourceArn, account, region),
    checkId: check.id,
    status: result.status,
    severity: result.severity ?? check.severity,
    region,
    resourceType: result.resourceType,
    resourceArn: result.resourceArn,
    apis: mergeApis(result.apis.map((api: StageKey) => ({ apiId: api.apiId, stage: api.stage }))),
    title: check.title,
    message: result.message,
    remediation: check.remediation,
    docs: [...check.docs],
    evidence: result.evidence ?? {},
  };
}

/** Merges two findings of one (check, resource): the worse status (and its message) wins, stages are united. */
export function mergeFindings(kept: Finding, next: Finding): Finding {
  const worse = statusRank(next.status) < statusRank(kept.status) ? next : kept;
  return { ...worse, apis: mergeApis(kept.apis, next.apis) };
}

export function evaluateChecks(inventory: Inventory, options: EvaluateOptions): Finding[] {
  const merged = new Map<string, Finding>();
  for (const check of options.checks ?? CHECKS) {
    const stages = selectStages(check, inventory.stages, options.allChecks);
    if (stages.length === 0) continue;
    for (const result of runCheckGuarded(check, inventory, stages)) {
      const finding = toFinding(check, inventory, result);
      const kept = merged.get(finding.id);
      merged.set(finding.id, kept ? mergeFindings(kept, finding) : finding);
    }
  }
  return [...merged.values()].sort(compareFindings);
}
