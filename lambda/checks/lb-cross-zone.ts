import type { CheckResult } from '../domain/types';
import {
  describeLoadBalancer,
  type LoadBalancerPath,
  loadBalancerResource,
  type TargetGroupHop,
  targetGroupResource,
} from '../path/build';
import { effectiveCrossZone } from '../path/cross-zone';
import { eachLoadBalancer, eachTargetGroup } from '../path/query';
import { judgeZoneCoverage } from '../path/zone-coverage';
import type { CheckDefinition } from './check-definition';
import { ARTICLE } from './docs-links';
import { couldNotRead, failedCheck, notApplicable, passed, warned } from './results';

/**
 * Off is harmful only where a zone that receives traffic (every zone enabled on the load balancer
 * gets its share) has no healthy target of the group: then FAIL naming the zones. With every zone
 * serving, off is advice (WARN, info).
 */
function evaluateTargetGroup(path: LoadBalancerPath, hop: TargetGroupHop): CheckResult {
  const { loadBalancer, apis } = path;
  const { targetGroup } = hop;
  const resource = targetGroupResource(targetGroup);
  if (targetGroup.targetType === 'alb') {
    return notApplicable(
      resource,
      apis,
      `target group ${targetGroup.name} forwards to an ALB, which has nodes in every zone it is enabled in: each NLB node reaches it in its own zone`,
    );
  }
  const setting = effectiveCrossZone(loadBalancer, targetGroup);
  if (!setting.ok) {
    return couldNotRead(
      resource,
      apis,
      `the cross-zone setting of target group ${targetGroup.name}`,
      setting.error,
    );
  }
  const zones = loadBalancer.zones.map((zone) => zone.zoneName);
  const evidence = { ...setting.value, loadBalancer: loadBalancer.name, zones };
  const where = `target group ${targetGroup.name} of ${describeLoadBalancer(loadBalancer)}`;
  if (setting.value.enabled) {
    return passed(
      resource,
      apis,
      `cross-zone load balancing is on for ${where} (${setting.value.source})`,
      evidence,
    );
  }
  return judgeZoneCoverage(path, hop, 'the target health', ({ byZone }) => {
    const unserved = byZone.filter((zone) => zone.healthy.length === 0).map((zone) => zone.zone);
    const healthyByZone = Object.fromEntries(byZone.map((zone) => [zone.zone, zone.healthy.length]));
    const withZones = { ...evidence, healthyByZone, zonesWithoutHealthyTarget: unserved };
    const off = `cross-zone load balancing is off for ${where} (${setting.value.source})`;
    if (unserved.length === 0) {
      return warned(
        resource,
        apis,
        `${off}, but every zone it sends to (${zones.join(', ')}) has a healthy target, so each zone serves its own share; turning it on would spread a zone's share if its targets fail`,
        withZones,
        'info',
      );
    }
    return failedCheck(
      resource,
      apis,
      `${off}: the load balancer's nodes in ${unserved.join(', ')} receive their share of connections and have no healthy target of their own zone to send them to`,
      withZones,
    );
  });
}

function evaluatePath(path: LoadBalancerPath): CheckResult[] {
  if (path.loadBalancer.type === 'gateway') {
    return [
      notApplicable(
        loadBalancerResource(path.loadBalancer),
        path.apis,
        `${describeLoadBalancer(path.loadBalancer)} is a gateway load balancer`,
      ),
    ];
  }
  return eachTargetGroup(path, (hop) => [evaluateTargetGroup(path, hop)]);
}

export const lbCrossZone: CheckDefinition<'paths'> = {
  id: 'lb-cross-zone',
  title: 'Load balancer balances across Availability Zones',
  group: 'high-frequency',
  severity: 'medium',
  role: 'condition',
  runsFor: ['high-frequency'],
  risk: 'Without cross-zone load balancing, each zone of the load balancer sends its share of requests only to its own targets: a zone with few or failing targets fails its share.',
  remediation:
    'Set load_balancing.cross_zone.enabled to true on the target group (or on the NLB, with the target group left at use_load_balancer_configuration).',
  docs: [
    ARTICLE,
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/how-elastic-load-balancing-works.html#cross-zone-load-balancing',
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-cross-zone.html',
  ],
  reads: ['paths'],
  evaluate: ({ paths }) => eachLoadBalancer(paths, evaluatePath),
};
