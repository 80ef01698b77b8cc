import { targetsAnswered5xx } from '../../../lambda/checks/targets-answered-5xx';
import { ELB_5XX, TARGET_5XX } from '../../../lambda/domain/load-balancer-series';
import { ALB_ARN, albScenario, nlbScenario, onlyResult, TG_ARN } from '../../support/inventory-builders';
import { deniedSeries, failingInBurst, type SeriesEntry, series, withSeries } from './error-minute-scenarios';

/** The stage failed with 400 and 300 5xx at 11:25 and 11:30 (BURST_MINUTES). */
const albWith = (target5xx: SeriesEntry['values'], elb5xx: SeriesEntry['values'] = series({}, null)) =>
  withSeries(albScenario(failingInBurst).build(), [
    { spec: TARGET_5XX, address: { loadBalancerArn: ALB_ARN, targetGroupArn: TG_ARN }, values: target5xx },
    { spec: ELB_5XX, address: { loadBalancerArn: ALB_ARN }, values: elb5xx },
  ]);

describe('targets-answered-5xx', () => {
  it('says there is no network cause when the targets answered the stage’s 5xx themselves', () => {
    const result = onlyResult(targetsAnswered5xx, albWith(series({ 5: 400, 6: 290 })));
    expect(result).toMatchObject({ status: 'WARN', severity: 'high', resourceArn: ALB_ARN });
    expect(result.message).toBe(
      "no network cause: the targets answered 5xx themselves. ALB orders-alb counted 690 HTTPCode_Target_5XX_Count at 11:25-11:30, against the stage's 700 5xx in its error minutes (99% accounted for); fix the application, not the network",
    );
    expect(result.evidence).toMatchObject({ notNetworkCause: true, answeredShare: 0.99, stageErrors: 700 });
  });

  it('counts no more target 5xx in a minute than the stage had then', () => {
    // 5000 target 5xx at 11:25 answer at most the stage's 400 there: 400 of 700 is 57%.
    const result = onlyResult(targetsAnswered5xx, albWith(series({ 5: 5000 }), series({ 6: 300 })));
    expect(result).toMatchObject({ status: 'WARN', severity: 'medium' });
    expect(result.evidence).toMatchObject({
      answeredShare: 0.57,
      notNetworkCause: false,
      elb5xxInErrorMinutes: 300,
    });
  });

  it('passes the healthy twin: the targets answered no 5xx in the error minutes', () => {
    const result = onlyResult(targetsAnswered5xx, albWith(series({ 0: 50 }, null), series({ 5: 700 })));
    expect(result.status).toBe('PASS');
    expect(result.message).toContain(
      "the targets behind ALB orders-alb answered no 5xx in the stage's error minutes (11:25-11:30)",
    );
  });

  it('reports ERROR, never PASS, when a status code series is unreadable', () => {
    expect(onlyResult(targetsAnswered5xx, albWith(deniedSeries()))).toMatchObject({
      status: 'ERROR',
      message: expect.stringContaining('could not read HTTPCode_Target_5XX_Count of ALB orders-alb'),
    });
    expect(onlyResult(targetsAnswered5xx, albWith(series({}), deniedSeries())).status).toBe('ERROR');
  });

  it('skips an NLB: it does not see HTTP status codes', () => {
    const result = onlyResult(targetsAnswered5xx, nlbScenario(failingInBurst).build());
    expect(result).toMatchObject({
      status: 'SKIPPED',
      message: 'NLB orders-nlb is not an application load balancer: it does not see HTTP status codes',
    });
  });
});
