import type { CheckResult } from '../domain/types';
import { describeLoadBalancer, type LoadBalancerPath, loadBalancerResource } from '../path/build';
import { eachLoadBalancerOfType } from '../path/query';
import type { CheckDefinition } from './check-definition';
import { ARTICLE } from './docs-links';
import { couldNotRead, failedCheck, passed, warned } from './results';

/** A period is a spike when its resets exceed this multiple of the window's median period... */
export const SPIKE_MEDIAN_MULTIPLE = 3;
/** ...and are at least this many (a handful of resets is noise, not a spike). */
export const SPIKE_MIN_RESETS = 10;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return 0;
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function evaluatePath({ loadBalancer, apis }: LoadBalancerPath): CheckResult {
  const resource = loadBalancerResource(loadBalancer);
  const name = describeLoadBalancer(loadBalancer);
  if (!loadBalancer.tcpTargetResets.ok) {
    return couldNotRead(
      resource,
      apis,
      `TCP_Target_Reset_Count of ${name}`,
      loadBalancer.tcpTargetResets.error,
    );
  }
  const series = loadBalancer.tcpTargetResets.value;
  if (series === null) {
    return passed(
      resource,
      apis,
      `${name} reported no TCP_Target_Reset_Count data in the window (no resets)`,
      { total: 0, periods: 0 },
    );
  }
  const total = series.reduce((sum, value) => sum + value, 0);
  const typical = median(series);
  const peak = Math.max(0, ...series);
  const spikes = series.filter(
    (value) => value >= SPIKE_MIN_RESETS && value > SPIKE_MEDIAN_MULTIPLE * typical,
  ).length;
  const evidence = { total, median: typical, peak, spikePeriods: spikes, periods: series.length };
  if (total === 0) {
    return passed(resource, apis, `targets of ${name} sent no TCP resets in the window`, evidence);
  }
  if (spikes > 0) {
    return failedCheck(
      resource,
      apis,
      `targets of ${name} sent a spike of TCP resets: ${peak} in one period (median ${typical}), ${total} in the window`,
      evidence,
    );
  }
  return warned(
    resource,
    apis,
    `targets of ${name} sent ${total} TCP resets in the window, steadily (peak ${peak}, median ${typical})`,
    evidence,
    'low',
  );
}

export const nlbTcpTargetResets: CheckDefinition<'paths'> = {
  id: 'nlb-tcp-target-resets',
  title: 'Targets do not reset NLB connections',
  group: 'high-frequency',
  severity: 'medium',
  role: 'condition',
  runsFor: ['high-frequency'],
  risk: 'A spike of TCP_Target_Reset_Count means the targets themselves close connections with RST (crashed listener, exhausted sockets, idle timeout shorter than the NLB): API Gateway sees a network error.',
  remediation:
    "Look at the targets in the periods of the spike: application restarts, connection limits, keep-alive/idle timeouts shorter than the NLB's 350 s, or a service not listening on the target port.",
  docs: [
    ARTICLE,
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-cloudwatch-metrics.html',
  ],
  reads: ['paths'],
  evaluate: ({ paths }) => eachLoadBalancerOfType(paths, 'network', (path) => [evaluatePath(path)]),
};
