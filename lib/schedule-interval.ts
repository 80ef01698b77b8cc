/**
 * How far apart the runs of an EventBridge schedule expression can be, in minutes. The audit of each
 * run looks back `lookbackMinutes`: when the longest gap between two runs is larger, the minutes in
 * between are never audited, so the app refuses that combination at synth time.
 */

export type ScheduleInterval =
  | { ok: true; maxGapMinutes: number; minGapMinutes: number }
  | { ok: false; reason: string };

const MINUTES_PER_UNIT: Record<string, number> = { minute: 1, hour: 60, day: 1440 };

/** `rate(5 minutes)`, `rate(1 hour)`: EventBridge wants the singular unit for 1 and the plural otherwise. */
function rateInterval(value: string, unit: string): ScheduleInterval {
  const amount = Number(value);
  if (!Number.isInteger(amount) || amount < 1) {
    return { ok: false, reason: `the rate value must be a positive integer, got '${value}'` };
  }
  const singular = unit.replace(/s$/, '');
  const perUnit = MINUTES_PER_UNIT[singular];
  if (perUnit === undefined) {
    return { ok: false, reason: `the rate unit must be minute(s), hour(s) or day(s), got '${unit}'` };
  }
  const expectedUnit = amount === 1 ? singular : `${singular}s`;
  if (unit !== expectedUnit) {
    return {
      ok: false,
      reason: `write 'rate(${amount} ${expectedUnit})' (EventBridge rejects '${unit}' here)`,
    };
  }
  return { ok: true, maxGapMinutes: amount * perUnit, minGapMinutes: amount * perUnit };
}

/** The values a cron minute or hour field selects (`*`, `5`, `1,2`, `0-30`, `*\/15`, `10-50/10`), or null. */
export function cronFieldValues(field: string, max: number): number[] | null {
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!match) return null;
    const [, whole, from, to, step] = match;
    const first = whole === '*' ? 0 : Number(from);
    const last = whole === '*' ? max : to !== undefined ? Number(to) : step !== undefined ? max : first;
    const stride = step !== undefined ? Number(step) : 1;
    if (first > last || last > max || stride < 1) return null;
    for (let value = first; value <= last; value += stride) values.add(value);
  }
  return [...values].sort((a, b) => a - b);
}

/** The gaps between consecutive times of day (minutes since midnight, sorted), wrapping around midnight. */
function dailyGaps(times: number[]): number[] {
  return times.map((time, index) => (times[index + 1] ?? (times[0] ?? time) + 1440) - time);
}

/** `cron(min hour day-of-month month day-of-week year)`: only schedules that run every day can be sized. */
function cronInterval(body: string): ScheduleInterval {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) {
    return {
      ok: false,
      reason: `a cron expression has 6 fields (minutes hours day-of-month month day-of-week year)`,
    };
  }
  const [minuteField = '', hourField = '', dayOfMonth, month, dayOfWeek, year] = fields;
  const everyDay =
    ((dayOfMonth === '*' && dayOfWeek === '?') || (dayOfMonth === '?' && dayOfWeek === '*')) &&
    month === '*' &&
    year === '*';
  if (!everyDay) {
    return {
      ok: false,
      reason:
        'only cron expressions that run every day (day-of-month * with day-of-week ?, month *, year *) are ' +
        'accepted: a schedule that skips days leaves more than the longest lookback (1440 minutes) unaudited',
    };
  }
  const minutes = cronFieldValues(minuteField, 59);
  const hours = cronFieldValues(hourField, 23);
  if (!minutes || !hours || minutes.length === 0 || hours.length === 0) {
    return { ok: false, reason: 'the minutes and hours fields accept numbers, lists, ranges, * and /steps' };
  }
  const times = hours.flatMap((hour) => minutes.map((minute) => hour * 60 + minute));
  const gaps = dailyGaps(times);
  return { ok: true, maxGapMinutes: Math.max(...gaps), minGapMinutes: Math.min(...gaps) };
}

/** Parses `rate(...)` or `cron(...)` and returns the longest time between two runs. */
export function scheduleInterval(expression: string): ScheduleInterval {
  const rate = /^rate\((\S+) (\S+)\)$/.exec(expression.trim());
  if (rate) return rateInterval(rate[1] ?? '', rate[2] ?? '');
  const cron = /^cron\((.+)\)$/.exec(expression.trim());
  if (cron) return cronInterval(cron[1] ?? '');
  return { ok: false, reason: "write 'rate(<n> minutes|hours|days)' or 'cron(<6 fields>)'" };
}
