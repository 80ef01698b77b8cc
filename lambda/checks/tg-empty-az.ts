import type { CheckResult } from '../domain/types';
import { evaluateZoneCoverage, otherZonesServe, type ZoneCoverage } from '../path/zone-coverage';
import type { CheckDefinition } from './check-definition';
import { ARTICLE } from './docs-links';
import { failedCheck, passed, plural, warned } from './results';

/** FAIL when an enabled zone has no registered target (WARN when cross-zone load balancing covers it). */
function judgeEmptyZones(coverage: ZoneCoverage): CheckResult {
  const { path, resource, apis, zones, targets, byZone, where } = coverage;
  const empty = byZone.filter((zone) => zone.registered.length === 0).map((zone) => zone.zone);
  const evidence = {
    loadBalancer: path.loadBalancer.name,
    registeredByZone: Object.fromEntries(byZone.map((zone) => [zone.zone, zone.registered.map((t) => t.id)])),
    emptyZones: empty,
  };
  if (empty.length === 0) {
    return passed(
      resource,
      apis,
      `${where} has registered targets in every enabled zone (${zones.join(', ')})`,
      evidence,
    );
  }
  const message = `${where} has no registered target in ${empty.join(', ')} (${plural(targets.length, 'target')} registered across ${zones.join(', ')})`;
  if (otherZonesServe(coverage, byZone.length - empty.length)) {
    return warned(
      resource,
      apis,
      `${message}; cross-zone load balancing is on, so other zones serve its share`,
      evidence,
      'low',
    );
  }
  return failedCheck(resource, apis, message, evidence);
}

export const tgEmptyAz: CheckDefinition<'paths'> = {
  id: 'tg-empty-az',
  title: 'Every enabled zone has a registered target',
  group: 'high-frequency',
  severity: 'high',
  role: 'cause',
  runsFor: ['high-frequency'],
  risk: 'A zone enabled on the load balancer with no registered target receives its share of connections and has nowhere to send them: those requests fail.',
  remediation:
    'Register at least one target in every zone enabled on the load balancer, or remove the zone from the load balancer (or turn on cross-zone load balancing).',
  docs: [
    ARTICLE,
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/network-load-balancers.html#availability-zones',
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-register-targets.html',
  ],
  reads: ['paths'],
  evaluate: ({ paths }) => evaluateZoneCoverage(paths, 'the targets', judgeEmptyZones),
};
