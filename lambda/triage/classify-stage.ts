/**
 * Triage: decides from a stage's per-period request and 5xx counts whether its errors are absent,
 * transient (low-frequency) or frequent/continuous (high-frequency). Pure and total: any input,
 * including negative or non-finite counts from a broken series, yields a classification.
 *
 * As the AWS article puts it, the ratio of errors to requests decides first: "if the number of
 * requests is significantly greater than the number of errors, transient network problems are
 * likely". With enough requests (`minRequests`):
 * - at or above `highErrorRatio`: high-frequency, even in one period;
 * - below `transientErrorRatio`: low-frequency, however many periods the trickle shows in (12 errors in
 *   1,000,008 requests over half the periods is background noise: retry);
 * - in between: high-frequency when continuous (errors in `continuousPeriodShare` of the periods, and
 *   in at least 2), else low-frequency (a burst).
 * Below `minRequests` a ratio means little: only continuity makes a stage high-frequency.
 * Defaults and why: docs/checks.md "Triage thresholds".
 */
import type {
  AuditWindow,
  Classification,
  ClassifiedStage,
  ErrorMinute,
  StageTraffic,
  Thresholds,
} from '../domain/types';
import { DEFAULTS } from '../settings/settings';

/** The settings' defaults (lambda/settings), explained in docs/checks.md ("Triage thresholds"). */
export const DEFAULT_THRESHOLDS: Readonly<Required<Thresholds>> = Object.freeze({
  highErrorRatio: DEFAULTS.highErrorRatio,
  continuousPeriodShare: DEFAULTS.continuousPeriodShare,
  minRequests: DEFAULTS.minRequests,
  transientErrorRatio: DEFAULTS.transientErrorRatio,
});

/** Periods with at least this many errors count as "periods with errors". */
const MIN_CONTINUOUS_PERIODS = 2;

const countOf = (value: number | undefined): number =>
  value !== undefined && Number.isFinite(value) && value > 0 ? value : 0;

const sum = (values: readonly number[]): number => values.reduce((total, value) => total + countOf(value), 0);

/** The periods with 5xx, by their start (the counts are aligned on the window's periods). */
export function errorMinutesOf(errors5xx: readonly number[], window: AuditWindow): ErrorMinute[] {
  const start = Date.parse(window.start);
  return errors5xx.flatMap((value, index) =>
    countOf(value) > 0
      ? [
          {
            at: new Date(start + index * window.periodSeconds * 1000).toISOString(),
            errors5xx: countOf(value),
          },
        ]
      : [],
  );
}

/** With the window, a stage with 5xx also carries its `errorMinutes`. */
export function classifyStage(
  traffic: StageTraffic,
  thresholds: Thresholds,
  window?: AuditWindow,
): ClassifiedStage {
  const requests = sum(traffic.requests);
  const errors5xx = sum(traffic.errors5xx);
  const periods = Math.max(traffic.requests.length, traffic.errors5xx.length);
  const periodsWithErrors = traffic.errors5xx.filter((value) => countOf(value) > 0).length;
  // A 5xx count above the request count (metrics from different series) is capped: a ratio above 1 means nothing.
  const errorRatio = requests > 0 ? Math.min(1, errors5xx / requests) : 0;
  const classification = classify(
    { requests, errors5xx, errorRatio, periods, periodsWithErrors },
    thresholds,
  );
  const { region, apiId, stage, apiName, apiType, sharesMetricsWith } = traffic;
  return {
    region,
    apiId,
    stage,
    apiName,
    apiType,
    requests,
    errors5xx,
    errorRatio,
    periodsWithErrors,
    periods,
    classification,
    series: { requests: traffic.requests.map(countOf), errors5xx: traffic.errors5xx.map(countOf) },
    ...(sharesMetricsWith && sharesMetricsWith.length > 0 ? { sharesMetricsWith } : {}),
    ...(window && errors5xx > 0 ? { errorMinutes: errorMinutesOf(traffic.errors5xx, window) } : {}),
  };
}

interface TrafficTotals {
  requests: number;
  errors5xx: number;
  errorRatio: number;
  periods: number;
  periodsWithErrors: number;
}

function classify(totals: TrafficTotals, thresholds: Thresholds): Classification {
  // 5xx without a request count (a missing Count series) still means the stage is failing.
  if (totals.requests === 0 && totals.errors5xx === 0) return 'no-traffic';
  if (totals.errors5xx === 0) return 'healthy';
  const enoughRequests = totals.requests >= thresholds.minRequests;
  if (enoughRequests && totals.errorRatio >= thresholds.highErrorRatio) return 'high-frequency';
  const transientRatio = thresholds.transientErrorRatio ?? DEFAULT_THRESHOLDS.transientErrorRatio;
  if (enoughRequests && totals.errorRatio < transientRatio) return 'low-frequency';
  const continuous =
    totals.periodsWithErrors >= MIN_CONTINUOUS_PERIODS &&
    totals.periods > 0 &&
    totals.periodsWithErrors / totals.periods >= thresholds.continuousPeriodShare;
  return continuous ? 'high-frequency' : 'low-frequency';
}
