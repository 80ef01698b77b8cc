/**
 * How checks read the built paths: every load balancer and target group on them, with the path's
 * problems first, so a check never walks and never passes what could not be followed.
 */
import type {
  CheckResult,
  Inventory,
  LoadBalancerFacts,
  StageInventory,
  TargetGroupFacts,
} from '../domain/types';
import {
  describeLoadBalancer,
  type LoadBalancerPath,
  loadBalancerResource,
  pathsOf,
  type StagePath,
  type TargetGroupHop,
} from './build';
import { notApplicable } from './resources';

/** Runs `judge` for every load balancer on the paths; the paths' problems come out as results. */
export function eachLoadBalancer(
  paths: readonly StagePath[],
  judge: (path: LoadBalancerPath) => CheckResult[],
): CheckResult[] {
  return paths.flatMap((path) => [...path.problems, ...path.loadBalancers.flatMap(judge)]);
}

/** Runs `judge` only for load balancers of `type`; the others get SKIPPED with the reason. */
export function eachLoadBalancerOfType(
  paths: readonly StagePath[],
  type: LoadBalancerFacts['type'],
  judge: (path: LoadBalancerPath) => CheckResult[],
): CheckResult[] {
  const wanted = type === 'network' ? 'network load balancers (NLB)' : 'application load balancers (ALB)';
  return eachLoadBalancer(paths, (path) =>
    path.loadBalancer.type === type
      ? judge(path)
      : [
          notApplicable(
            loadBalancerResource(path.loadBalancer),
            path.apis,
            `${describeLoadBalancer(path.loadBalancer)} is a ${path.loadBalancer.type} load balancer: this check applies to ${wanted} only`,
          ),
        ],
  );
}

/**
 * Runs `judge` for every target group the load balancer forwards the traffic to. A FAIL on a group
 * the traffic only may reach (a rule the client decides stands before it) is a WARN that says so:
 * what the tool cannot know is never a FAIL on its own.
 */
export function eachTargetGroup(
  path: LoadBalancerPath,
  judge: (hop: TargetGroupHop) => CheckResult[],
): CheckResult[] {
  return [
    ...path.targetGroupProblems,
    ...path.targetGroups.flatMap((hop) => judge(hop).map((result) => mayReach(hop, result))),
  ];
}

export function mayReach(hop: TargetGroupHop, result: CheckResult): CheckResult {
  if (hop.certainty === 'reaches' || result.status !== 'FAIL') return result;
  return {
    ...result,
    status: 'WARN',
    severity: 'medium',
    message: `${result.message}; the traffic may not reach target group ${hop.targetGroup.name}: ${hop.because ?? 'a listener rule the client decides stands before it'}`,
    evidence: { ...result.evidence, explanation: 'RULE_MAY_MATCH' },
  };
}

/*
 * For checks that still take the whole inventory (`reads: ['stages', 'inventory']`): the same
 * queries, answered from the inventory's one build of the paths, never a new walk.
 */
export { describeHop, type LoadBalancerPath, loadBalancerResource, targetGroupResource } from './build';

export const evaluateLoadBalancers = (
  stages: readonly StageInventory[],
  inventory: Inventory,
  judge: (path: LoadBalancerPath) => CheckResult[],
): CheckResult[] => eachLoadBalancer(pathsOf(stages, inventory), judge);

export const evaluateTargetGroups = (
  path: LoadBalancerPath,
  _inventory: Inventory,
  judge: (targetGroup: TargetGroupFacts) => CheckResult[],
): CheckResult[] => eachTargetGroup(path, (hop) => judge(hop.targetGroup));

export function followStageToLoadBalancers(stage: StageInventory, inventory: Inventory) {
  const paths = pathsOf([stage], inventory);
  return {
    reached: paths.flatMap((path) => path.loadBalancers),
    problems: paths.flatMap((path) => path.problems),
    vanished: paths.flatMap((path) => path.vanished),
  };
}

export const followToTargetGroups = (path: LoadBalancerPath, _inventory: Inventory) => ({
  reached: path.targetGroups.map((hop) => hop.targetGroup),
  problems: path.targetGroupProblems,
});
