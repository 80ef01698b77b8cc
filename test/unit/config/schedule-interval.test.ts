import { cronFieldValues, scheduleInterval } from '../../../lib/schedule-interval';

describe('scheduleInterval', () => {
  it.each([
    ['rate(60 minutes)', 60],
    ['rate(1 minute)', 1],
    ['rate(1 hour)', 60],
    ['rate(2 hours)', 120],
    ['rate(1 day)', 1440],
  ])('reads %s as runs %i minutes apart', (expression, minutes) => {
    // Arrange / Act
    const interval = scheduleInterval(expression);

    // Assert
    expect(interval).toEqual({ ok: true, maxGapMinutes: minutes, minGapMinutes: minutes });
  });

  it.each([
    ['rate(1 minutes)', "write 'rate(1 minute)'"],
    ['rate(5 minute)', "write 'rate(5 minutes)'"],
    ['rate(0 minutes)', 'positive integer'],
    ['rate(5 weeks)', 'minute(s), hour(s) or day(s)'],
    ['every hour', "'rate(<n> minutes|hours|days)'"],
  ])('rejects %s explaining why', (expression, reason) => {
    // Arrange / Act
    const interval = scheduleInterval(expression);

    // Assert
    expect(interval.ok).toBe(false);
    expect(interval.ok ? '' : interval.reason).toContain(reason);
  });

  it('measures the longest gap of an hourly cron expression across midnight', () => {
    // Arrange / Act
    const interval = scheduleInterval('cron(15 * * * ? *)');

    // Assert
    expect(interval).toEqual({ ok: true, maxGapMinutes: 60, minGapMinutes: 60 });
  });

  it('measures an uneven cron schedule by its longest and its shortest gap, not its average', () => {
    // Arrange: runs at 00:00, 06:00 and 09:00: 15 hours from 09:00 to midnight, 3 from 06:00 to 09:00
    const expression = 'cron(0 0,6,9 * * ? *)';

    // Act
    const interval = scheduleInterval(expression);

    // Assert
    expect(interval).toEqual({ ok: true, maxGapMinutes: 900, minGapMinutes: 180 });
  });

  it('rejects a cron expression that skips days', () => {
    // Arrange / Act
    const interval = scheduleInterval('cron(0 12 ? * MON-FRI *)');

    // Assert
    expect(interval.ok).toBe(false);
    expect(interval.ok ? '' : interval.reason).toContain('run every day');
  });

  it('rejects a cron expression without six fields', () => {
    // Arrange / Act
    const interval = scheduleInterval('cron(0 * * * *)');

    // Assert
    expect(interval.ok ? '' : interval.reason).toContain('6 fields');
  });
});

describe('cronFieldValues', () => {
  it('expands lists, ranges and steps', () => {
    // Arrange / Act
    const values = cronFieldValues('0-10/5,30,*/20', 59);

    // Assert
    expect(values).toEqual([0, 5, 10, 20, 30, 40]);
  });

  it('returns null for names or values out of range', () => {
    // Arrange / Act / Assert
    expect(cronFieldValues('MON', 59)).toBeNull();
    expect(cronFieldValues('61', 59)).toBeNull();
    expect(cronFieldValues('10-5', 59)).toBeNull();
  });
});
