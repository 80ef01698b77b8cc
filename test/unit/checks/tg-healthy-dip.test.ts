import { DEREGISTRATION_DELAY_ATTRIBUTE, tgHealthyDip } from '../../../lambda/checks/tg-healthy-dip';
import { HEALTHY_HOSTS, HEALTHY_HOSTS_IN_ZONE } from '../../../lambda/domain/load-balancer-series';
import { collected, failed } from '../../../lambda/domain/types';
import {
  accessDenied,
  aTarget,
  NLB_ARN,
  nlbScenario,
  onlyResult,
  type ScenarioOverrides,
  TG_ARN,
} from '../../support/inventory-builders';
import {
  deniedSeries,
  failingInBurst,
  failingThroughout,
  type SeriesEntry,
  series,
  withSeries,
} from './error-minute-scenarios';

const address = { loadBalancerArn: NLB_ARN, targetGroupArn: TG_ARN };
/** HealthyHostCount of orders-tg and of its zones us-east-1a and us-east-1b (one target each). */
const health = (
  group: SeriesEntry['values'],
  zoneA: SeriesEntry['values'] = series({}, 1),
  zoneB: SeriesEntry['values'] = series({}, 1),
): SeriesEntry[] => [
  { spec: HEALTHY_HOSTS, address, values: group },
  { spec: HEALTHY_HOSTS_IN_ZONE, address: { ...address, zone: 'us-east-1a' }, values: zoneA },
  { spec: HEALTHY_HOSTS_IN_ZONE, address: { ...address, zone: 'us-east-1b' }, values: zoneB },
];
const dipIn = (entries: SeriesEntry[], overrides: ScenarioOverrides = {}) =>
  onlyResult(tgHealthyDip, withSeries(nlbScenario({ ...failingInBurst, ...overrides }).build(), entries));
/** Cross-zone off on the group, a 300 s deregistration delay, an HTTP health check every 10 s, healthy after 3. */
const drainingGroup: ScenarioOverrides = {
  targetGroup: {
    attributes: collected({
      'load_balancing.cross_zone.enabled': 'false',
      [DEREGISTRATION_DELAY_ATTRIBUTE]: '300',
    }),
    healthCheck: {
      protocol: 'HTTP',
      port: 'traffic-port',
      intervalSeconds: 10,
      healthyThreshold: 3,
      unhealthyThreshold: 2,
    },
  },
};

describe('tg-healthy-dip over the builders’ NLB path', () => {
  it('fails a zone that emptied in the error minutes with cross-zone off, with the timings that explain it', () => {
    const result = dipIn(health(series({ 5: 1 }, 2), series({ 5: 0 }, 1)), drainingGroup);
    expect(result).toMatchObject({ status: 'FAIL', resourceArn: TG_ARN });
    expect(result.message).toBe(
      'healthy targets of target group orders-tg (NLB orders-nlb) dipped while the stage failed: the whole group fell to 1 (from 2) at 11:25; zone us-east-1a fell to 0 (from 1) at 11:25; all 2 registered targets are healthy now: a deploy, scale-in or cut-over that took targets out faster than new ones turned healthy (deregistration delay 300 s; a new target is healthy after 3 HTTP checks 10 s apart (30 s); AWS documents that registration and deregistration each take a few minutes)',
    );
    expect(result.evidence).toMatchObject({
      crossZone: false,
      deregistrationDelaySeconds: 300,
      coincidedMinutes: ['2026-11-29T11:25:00.000Z'],
      healthyNow: 2,
      registeredNow: 2,
    });
  });

  it('fails when the whole group emptied, cross-zone or not, and says how many are healthy now', () => {
    const inventory = {
      targetGroup: {
        targets: collected([
          aTarget({ id: 'i-0a1' }),
          aTarget({ id: 'i-0b2', state: 'unhealthy', availabilityZone: 'us-east-1b' }),
        ]),
      },
    };
    const result = dipIn(health(series({ 6: 0 }, 2)), inventory);
    expect(result.status).toBe('FAIL');
    expect(result.message).toContain(
      'the whole group fell to 0 (from 2) at 11:30; 1 of 2 registered targets are healthy now (',
    );
    // No deregistration delay attribute and no health check settings: only AWS's own timing is said.
    expect(result.message).toMatch(/healthy now \(AWS documents that registration/);
    expect(result.evidence).toMatchObject({ deregistrationDelaySeconds: null, healthCheck: null });
  });

  it('warns of a dip that never reached zero', () => {
    const result = dipIn(health(series({ 5: 1, 6: 1 }, 2)));
    expect(result).toMatchObject({ status: 'WARN', severity: 'medium' });
    expect(result.message).not.toContain('cross-zone load balancing is on');
  });

  it('passes the healthy twin: healthy targets held steady in the error minutes', () => {
    const result = dipIn(health(series({}, 2)));
    expect(result.status).toBe('PASS');
    expect(result.message).toBe(
      "healthy targets of target group orders-tg (NLB orders-nlb) held steady in the stage's error minutes (11:25-11:30)",
    );
  });

  it('judges only the error minutes against the other periods: a dip elsewhere passes', () => {
    expect(dipIn(health(series({ 9: 0 }, 2), series({ 9: 0 }, 1))).status).toBe('PASS');
  });

  it('takes a zone without points in the error minutes for no dip', () => {
    const result = dipIn(
      health(
        series({}, 2),
        series({}, 1),
        series({}, 1).map((value, i) => (i === 5 || i === 6 ? null : value)),
      ),
    );
    expect(result.status).toBe('PASS');
  });

  it("measures a stage failing in every period against the window's peak", () => {
    const inventory = withSeries(nlbScenario(failingThroughout).build(), health(series({ 8: 1 }, 2)));
    const result = onlyResult(tgHealthyDip, inventory);
    expect(result.status).toBe('WARN');
    expect(result.message).toContain('the whole group fell to 1 (from 2) at 11:40');
  });

  it('skips, never passes, a group with no HealthyHostCount point in the window', () => {
    const none = series({}, null);
    expect(dipIn(health(none, none, none))).toMatchObject({ status: 'SKIPPED' });
  });

  it('reports ERROR, naming the group or zone, when a HealthyHostCount series is unreadable', () => {
    const group = dipIn(health(deniedSeries()));
    expect(group).toMatchObject({ status: 'ERROR', evidence: { action: 'cloudwatch:GetMetricData' } });
    expect(group.message).toContain('could not read HealthyHostCount of orders-tg:');
    const zone = dipIn(health(series({}, 2), series({}, 1), deniedSeries()));
    expect(zone.status).toBe('ERROR');
    expect(zone.message).toContain('could not read HealthyHostCount of orders-tg in us-east-1b');
  });

  it('reads no timing from unreadable attributes and counts no targets it could not read', () => {
    const result = dipIn(health(series({ 5: 0 }, 2)), {
      targetGroup: {
        attributes: failed(accessDenied('elasticloadbalancing:DescribeTargetGroupAttributes')),
        targets: failed(accessDenied('elasticloadbalancing:DescribeTargetHealth')),
      },
    });
    expect(result.status).toBe('FAIL');
    expect(result.evidence).toMatchObject({
      deregistrationDelaySeconds: null,
      crossZone: false,
      registeredNow: 0,
    });
    expect(result.message).toContain('0 of 0 registered targets are healthy now');
  });

  it('skips a Lambda target group: it has no zones', () => {
    const result = dipIn(health(series({ 5: 0 }, 2)), { targetGroup: { targetType: 'lambda' } });
    expect(result).toMatchObject({
      status: 'SKIPPED',
      message: 'target group orders-tg targets a Lambda function: it has no zones',
    });
  });
});
