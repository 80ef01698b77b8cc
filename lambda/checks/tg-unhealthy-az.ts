import type { CheckDefinition } from '../domain/check';
import type { CheckResult, Inventory, TargetGroupFacts } from '../domain/types';
import { ARTICLE } from './docs-links';
import {
  describeLoadBalancer,
  evaluateLoadBalancers,
  evaluateTargetGroups,
  type LoadBalancerPath,
  targetGroupResource,
} from './load-balancer-path';
import { couldNotRead, notApplicable, plural } from './results';
import { describeTargets, targetsByZone } from './targets-by-zone';

function evaluateTargetGroup(
  path: LoadBalancerPath,
  targetGroup: TargetGroupFacts,
  inventory: Inventory,
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
    return couldNotRead(
      resource,
      apis,
      `the target health of ${targetGroup.name}`,
      targetGroup.targets.error,
    );
  }
  const zones = loadBalancer.zones.map((zone) => zone.zoneName);
  const byZone = targetsByZone(zones, targetGroup.targets.value, inventory);
  const unhealthy = byZone.filter((zone) => zone.healthy.length === 0);
  const evidence = {
    loadBalancer: loadBalancer.name,
    healthyByZone: Object.fromEntries(byZone.map((zone) => [zone.zone, zone.healthy.length])),
    targets: targetGroup.targets.value.map((target) => ({ id: target.id, state: target.state })),
  };
  const where = `target group ${targetGroup.name} (${describeLoadBalancer(loadBalancer)})`;
  if (unhealthy.length === 0) {
    return {
      ...resource,
      status: 'PASS',
      apis,
      message: `${where} has a healthy target in every enabled zone (${zones.join(', ')})`,
      evidence,
    };
  }
  const details = unhealthy.map((zone) =>
    zone.registered.length === 0
      ? `${zone.zone} (no target registered)`
      : `${zone.zone} (${plural(zone.registered.length, 'target')} registered: ${describeTargets(zone.registered)})`,
  );
  return {
    ...resource,
    status: 'FAIL',
    apis,
    message: `${where} has no healthy target in ${details.join('; ')}`,
    evidence: { ...evidence, zonesWithoutHealthyTarget: unhealthy.map((zone) => zone.zone) },
  };
}

export const tgUnhealthyAz: CheckDefinition = {
  id: 'tg-unhealthy-az',
  title: 'Every enabled zone has a healthy target',
  group: 'high-frequency',
  severity: 'high',
  runsFor: ['high-frequency'],
  risk: 'A zone whose targets are all unhealthy (or unused, draining, initial) cannot serve the connections the load balancer sends it; API Gateway reports them as network errors.',
  remediation:
    'Find why the targets fail their health checks (the reason code is in the message) and fix them, or add healthy targets in that zone; only the state healthy serves traffic.',
  docs: [
    ARTICLE,
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-health-checks.html',
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html',
  ],
  evaluate: ({ inventory, stages }) =>
    evaluateLoadBalancers(stages, inventory, (path) =>
      evaluateTargetGroups(path, inventory, (targetGroup) => [
        evaluateTargetGroup(path, targetGroup, inventory),
      ]),
    ),
};
