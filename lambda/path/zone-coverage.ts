/** A target group's targets laid out over the zones its load balancer sends to, for the zone checks. */
import type { CheckResult, StageKey, TargetFacts } from '../domain/types';
import type { StagePath } from './build';
import { describeHop, type LoadBalancerPath, type TargetGroupHop, targetGroupResource } from './build';
import { effectiveCrossZone } from './cross-zone';
import { eachLoadBalancer, eachTargetGroup } from './query';
import { couldNotRead, notApplicable } from './resources';
import { targetsByZone, type ZoneTargets } from './targets';

export interface ZoneCoverage {
  path: LoadBalancerPath;
  hop: TargetGroupHop;
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
 * What the zone checks share: a Lambda target group has no zones (SKIPPED); unreadable targets, or
 * a target whose zone could not be read (DescribeInstances denied or throttled), are an ERROR
 * naming the action, never an empty zone; otherwise `judge` decides from the targets per zone.
 */
export function judgeZoneCoverage(
  path: LoadBalancerPath,
  hop: TargetGroupHop,
  whatIsRead: string,
  judge: (coverage: ZoneCoverage) => CheckResult,
): CheckResult {
  const { loadBalancer, apis } = path;
  const { targetGroup } = hop;
  const resource = targetGroupResource(targetGroup);
  if (targetGroup.targetType === 'lambda') {
    return notApplicable(
      resource,
      apis,
      `target group ${targetGroup.name} targets a Lambda function: it has no zones`,
    );
  }
  if (!hop.targets.ok) {
    return couldNotRead(resource, apis, `${whatIsRead} of ${targetGroup.name}`, hop.targets.error);
  }
  const unplaced = hop.targets.value.find((resolved) => resolved.zones.length === 0 && !resolved.host.ok);
  if (unplaced && !unplaced.host.ok) {
    const subject = `the zone of target ${unplaced.target.id} of ${targetGroup.name}`;
    return couldNotRead(resource, apis, subject, unplaced.host.error);
  }
  const zones = loadBalancer.zones.map((zone) => zone.zoneName);
  return judge({
    path,
    hop,
    resource,
    apis,
    zones,
    targets: hop.targets.value.map((resolved) => resolved.target),
    byZone: targetsByZone(zones, hop.targets.value),
    where: `target group ${targetGroup.name} (${describeHop(path)})`,
  });
}

/** Runs `judge` on every target group behind every load balancer of the paths; path problems come out as results. */
export function evaluateZoneCoverage(
  paths: readonly StagePath[],
  whatIsRead: string,
  judge: (coverage: ZoneCoverage) => CheckResult,
): CheckResult[] {
  return eachLoadBalancer(paths, (path) =>
    eachTargetGroup(path, (hop) => [judgeZoneCoverage(path, hop, whatIsRead, judge)]),
  );
}

/**
 * The one rule both zone checks follow: with cross-zone load balancing on, a zone that lacks
 * targets (or healthy ones) has its share served by the other zones, so it is a weakness (WARN),
 * not an outage, as long as at least one zone can serve. With it off, or when no zone can, FAIL.
 */
export function otherZonesServe(coverage: ZoneCoverage, servingZones: number): boolean {
  const crossZone = effectiveCrossZone(coverage.path.loadBalancer, coverage.hop.targetGroup);
  return crossZone.ok && crossZone.value.enabled && servingZones > 0;
}
