/** The thin adapter the target group configuration advice shares: every target group on each stage's path. */
import type {
  CheckResult,
  CollectionError,
  Inventory,
  StageInventory,
  TargetGroupFacts,
} from '../domain/types';
import {
  describeHop,
  evaluateLoadBalancers,
  evaluateTargetGroups,
  type LoadBalancerPath,
  targetGroupResource,
} from '../path/query';
import type { Judgement } from './error-minutes';
import { couldNotRead } from './results';

/** `judge` returns a judgement, or the error that kept it from reading what it needs (ERROR). */
export function evaluateTargetGroupAdvice(
  stages: readonly StageInventory[],
  inventory: Inventory,
  whatIsRead: string,
  judge: (where: string, group: TargetGroupFacts, path: LoadBalancerPath) => Judgement | CollectionError,
): CheckResult[] {
  return evaluateLoadBalancers(stages, inventory, (path) =>
    evaluateTargetGroups(path, inventory, (group) => {
      const resource = targetGroupResource(group);
      const where = `target group ${group.name} (${describeHop(path)})`;
      const judgement = judge(where, group, path);
      if ('action' in judgement)
        return [couldNotRead(resource, path.apis, `${whatIsRead} of ${where}`, judgement)];
      return [{ ...resource, apis: path.apis, ...judgement }];
    }),
  );
}

/** SKIPPED: DescribeTargetGroups gave no health check settings (a Lambda target group without them). */
export const NO_HEALTH_CHECK = (where: string): Judgement => ({
  status: 'SKIPPED',
  message: `${where} has no health check settings to judge`,
});
