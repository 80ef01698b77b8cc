/**
 * The load balancers' own CloudWatch series the audit reads over the window, per target group and
 * zone, to say what happened on the path in the minutes a stage failed. Names, dimensions and
 * statistics as AWS documents them:
 * - NLB: https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-cloudwatch-metrics.html
 *   `HealthyHostCount` / `UnHealthyHostCount` (Average, Minimum, Maximum; dimensions
 *   `LoadBalancer, TargetGroup` and `AvailabilityZone, LoadBalancer, TargetGroup`),
 *   `TCP_ELB_Reset_Count` (Sum; `LoadBalancer`; `TCP_Target_Reset_Count` is read by path-metrics).
 * - ALB: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
 *   `HealthyHostCount` / `UnHealthyHostCount` (as above), `HTTPCode_Target_5XX_Count` (Sum;
 *   `LoadBalancer, TargetGroup` among others), `TargetConnectionErrorCount` (Sum), `TargetResponseTime`
 *   (seconds; `LoadBalancer, TargetGroup`), `HTTPCode_ELB_5XX_Count`, `HTTPCode_ELB_502_Count`,
 *   `HTTPCode_ELB_504_Count` (Sum; `LoadBalancer`). Counts are reported only when non-zero, so a
 *   period without a data point had none.
 */
import type { AuditWindow, Collected, ErrorMinute } from './types';

export const ELB_NAMESPACES = { network: 'AWS/NetworkELB', application: 'AWS/ApplicationELB' } as const;

export type BalancerType = keyof typeof ELB_NAMESPACES;

export type SeriesStat = 'Sum' | 'Maximum' | 'Minimum';

/** A series of a load balancer (no target group), of a target group, or of a target group in one zone. */
export interface LoadBalancerSeriesSpec {
  metricName: string;
  stat: SeriesStat;
  scope: 'load-balancer' | 'target-group' | 'target-group-zone';
}

/** The fewest healthy targets in a period is what a dip shows; the most unhealthy, what failed open. */
export const HEALTHY_HOSTS: LoadBalancerSeriesSpec = {
  metricName: 'HealthyHostCount',
  stat: 'Minimum',
  scope: 'target-group',
};
export const UNHEALTHY_HOSTS: LoadBalancerSeriesSpec = {
  metricName: 'UnHealthyHostCount',
  stat: 'Maximum',
  scope: 'target-group',
};
export const HEALTHY_HOSTS_IN_ZONE: LoadBalancerSeriesSpec = { ...HEALTHY_HOSTS, scope: 'target-group-zone' };

const sum = (metricName: string, scope: LoadBalancerSeriesSpec['scope']): LoadBalancerSeriesSpec => ({
  metricName,
  stat: 'Sum',
  scope,
});

export const ELB_RESETS = sum('TCP_ELB_Reset_Count', 'load-balancer');
export const TARGET_5XX = sum('HTTPCode_Target_5XX_Count', 'target-group');
export const TARGET_CONNECTION_ERRORS = sum('TargetConnectionErrorCount', 'target-group');
export const ELB_5XX = sum('HTTPCode_ELB_5XX_Count', 'load-balancer');
export const ELB_502 = sum('HTTPCode_ELB_502_Count', 'load-balancer');
export const ELB_504 = sum('HTTPCode_ELB_504_Count', 'load-balancer');
export const TARGET_RESPONSE_TIME: LoadBalancerSeriesSpec = {
  metricName: 'TargetResponseTime',
  stat: 'Maximum',
  scope: 'target-group',
};

/** What is read for each load balancer type (TCP_Target_Reset_Count is read for NLBs by path-metrics already). */
export const SERIES_BY_TYPE: Record<BalancerType, readonly LoadBalancerSeriesSpec[]> = {
  network: [HEALTHY_HOSTS, UNHEALTHY_HOSTS, HEALTHY_HOSTS_IN_ZONE, ELB_RESETS],
  application: [
    HEALTHY_HOSTS,
    UNHEALTHY_HOSTS,
    HEALTHY_HOSTS_IN_ZONE,
    TARGET_5XX,
    TARGET_CONNECTION_ERRORS,
    TARGET_RESPONSE_TIME,
    ELB_5XX,
    ELB_502,
    ELB_504,
  ],
};

export interface SeriesAddress {
  loadBalancerArn: string;
  targetGroupArn?: string;
  zone?: string;
}

export const loadBalancerSeriesKey = (metricName: string, address: SeriesAddress): string =>
  ['elb', metricName, address.loadBalancerArn, address.targetGroupArn ?? '', address.zone ?? ''].join('|');

export type SeriesRecord = Record<string, Collected<(number | null)[]>>;

/** The series at an address: a key the collector never filled reads as not collected. */
export function seriesAt(
  series: SeriesRecord | undefined,
  spec: LoadBalancerSeriesSpec,
  address: SeriesAddress,
): Collected<(number | null)[]> {
  return (
    series?.[loadBalancerSeriesKey(spec.metricName, address)] ?? {
      ok: false,
      error: {
        action: 'cloudwatch:GetMetricData',
        code: 'NotCollected',
        message: `${spec.metricName} of ${address.targetGroupArn ?? address.loadBalancerArn} was not collected`,
      },
    }
  );
}

/** How many periods the window holds. */
export const windowPeriods = (window: AuditWindow): number =>
  Math.max(0, Math.ceil((Date.parse(window.end) - Date.parse(window.start)) / (window.periodSeconds * 1000)));

/** The window period indices of a stage's error minutes (those outside the window are dropped). */
export function errorPeriodIndices(window: AuditWindow, minutes: readonly ErrorMinute[]): number[] {
  return minutes.flatMap((minute) => periodIndexOf(window, minute.at) ?? []);
}

/** 5xx per window period index; minutes outside the window are left out, two in one period add up. */
export function errorsByPeriod(window: AuditWindow, minutes: readonly ErrorMinute[]): Map<number, number> {
  const errors = new Map<number, number>();
  for (const minute of minutes) {
    const index = periodIndexOf(window, minute.at);
    if (index !== null) errors.set(index, (errors.get(index) ?? 0) + minute.errors5xx);
  }
  return errors;
}

/** The window period a time falls in, or null outside the window. */
function periodIndexOf(window: AuditWindow, at: string): number | null {
  const index = Math.floor((Date.parse(at) - Date.parse(window.start)) / (window.periodSeconds * 1000));
  return index >= 0 && index < windowPeriods(window) ? index : null;
}

/** The start of a window period, as the report writes it. */
export const periodStart = (window: AuditWindow, index: number): string =>
  new Date(Date.parse(window.start) + index * window.periodSeconds * 1000).toISOString();

/** `10:05`, `10:10-10:20`: the periods' start times (UTC), consecutive ones joined. */
export function describePeriods(window: AuditWindow, indices: readonly number[]): string {
  const sorted = [...new Set(indices)].sort((a, b) => a - b);
  const clock = (index: number) => periodStart(window, index).slice(11, 16);
  const runs: [number, number][] = [];
  for (const index of sorted) {
    const last = runs[runs.length - 1];
    if (last && index === last[1] + 1) last[1] = index;
    else runs.push([index, index]);
  }
  return runs.map(([from, to]) => (from === to ? clock(from) : `${clock(from)}-${clock(to)}`)).join(', ');
}
