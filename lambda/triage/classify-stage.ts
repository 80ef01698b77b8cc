/**
 * Triage: decides from a stage's per-period request and 5xx counts whether its errors are absent,
 * sporadic (low-frequency) or frequent/continuous (high-frequency). Pure and total: any input,
 * including negative or non-finite counts from a broken series, yields a classification.
 */
import type { Classification, ClassifiedStage, StageTraffic, Thresholds } from '../domain/types';
import { DEFAULTS } from '../settings/settings';

/** The settings' defaults (lambda/settings), explained in docs/checks.md ("Triage thresholds"). */
export const DEFAULT_THRESHOLDS: Thresholds = Object.freeze({
  highErrorRatio: DEFAULTS.highErrorRatio,
  continuousPeriodShare: DEFAULTS.continuousPeriodShare,
  minRequests: DEFAULTS.minRequests,
});

/** Periods with at least this many errors count as "periods with errors". */
const MIN_CONTINUOUS_PERIODS = 2;

const countOf = (value: number | undefined): number =>
  value !== undefined && Number.isFinite(value) && value > 0 ? value : 0;

const sum = (values: readonly number[]): number => values.reduce((total, value) => total + countOf(value), 0);

export function classifyStage(traffic: StageTraffic, thresholds: Thresholds): ClassifiedStage {
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
  const frequent =
    totals.requests >= thresholds.minRequests && totals.errorRatio >= thresholds.highErrorRatio;
  const continuous =
    totals.periodsWithErrors >= MIN_CONTINUOUS_PERIODS &&
    totals.periods > 0 &&
    totals.periodsWithErrors / totals.periods >= thresholds.continuousPeriodShare;
  return frequent || continuous ? 'high-frequency' : 'low-frequency';
}
