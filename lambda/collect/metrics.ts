/**
 * CloudWatch reads shared by the triage and the collector: GetMetricData in batches of 500 queries,
 * each series aligned on the audit window's periods.
 */
import { type CloudWatchClient, paginateGetMetricData } from '@aws-sdk/client-cloudwatch';
import { type AuditWindow, type Collected, collected, failed } from '../domain/types';
import { toCollectionError } from './collect-error';
import { chunk } from './memo';

export const IAM_ACTIONS = ['cloudwatch:GetMetricData', 'cloudwatch:ListMetrics'] as const;

/** GetMetricData accepts at most 500 queries per call. */
export const MAX_QUERIES_PER_CALL = 500;

export interface MetricRequest {
  /** Caller's key for the series (any string; query ids are generated). */
  key: string;
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  stat: 'Sum' | 'Maximum' | 'Average' | 'Minimum' | 'SampleCount';
}

/** One value per window period; null where CloudWatch returned no data point. */
export type PeriodSeries = (number | null)[];

export function periodCount(window: AuditWindow): number {
  const span = Date.parse(window.end) - Date.parse(window.start);
  return Math.max(0, Math.ceil(span / (window.periodSeconds * 1000)));
}

/** Index of the window period a data point's timestamp falls in, or -1 outside the window. */
export function periodIndex(window: AuditWindow, timestamp: Date): number {
  const offset = timestamp.getTime() - Date.parse(window.start);
  const index = Math.floor(offset / (window.periodSeconds * 1000));
  return offset < 0 || index >= periodCount(window) ? -1 : index;
}

/** Missing periods count as zero (no requests, no errors). */
export const zeroFilled = (series: PeriodSeries): number[] => series.map((value) => value ?? 0);

export const hasData = (series: PeriodSeries): boolean => series.some((value) => value !== null);

/** Reads every requested series; a failed call marks the series of its batch as failed. */
export async function readMetricSeries(
  cloudWatch: CloudWatchClient,
  requests: readonly MetricRequest[],
  window: AuditWindow,
): Promise<Map<string, Collected<PeriodSeries>>> {
  const results = new Map<string, Collected<PeriodSeries>>();
  for (const batch of chunk(requests, MAX_QUERIES_PER_CALL)) {
    const series = batch.map(() => new Array<number | null>(periodCount(window)).fill(null));
    try {
      const pages = paginateGetMetricData(
        { client: cloudWatch },
        {
          StartTime: new Date(window.start),
          EndTime: new Date(window.end),
          ScanBy: 'TimestampAscending',
          MetricDataQueries: batch.map((request, index) => ({
            Id: `m${index}`,
            ReturnData: true,
            MetricStat: {
              Metric: {
                Namespace: request.namespace,
                MetricName: request.metricName,
                Dimensions: Object.entries(request.dimensions).map(([Name, Value]) => ({ Name, Value })),
              },
              Period: window.periodSeconds,
              Stat: request.stat,
            },
          })),
        },
      );
      for await (const page of pages) {
        for (const result of page.MetricDataResults ?? []) {
          const position = Number(result.Id?.slice(1));
          const target = series[position];
          if (!target) continue;
          const stat = batch[position]?.stat;
          const combine =
            stat === 'Maximum' ? Math.max : stat === 'Minimum' ? Math.min : (a: number, b: number) => a + b;
          result.Timestamps?.forEach((timestamp, i) => {
            const index = periodIndex(window, timestamp);
            const value = result.Values?.[i];
            if (index < 0 || value === undefined) return;
            const previous = target[index];
            target[index] = previous === null || previous === undefined ? value : combine(previous, value);
          });
        }
      }
      batch.forEach((request, index) => {
        results.set(request.key, collected(series[index] ?? []));
      });
    } catch (error) {
      const reason = toCollectionError('cloudwatch:GetMetricData', error);
      for (const request of batch) results.set(request.key, failed(reason));
    }
  }
  return results;
}
