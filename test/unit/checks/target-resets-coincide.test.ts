import { targetResetsCoincide } from '../../../lambda/checks/target-resets-coincide';
import {
  ELB_502,
  ELB_504,
  ELB_RESETS,
  TARGET_CONNECTION_ERRORS,
} from '../../../lambda/domain/load-balancer-series';
import { collected, failed } from '../../../lambda/domain/types';
import {
  ALB_ARN,
  accessDenied,
  albScenario,
  NLB_ARN,
  nlbScenario,
  onlyResult,
  TG_ARN,
} from '../../support/inventory-builders';
import {
  deniedSeries,
  failingInBurst,
  PERIODS,
  type SeriesEntry,
  series,
  withSeries,
} from './error-minute-scenarios';

/** TCP_Target_Reset_Count per period as path-metrics keeps it: zeros where no point, null for no point at all. */
const resetsAt = (values: Record<number, number>): number[] =>
  Array.from({ length: PERIODS }, (_, i) => values[i] ?? 0);

/** The NLB path: TCP_Target_Reset_Count on the load balancer's facts, TCP_ELB_Reset_Count as a series. */
const nlbWith = (targetResets: number[] | null, elbResets: SeriesEntry['values']) =>
  withSeries(
    nlbScenario({ ...failingInBurst, loadBalancer: { tcpTargetResets: collected(targetResets) } }).build(),
    [{ spec: ELB_RESETS, address: { loadBalancerArn: NLB_ARN }, values: elbResets }],
  );

/** The ALB path: TargetConnectionErrorCount of its group on the path, HTTPCode_ELB_502/504 of the ALB. */
const albWith = (connectionErrors: SeriesEntry['values'], elb502: SeriesEntry['values'] = series({})) =>
  withSeries(albScenario(failingInBurst).build(), [
    {
      spec: TARGET_CONNECTION_ERRORS,
      address: { loadBalancerArn: ALB_ARN, targetGroupArn: TG_ARN },
      values: connectionErrors,
    },
    { spec: ELB_502, address: { loadBalancerArn: ALB_ARN }, values: elb502 },
    { spec: ELB_504, address: { loadBalancerArn: ALB_ARN }, values: series({}, null) },
  ]);

describe('target-resets-coincide on an NLB', () => {
  it('fails resets bunched in the error minutes, naming the metric, count and minutes', () => {
    const result = onlyResult(targetResetsCoincide, nlbWith(resetsAt({ 5: 30, 6: 12 }), series({})));
    expect(result).toMatchObject({ status: 'FAIL', resourceArn: NLB_ARN });
    expect(result.message).toContain(
      'NLB orders-nlb recorded 42 TCP_Target_Reset_Count at 11:25-11:30, while the stage failed',
    );
    expect(result.evidence).toMatchObject({
      metrics: ['TCP_Target_Reset_Count', 'TCP_ELB_Reset_Count'],
      coincidedMinutes: ['2026-11-29T11:25:00.000Z', '2026-11-29T11:30:00.000Z'],
    });
  });

  it('counts the load balancer’s own resets too, a period without a point as none', () => {
    const result = onlyResult(targetResetsCoincide, nlbWith(resetsAt({}), series({ 6: 7 }, null)));
    expect(result.status).toBe('FAIL');
    expect(result.message).toContain('recorded 7 TCP_ELB_Reset_Count at 11:30');
    expect(result.evidence).toMatchObject({ eventMinutes: ['2026-11-29T11:30:00.000Z'] });
  });

  it('passes the healthy twin: no resets in the error minutes', () => {
    const result = onlyResult(targetResetsCoincide, nlbWith(resetsAt({ 0: 3 }), series({})));
    expect(result.status).toBe('PASS');
    expect(result.message).toBe(
      "NLB orders-nlb recorded no TCP_Target_Reset_Count, TCP_ELB_Reset_Count in the stage's error minutes (11:25-11:30)",
    );
  });

  it('reads a window without any TCP_Target_Reset_Count point as no target reset', () => {
    // Counts are published only when non-zero: no point in the window is none, and the ELB's own count still speaks.
    expect(onlyResult(targetResetsCoincide, nlbWith(null, series({}))).status).toBe('PASS');
    expect(onlyResult(targetResetsCoincide, nlbWith(null, series({ 5: 2 }))).status).toBe('FAIL');
  });

  it('reports ERROR, never PASS, when either reset count is unreadable', () => {
    const denied = withSeries(
      nlbScenario({
        ...failingInBurst,
        loadBalancer: { tcpTargetResets: failed(accessDenied('cloudwatch:GetMetricData')) },
      }).build(),
      [{ spec: ELB_RESETS, address: { loadBalancerArn: NLB_ARN }, values: series({}) }],
    );
    expect(onlyResult(targetResetsCoincide, denied)).toMatchObject({
      status: 'ERROR',
      message: expect.stringContaining('could not read the connection errors of NLB orders-nlb'),
    });
    expect(onlyResult(targetResetsCoincide, nlbWith(resetsAt({}), deniedSeries())).status).toBe('ERROR');
  });
});

describe('target-resets-coincide on an ALB', () => {
  it('fails connection errors to the targets in the error minutes', () => {
    const result = onlyResult(targetResetsCoincide, albWith(series({ 5: 9 })));
    expect(result).toMatchObject({ status: 'FAIL', resourceArn: ALB_ARN });
    expect(result.message).toContain('ALB orders-alb recorded 9 TargetConnectionErrorCount at 11:25');
  });

  it('warns, not fails, of 502s as frequent outside the error minutes: a steady level', () => {
    const result = onlyResult(targetResetsCoincide, albWith(series({}, null), series({}, 4)));
    expect(result).toMatchObject({ status: 'WARN', severity: 'low' });
    expect(result.message).toContain(
      'recorded 8 HTTPCode_ELB_502_Count at 11:25-11:30 while the stage failed, but as many in its other periods',
    );
  });

  it('passes the healthy twin: no connection errors, 502 or 504 then', () => {
    const result = onlyResult(targetResetsCoincide, albWith(series({}, null)));
    expect(result.status).toBe('PASS');
    expect(result.evidence).toMatchObject({
      metrics: ['TargetConnectionErrorCount', 'HTTPCode_ELB_502_Count', 'HTTPCode_ELB_504_Count'],
      coincided: [],
    });
  });

  it("reports ERROR when a target group's connection errors are unreadable", () => {
    const result = onlyResult(targetResetsCoincide, albWith(deniedSeries()));
    expect(result).toMatchObject({ status: 'ERROR', evidence: { action: 'cloudwatch:GetMetricData' } });
  });
});
