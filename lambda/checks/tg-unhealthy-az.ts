import type { CheckResult } from '../domain/types';
import { describeTargets } from '../path/targets';
import { evaluateZoneCoverage, otherZonesServe, type ZoneCoverage } from '../path/zone-coverage';
import type { CheckDefinition } from './check-definition';
import { ARTICLE } from './docs-links';
import { failedCheck, passed, plural, warned } from './results';

/** FAIL when an enabled zone has no healthy target. */
function judgeUnhealthyZones(coverage: ZoneCoverage): CheckResult {
  const { path, resource, apis, zones, targets, byZone, where } = coverage;
  const unhealthy = byZone.filter((zone) => zone.healthy.length === 0);
  const evidence = {
    loadBalancer: path.loadBalancer.name,
    healthyByZone: Object.fromEntries(byZone.map((zone) => [zone.zone, zone.healthy.length])),
    targets: targets.map((target) => ({ id: target.id, state: target.state })),
  };
  if (unhealthy.length === 0) {
    return passed(
      resource,
      apis,
      `${where} has a healthy target in every enabled zone (${zones.join(', ')})`,
      evidence,
    );
  }
  const details = unhealthy.map((zone) =>
    zone.registered.length === 0
      ? `${zone.zone} (no target registered)`
      : `${zone.zone} (${plural(zone.registered.length, 'target')} registered: ${describeTargets(zone.registered)})`,
  );
  const message = `${where} has no healthy target in ${details.join('; ')}`;
  const failed = { ...evidence, zonesWithoutHealthyTarget: unhealthy.map((zone) => zone.zone) };
  if (otherZonesServe(coverage, byZone.length - unhealthy.length)) {
    return warned(
      resource,
      apis,
      `${message}; cross-zone load balancing is on, so the healthy targets of other zones serve its share`,
      failed,
      'low',
    );
  }
  return failedCheck(resource, apis, message, failed);
}

export const tgUnhealthyAz: CheckDefinition<'paths'> = {
  id: 'tg-unhealthy-az',
  title: 'Every enabled zone has a healthy target',
  group: 'high-frequency',
  severity: 'high',
  role: 'cause',
  runsFor: ['high-frequency'],
  risk: 'A zone whose targets are all unhealthy (or unused, draining, initial) cannot serve the connections the load balancer sends it; API Gateway reports them as network errors.',
  remediation:
    'Find why the targets fail their health checks (the reason code is in the message) and fix them, or add healthy targets in that zone; only the state healthy serves traffic.',
  docs: [
    ARTICLE,
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-health-checks.html',
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html',
  ],
  reads: ['paths'],
  evaluate: ({ paths }) => evaluateZoneCoverage(paths, 'the target health', judgeUnhealthyZones),
};
