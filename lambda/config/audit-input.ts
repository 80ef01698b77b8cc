/**
 * What an audit accepts, whoever asks for it: the CLI's flags (lambda/cli/parse-args.ts) and the
 * Lambda's console event (manual-event.ts) validate API ids, Regions and the window with these same
 * rules, so one cannot accept what the other refuses.
 */
import { z } from 'zod';
import { REGION_NAME, SETTINGS } from '../settings/settings';

export { REGION_NAME };

/** API Gateway ids (REST and HTTP alike) are 10 lowercase letters or digits; the local emulator's have 8. */
const API_ID = /^[a-z0-9]{8,10}$/;

export const apiIdSchema = z.string().regex(API_ID, {
  error: 'must be an API Gateway id: 10 lowercase letters or digits (8 on the local emulator)',
});

/**
 * An API as a person names it on the command line: its id (10 letters or digits on AWS, 8 on the
 * local emulator) or its name (REST and HTTP API names: up to 1024 printable characters).
 */
export const apiSelectorSchema = z
  .string()
  .regex(/^[^\p{Cc}]{1,1024}$/u, { error: 'must be an API id or name (1-1024 printable characters)' });

export const regionSchema = z
  .string()
  .regex(REGION_NAME, { error: 'must be a Region name such as us-east-1' });

export const lookbackMinutesSchema = SETTINGS.lookbackMinutes.value;

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
