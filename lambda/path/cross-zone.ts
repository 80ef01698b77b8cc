/** The cross-zone load balancing setting that applies to one target group. */
import type { Collected, LoadBalancerFacts, TargetGroupFacts } from '../domain/types';

export const CROSS_ZONE_ATTRIBUTE = 'load_balancing.cross_zone.enabled';

export interface CrossZoneSetting {
  enabled: boolean;
  source: 'target group attribute' | 'load balancer attribute' | 'load balancer default';
}

export function effectiveCrossZone(
  loadBalancer: LoadBalancerFacts,
  targetGroup: TargetGroupFacts,
): Collected<CrossZoneSetting> {
  if (!targetGroup.attributes.ok) return targetGroup.attributes;
  const own = targetGroup.attributes.value[CROSS_ZONE_ATTRIBUTE];
  if (own === 'true' || own === 'false') {
    return { ok: true, value: { enabled: own === 'true', source: 'target group attribute' } };
  }
  // ALBs always balance across zones at the load balancer level.
  if (loadBalancer.type === 'application') {
    return { ok: true, value: { enabled: true, source: 'load balancer default' } };
  }
  if (!loadBalancer.attributes.ok) return loadBalancer.attributes;
  const inherited = loadBalancer.attributes.value[CROSS_ZONE_ATTRIBUTE];
  if (inherited === 'true' || inherited === 'false') {
    return { ok: true, value: { enabled: inherited === 'true', source: 'load balancer attribute' } };
  }
  return { ok: true, value: { enabled: false, source: 'load balancer default' } };
}
