import { median, nlbTcpTargetResets } from '../../../lambda/checks/nlb-tcp-target-resets';
import { collected, failed } from '../../../lambda/domain/types';
import { accessDenied, albScenario, nlbScenario, onlyResult } from '../../support/inventory-builders';

const withResets = (series: number[] | null) =>
  nlbScenario({ loadBalancer: { tcpTargetResets: collected(series) } }).build();

describe('nlb-tcp-target-resets', () => {
  it('passes when targets sent no resets, or the metric has no data', () => {
    expect(onlyResult(nlbTcpTargetResets, withResets([0, 0, 0])).status).toBe('PASS');
    expect(onlyResult(nlbTcpTargetResets, withResets(null)).message).toContain(
      'no TCP_Target_Reset_Count data',
    );
  });

  it('fails on a spike: a period above 3x the median and at least 10 resets', () => {
    // Act
    const result = onlyResult(nlbTcpTargetResets, withResets([1, 0, 2, 40, 1, 0]));
    // Assert
    expect(result.status).toBe('FAIL');
    expect(result.message).toContain('40 in one period (median 1), 44 in the window');
    expect(result.evidence).toMatchObject({ total: 44, peak: 40, spikePeriods: 1 });
  });

  it('warns (low) about steady resets without a spike', () => {
    const result = onlyResult(nlbTcpTargetResets, withResets([12, 11, 13, 12]));
    expect(result).toMatchObject({ status: 'WARN', severity: 'low' });
  });

  it('does not call a handful of resets a spike', () => {
    expect(onlyResult(nlbTcpTargetResets, withResets([0, 0, 5, 0])).status).toBe('WARN');
  });

  it('skips an ALB', () => {
    expect(onlyResult(nlbTcpTargetResets, albScenario().build()).status).toBe('SKIPPED');
  });

  it('reports ERROR naming the action when the metric could not be read', () => {
    const builder = nlbScenario({
      loadBalancer: { tcpTargetResets: failed(accessDenied('cloudwatch:GetMetricData')) },
    });
    expect(onlyResult(nlbTcpTargetResets, builder.build()).evidence).toMatchObject({
      action: 'cloudwatch:GetMetricData',
    });
  });

  it('takes the median of odd, even and empty series', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBe(0);
  });
});
