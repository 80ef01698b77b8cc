/**
 * Inventories for the "what coincided with the error minutes" checks: the builders' scenarios
 * (window 11:00-12:00 UTC, twelve 5-minute periods) with a stage that failed in periods 5 and 6
 * (11:25 and 11:30), and the load balancers' CloudWatch series keyed as the collector keys them.
 * Series semantics as AWS documents them (counts published only when non-zero, HealthyHostCount
 * per group and per zone): see lambda/domain/load-balancer-series.ts, which names the pages.
 */
import {
  type LoadBalancerSeriesSpec,
  loadBalancerSeriesKey,
  type SeriesAddress,
} from '../../../lambda/domain/load-balancer-series';
import type { Collected, ErrorMinute, Inventory } from '../../../lambda/domain/types';
import { collected, failed } from '../../../lambda/domain/types';
import { accessDenied } from '../../support/inventory-builders';

export const PERIODS = 12;

/** The builders' window period indices 5 and 6: the stage's 5xx burst. */
export const BURST_MINUTES: ErrorMinute[] = [
  { at: '2026-11-29T11:25:00.000Z', errors5xx: 400 },
  { at: '2026-11-29T11:30:00.000Z', errors5xx: 300 },
];

/** A scenario's stage override that makes it fail in the burst. */
export const failingInBurst = { stage: { stage: { errorMinutes: BURST_MINUTES } } };

/** A scenario's stage override that makes it fail in every period of the window. */
export const failingThroughout = {
  stage: {
    stage: {
      errorMinutes: Array.from({ length: PERIODS }, (_, i) => ({
        at: new Date(Date.parse('2026-11-29T11:00:00.000Z') + i * 300_000).toISOString(),
        errors5xx: 10,
      })),
    },
  },
};

/** A series of the window: `values` at their period indices, `otherwise` everywhere else. */
export const series = (values: Record<number, number>, otherwise: number | null = 0): (number | null)[] =>
  Array.from({ length: PERIODS }, (_, i) => values[i] ?? otherwise);

export interface SeriesEntry {
  spec: LoadBalancerSeriesSpec;
  address: SeriesAddress;
  values: Collected<(number | null)[]> | (number | null)[];
}

/** Sets the inventory's load balancer series as the collector would have read them. */
export function withSeries(inventory: Inventory, entries: readonly SeriesEntry[]): Inventory {
  const record: Record<string, Collected<(number | null)[]>> = { ...inventory.loadBalancerSeries };
  for (const { spec, address, values } of entries) {
    record[loadBalancerSeriesKey(spec.metricName, address)] = Array.isArray(values)
      ? collected(values)
      : values;
  }
  return { ...inventory, loadBalancerSeries: record };
}

/** GetMetricData refused: what an unreadable series holds. */
export const deniedSeries = (): Collected<(number | null)[]> =>
  failed(accessDenied('cloudwatch:GetMetricData'));
