/** Groups a target group's targets by the load balancer's enabled zones. */
import type { Inventory, TargetFacts, TargetGroupFacts } from '../domain/types';
import { targetZones } from './load-balancer-path';

export interface ZoneTargets {
  zone: string;
  registered: TargetFacts[];
  healthy: TargetFacts[];
}

/** Targets in zone `all` (IP targets outside the VPC) serve every zone. */
export function targetsByZone(
  zones: readonly string[],
  targetGroup: TargetGroupFacts,
  targets: readonly TargetFacts[],
  inventory: Inventory,
): ZoneTargets[] {
  return zones.map((zone) => {
    const registered = targets.filter((target) => {
      const where = targetZones(target, targetGroup, inventory);
      return where.includes(zone) || where.includes('all');
    });
    return { zone, registered, healthy: registered.filter((target) => target.state === 'healthy') };
  });
}

export const describeTargets = (targets: readonly TargetFacts[]): string =>
  targets
    .map((target) => `${target.id} ${target.state}${target.reason ? ` (${target.reason})` : ''}`)
    .join(', ');
