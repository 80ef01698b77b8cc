import type { CheckDefinition } from '../domain/check';
import type { CheckResult, Inventory, TargetGroupFacts } from '../domain/types';
import { effectiveCrossZone } from './cross-zone';
import { ARTICLE } from './docs-links';
import {
  describeLoadBalancer,
  evaluateLoadBalancers,
  evaluateTargetGroups,
  type LoadBalancerPath,
  loadBalancerResource,
  targetGroupResource,
} from './load-balancer-path';
import { couldNotRead, notApplicable } from './results';

function evaluateTargetGroup(path: LoadBalancerPath, targetGroup: TargetGroupFacts): CheckResult {
  const { loadBalancer, apis } = path;
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
    return {
      ...resource,
      status: 'PASS',
      apis,
      message: `cross-zone load balancing is on for ${where} (${setting.value.source})`,
      evidence,
    };
  }
  return {
    ...resource,
    status: 'FAIL',
    apis,
    message: `cross-zone load balancing is off for ${where} (${setting.value.source}): each of ${zones.join(', ')} serves only its own targets`,
    evidence,
  };
}

function evaluatePath(path: LoadBalancerPath, inventory: Inventory): CheckResult[] {
  if (path.loadBalancer.type === 'gateway') {
    return [
      notApplicable(
        loadBalancerResource(path.loadBalancer),
        path.apis,
        `${describeLoadBalancer(path.loadBalancer)} is a gateway load balancer`,
      ),
    ];
  }
  return evaluateTargetGroups(path, inventory, (targetGroup) => [evaluateTargetGroup(path, targetGroup)]);
}

export const lbCrossZone: CheckDefinition = {
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
  evaluate: ({ inventory, stages }) =>
    evaluateLoadBalancers(stages, inventory, (path) => evaluatePath(path, inventory)),
};
