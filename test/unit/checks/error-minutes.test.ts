import { type ErrorWindow, errorWindowOf } from '../../../lambda/checks/error-minutes';
import { judgeLatencyAtTimeout } from '../../../lambda/checks/latency-at-timeout';
import { judgeCertificateExpiry } from '../../../lambda/checks/listener-certificate-expiry';
import { judgeResetsCoincide } from '../../../lambda/checks/target-resets-coincide';
import { judgeTargetsAnswered5xx } from '../../../lambda/checks/targets-answered-5xx';
import { judgeFailedOpen } from '../../../lambda/checks/tg-failed-open';
import { judgeHealthyDip } from '../../../lambda/checks/tg-healthy-dip';
import { loadBalancerSeriesRequests, targetGroupMetricDimension } from '../../../lambda/collect/path-metrics';
import { describePeriods, errorPeriodIndices } from '../../../lambda/domain/load-balancer-series';
import { collected } from '../../../lambda/domain/types';
import { errorMinutesOf } from '../../../lambda/triage/classify-stage';
import { aStageInventory, aTargetGroup } from '../../support/inventory-builders';

const WINDOW = { start: '2026-12-05T10:00:00.000Z', end: '2026-12-05T11:00:00.000Z', periodSeconds: 300 };
/** Errors in the periods starting 10:25 and 10:30. */
const BURST: ErrorWindow = {
  window: WINDOW,
  periods: [5, 6],
  errors: new Map([
    [5, 400],
    [6, 300],
  ]),
};
const series = (values: Record<number, number>, otherwise: number | null = 0): (number | null)[] =>
  Array.from({ length: 12 }, (_, i) => values[i] ?? otherwise);

describe('error minutes', () => {
  it("turns a stage's per-period 5xx into the starts of the periods that had them, and back", () => {
    const minutes = errorMinutesOf([0, 0, 0, 0, 0, 400, 300, 0, 0, 0, 0, 0], WINDOW);
    expect(minutes).toEqual([
      { at: '2026-12-05T10:25:00.000Z', errors5xx: 400 },
      { at: '2026-12-05T10:30:00.000Z', errors5xx: 300 },
    ]);
    expect(
      errorPeriodIndices(WINDOW, [...minutes, { at: '2026-12-05T11:00:00.000Z', errors5xx: 1 }]),
    ).toEqual([5, 6]);
    expect(describePeriods(WINDOW, [5, 6, 9])).toBe('10:25-10:30, 10:45');
  });

  it("keeps each period's own count when a minute falls outside the window", () => {
    const stage = aStageInventory();
    stage.stage.errorMinutes = [
      { at: '2026-12-05T09:55:00.000Z', errors5xx: 5 },
      { at: '2026-12-05T10:25:00.000Z', errors5xx: 400 },
      { at: '2026-12-05T10:30:00.000Z', errors5xx: 300 },
    ];
    expect(errorWindowOf(stage, WINDOW)).toEqual(BURST);
    // Twin: the same minutes, all inside the window.
    stage.stage.errorMinutes = stage.stage.errorMinutes.slice(1);
    expect(errorWindowOf(stage, WINDOW)).toEqual(BURST);
  });

  it('reads health per target group and per zone, and ALB status codes, under the documented dimensions', () => {
    const lb = {
      arn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/shop/abc',
      name: 'shop',
      type: 'application' as const,
      dnsName: 'shop-1.us-east-1.elb.amazonaws.com',
      vpcId: 'vpc-1',
      zones: [
        { zoneName: 'us-east-1a', subnetId: 'subnet-a' },
        { zoneName: 'us-east-1b', subnetId: 'subnet-b' },
      ],
      securityGroupIds: [],
    };
    const groupArn = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/def';
    const group = aTargetGroup({ arn: groupArn, loadBalancerArns: [lb.arn] });
    const requests = loadBalancerSeriesRequests([lb], { [groupArn]: collected(group) });
    expect(targetGroupMetricDimension(groupArn)).toBe('targetgroup/web/def');
    expect(requests.filter((r) => r.metricName === 'HealthyHostCount').map((r) => r.dimensions)).toEqual([
      { LoadBalancer: 'app/shop/abc', TargetGroup: 'targetgroup/web/def' },
      { LoadBalancer: 'app/shop/abc', TargetGroup: 'targetgroup/web/def', AvailabilityZone: 'us-east-1a' },
      { LoadBalancer: 'app/shop/abc', TargetGroup: 'targetgroup/web/def', AvailabilityZone: 'us-east-1b' },
    ]);
    expect(requests.find((r) => r.metricName === 'HTTPCode_Target_5XX_Count')).toMatchObject({
      namespace: 'AWS/ApplicationELB',
      stat: 'Sum',
    });
    expect(requests.find((r) => r.metricName === 'HTTPCode_ELB_502_Count')?.dimensions).toEqual({
      LoadBalancer: 'app/shop/abc',
    });
    // A group of another load balancer is not read under this one.
    expect(
      loadBalancerSeriesRequests([lb], { x: collected(aTargetGroup({ loadBalancerArns: ['other'] })) }).some(
        (r) => r.dimensions.TargetGroup,
      ),
    ).toBe(false);
  });
});

describe('judging what coincided', () => {
  const dipInput = {
    where: 'target group web',
    errorWindow: BURST,
    group: { values: series({ 5: 1, 6: 1 }, 2) },
    zones: [
      { zone: 'us-east-1a', values: series({ 5: 0, 6: 0 }, 1) },
      { zone: 'us-east-1b', values: series({}, 1) },
    ],
    registeredNow: 2,
    healthyNow: 2,
    crossZone: true,
    deregistrationDelaySeconds: 300,
  };

  it('softens a zone that emptied to a WARN when cross-zone load balancing served its share', () => {
    const judgement = judgeHealthyDip(dipInput);
    expect(judgement.status).toBe('WARN');
    expect(judgement.message).toContain('zone us-east-1a fell to 0 (from 1) at 10:25-10:30');
    expect(judgement.message).toContain('other zones served that share');
    expect(judgeHealthyDip({ ...dipInput, crossZone: false }).status).toBe('FAIL');
  });

  it('skips, never passes, a group without HealthyHostCount data', () => {
    const empty = { values: series({}, null) };
    expect(
      judgeHealthyDip({ ...dipInput, group: empty, zones: [{ ...empty, zone: 'us-east-1a' }] }).status,
    ).toBe('SKIPPED');
    expect(
      judgeFailedOpen({
        where: 'g',
        errorWindow: BURST,
        healthy: series({}, null),
        unhealthy: series({}, null),
      }).status,
    ).toBe('SKIPPED');
  });

  it('calls resets as frequent outside the error minutes a steady level (WARN), not the cause', () => {
    const judgement = judgeResetsCoincide({
      where: 'NLB orders',
      errorWindow: BURST,
      series: [{ metricName: 'TCP_Target_Reset_Count', values: series({}, 5) }],
    });
    expect(judgement.status).toBe('WARN');
    expect(judgement.message).toContain('10 TCP_Target_Reset_Count at 10:25-10:30');
  });

  it('says the targets answered part of the errors when their 5xx fall short of the stage’s', () => {
    const judgement = judgeTargetsAnswered5xx({
      where: 'ALB web',
      errorWindow: BURST,
      target5xx: series({ 5: 100 }),
      elb5xx: series({ 5: 300, 6: 300 }),
    });
    expect(judgement).toMatchObject({ status: 'WARN', severity: 'medium' });
    expect(judgement.evidence).toMatchObject({
      notNetworkCause: false,
      answeredShare: 0.14,
      elb5xxInErrorMinutes: 600,
    });
  });

  it('warns rather than fails when integrations with different timeouts share the stage-wide latency', () => {
    const input = {
      where: 'shop/prod',
      errorWindow: BURST,
      latencyMs: series({ 6: 9500 }, 100),
      timeoutsMs: [10_000, 29_000],
    };
    expect(judgeLatencyAtTimeout(input).status).toBe('WARN');
    expect(judgeLatencyAtTimeout({ ...input, timeoutsMs: [10_000] }).status).toBe('FAIL');
  });

  it('warns of a certificate that expired without coinciding with errors, or expires within 30 days', () => {
    const certificate = {
      arn: 'arn:aws:acm:us-east-1:1:certificate/x',
      domainName: 'shop.example.com',
      status: 'ISSUED',
    };
    const judge = (notAfter: string, errorWindow: ErrorWindow | null = BURST) =>
      judgeCertificateExpiry({
        where: 'listener HTTPS:443',
        certificate: { ...certificate, notAfter },
        now: WINDOW.end,
        errorWindow,
      });
    // Expired at 10:40, after the burst (10:25-10:35): not what failed then.
    expect(judge('2026-12-05T10:40:00.000Z')).toMatchObject({ status: 'WARN', severity: 'high' });
    expect(judge('2026-12-05T10:20:00.000Z').status).toBe('FAIL');
    expect(judge('2026-12-05T10:20:00.000Z', null)).toMatchObject({ status: 'WARN', severity: 'high' });
    expect(judge('2026-12-20T11:00:00.000Z')).toMatchObject({ status: 'WARN', severity: 'low' });
    expect(judge('2027-06-01T00:00:00.000Z').status).toBe('PASS');
  });
});
