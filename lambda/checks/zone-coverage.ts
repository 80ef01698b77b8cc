import type {
  CheckResult,
  Inventory,
  StageInventory,
  StageKey,
  TargetFacts,
  TargetGroupFacts,
} from '../domain/types';
import { effectiveCrossZone } from './cross-zone';
import {
  describeHop,
  evaluateLoadBalancers,
  evaluateTargetGroups,
  type LoadBalancerPath,
  targetGroupResource,
} from './load-balancer-path';
import { couldNotRead, notApplicable } from './results';
import { targetsByZone, type ZoneTargets } from './targets-by-zone';

/** A target group's targets laid out over the zones enabled on its load balancer. */
export interface ZoneCoverage {
  path: LoadBalancerPath;
  targetGroup: TargetGroupFacts;
  resource: ReturnType<typeof targetGroupResource>;
  apis: StageKey[];
  zones: string[];
  /** Every registered target, whatever its zone. */
  targets: TargetFacts[];
  byZone: ZoneTargets[];
  /** `target group orders-tg (NLB orders-nlb)`, to start a message with. */
  where: string;
}

/**
 * What the zone checks share: a Lambda target group has no zones (SKIPPED), unreadable targets are
 * an ERROR naming the action; otherwise `judge` decides from the targets per zone.
 */
export function judgeZoneCoverage(
  path: LoadBalancerPath,
  targetGroup: TargetGroupFacts,
  inventory: Inventory,
  whatIsRead: string,
  judge: (coverage: ZoneCoverage) => CheckResult,
): CheckResult {
  const { loadBalancer, apis } = path;
  const resource = targetGroupResource(targetGroup);
  if (targetGroup.targetType === 'lambda') {
    return notApplicable(
      resource,
      apis,
      `target group ${targetGroup.name} targets a Lambda function: it has no zones`,
    );
  }
  if (!targetGroup.targets.ok) {
    return couldNotRead(resource, apis, `${whatIsRead} of ${targetGroup.name}`, targetGroup.targets.error);
  }
  const zones = loadBalancer.zones.map((zone) => zone.zoneName);
  return judge({
    path,
    targetGroup,
    resource,
    apis,
    zones,
    targets: targetGroup.targets.value,
    byZone: targetsByZone(zones, targetGroup, targetGroup.targets.value, inventory),
    where: `target group ${targetGroup.name} (${describeHop(path)})`,
  });
}

/** Runs `judge` on every target group behind every load balancer of the stages; path problems come out as results. */
export function evaluateZoneCoverage(
  stages: StageInventory[],
  inventory: Inventory,
  whatIsRead: string,
  judge: (coverage: ZoneCoverage) => CheckResult,
): CheckResult[] {
  return evaluateLoadBalancers(stages, inventory, (path) =>
    evaluateTargetGroups(path, inventory, (targetGroup) => [
      judgeZoneCoverage(path, targetGroup, inventory, whatIsRead, judge),
    ]),
  );
}

/**
 * The one rule both zone checks follow: with cross-zone load balancing on, a zone that lacks
 * targets (or healthy ones) has its share served by the other zones, so it is a weakness (WARN),
 * not an outage, as long as at least one zone can serve. With it off, or when no zone can, FAIL.
 */
export function otherZonesServe(
  path: LoadBalancerPath,
  targetGroup: TargetGroupFacts,
  servingZones: number,
): boolean {
  const crossZone = effectiveCrossZone(path.loadBalancer, targetGroup);
  return crossZone.ok && crossZone.value.enabled && servingZones > 0;
}
