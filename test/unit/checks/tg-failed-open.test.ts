import { tgFailedOpen } from '../../../lambda/checks/tg-failed-open';
import { HEALTHY_HOSTS, UNHEALTHY_HOSTS } from '../../../lambda/domain/load-balancer-series';
import { NLB_ARN, nlbScenario, onlyResult, TG_ARN } from '../../support/inventory-builders';
import { deniedSeries, failingInBurst, type SeriesEntry, series, withSeries } from './error-minute-scenarios';

const address = { loadBalancerArn: NLB_ARN, targetGroupArn: TG_ARN };
const health = (healthy: SeriesEntry['values'], unhealthy: SeriesEntry['values']): SeriesEntry[] => [
  { spec: HEALTHY_HOSTS, address, values: healthy },
  { spec: UNHEALTHY_HOSTS, address, values: unhealthy },
];
const failedOpenIn = (entries: SeriesEntry[]) =>
  onlyResult(tgFailedOpen, withSeries(nlbScenario(failingInBurst).build(), entries));

describe('tg-failed-open over the builders’ NLB path', () => {
  it('fails a group with no healthy target and unhealthy ones in the error minutes, naming them', () => {
    const result = failedOpenIn(health(series({ 6: 0 }, 2), series({ 6: 2 }, 0)));
    expect(result).toMatchObject({ status: 'FAIL', resourceArn: TG_ARN });
    expect(result.message).toBe(
      "target group orders-tg (NLB orders-nlb) had no healthy target and up to 2 unhealthy ones at 11:30, while the stage failed: the group failed open, so the load balancer sent the stage's traffic to unhealthy targets",
    );
    expect(result.evidence).toMatchObject({
      coincidedMinutes: ['2026-11-29T11:30:00.000Z'],
      eventMinutes: ['2026-11-29T11:30:00.000Z'],
      unhealthyMax: 2,
    });
  });

  it('passes the healthy twin: a healthy target in every error minute', () => {
    const result = failedOpenIn(health(series({}, 2), series({ 6: 1 }, 0)));
    expect(result.status).toBe('PASS');
    expect(result.message).toContain('had a healthy target in every error minute of the stage (11:25-11:30)');
  });

  it('does not call zero healthy with no unhealthy data failing open', () => {
    // UnHealthyHostCount has no point in the period: no unhealthy target took the traffic.
    expect(failedOpenIn(health(series({ 5: 0 }, 2), series({}, null))).status).toBe('PASS');
  });

  it('reports ERROR, never PASS, when either health series is unreadable', () => {
    const healthy = failedOpenIn(health(deniedSeries(), series({}, 0)));
    expect(healthy).toMatchObject({ status: 'ERROR', evidence: { action: 'cloudwatch:GetMetricData' } });
    expect(healthy.message).toContain('could not read HealthyHostCount of orders-tg');
    const unhealthy = failedOpenIn(health(series({}, 2), deniedSeries()));
    expect(unhealthy.status).toBe('ERROR');
    expect(unhealthy.message).toContain('could not read UnHealthyHostCount of orders-tg');
  });

  it('reports ERROR when the series were never collected for the group', () => {
    const result = onlyResult(tgFailedOpen, nlbScenario(failingInBurst).build());
    expect(result).toMatchObject({ status: 'ERROR', evidence: { code: 'NotCollected' } });
  });

  it('skips a stage without error minutes: nothing to compare', () => {
    const result = onlyResult(tgFailedOpen, nlbScenario().build());
    expect(result.status).toBe('SKIPPED');
    expect(result.message).toBe(
      "orders/prod had no 5xx in the window: no error minutes to compare the path's series with",
    );
  });
});
