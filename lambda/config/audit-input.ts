/**
 * What an audit accepts, whoever asks for it: the CLI's flags (lambda/cli/parse-args.ts) and the
 * Lambda's console event (manual-event.ts) validate API ids, Regions and the window with these same
 * rules, so one cannot accept what the other refuses.
 */
import { z } from 'zod';

export const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d+$/;
/** API Gateway ids (REST and HTTP alike) are 10 lowercase letters or digits. */
export const API_ID = /^[a-z0-9]{10}$/;

export const LOOKBACK_MINUTES = { min: 5, max: 1440 } as const;
export const PERIOD_SECONDS = { min: 60, max: 3600 } as const;

export const apiIdSchema = z
  .string()
  .regex(API_ID, { error: 'must be an API Gateway id: 10 lowercase letters or digits' });

export const regionSchema = z
  .string()
  .regex(REGION_NAME, { error: 'must be a Region name such as us-east-1' });

export const lookbackMinutesSchema = z
  .number({ error: 'must be a number of minutes' })
  .int({ error: 'must be a whole number of minutes' })
  .min(LOOKBACK_MINUTES.min, { error: `must be at least ${LOOKBACK_MINUTES.min} minutes` })
  .max(LOOKBACK_MINUTES.max, { error: `must be at most ${LOOKBACK_MINUTES.max} minutes (one day)` });

export const periodSecondsSchema = z
  .number({ error: 'must be a number of seconds' })
  .int({ error: 'must be a whole number of seconds' })
  .min(PERIOD_SECONDS.min, { error: `must be at least ${PERIOD_SECONDS.min} seconds` })
  .max(PERIOD_SECONDS.max, { error: `must be at most ${PERIOD_SECONDS.max} seconds` })
  .refine((value) => value % 60 === 0, { error: 'must be a multiple of 60 seconds' });

/** Why a lookback does not fit the period, or undefined when it covers whole periods. */
export function lookbackProblem(
  lookbackMinutes: number,
  periodSeconds: number,
  periodName: string,
): string | undefined {
  return (lookbackMinutes * 60) % periodSeconds === 0
    ? undefined
    : `must be a multiple of ${periodName} (${periodSeconds / 60} minutes)`;
}

/**
 * How far back GetMetricData answers for a period: 15 days for 1-minute data, 63 days when the
 * period is a multiple of 5 minutes, 455 days for a multiple of an hour (CloudWatch's retention).
 */
export function metricRetentionDays(periodSeconds: number): number {
  if (periodSeconds % 3600 === 0) return 455;
  if (periodSeconds % 300 === 0) return 63;
  return 15;
}

/** Clocks drift: an end up to this far ahead of now is still "now". */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Why a window ending at `end` cannot hold data, or undefined when it can: an end in the future
 * (every stage would read as idle) or a start older than CloudWatch keeps data of that period.
 */
export function windowProblem(
  end: Date,
  lookbackMinutes: number,
  periodSeconds: number,
  now: Date,
  check: { retention: boolean } = { retention: true },
): string | undefined {
  if (end.getTime() > now.getTime() + CLOCK_SKEW_MS) {
    return `the window ends ${end.toISOString()}, in the future (now is ${now.toISOString()}): no metric exists yet`;
  }
  if (!check.retention) return undefined;
  const retentionDays = metricRetentionDays(periodSeconds);
  const start = end.getTime() - lookbackMinutes * 60_000;
  if (start < now.getTime() - retentionDays * 86_400_000) {
    const longer =
      periodSeconds < 3600 ? '; a longer --period-seconds (3600 keeps 455 days) reaches further' : '';
    return (
      `the window starts ${new Date(start).toISOString()}, but CloudWatch keeps ` +
      `${periodSeconds / 60}-minute data for ${retentionDays} days only${longer}`
    );
  }
  return undefined;
}
