import { InvalidContextError, parseContext } from '../../../lib/context';

function problemsOf(raw: Record<string, unknown>): string[] {
  try {
    parseContext(raw);
  } catch (error) {
    if (error instanceof InvalidContextError) return error.problems;
    throw error;
  }
  throw new Error('expected parseContext to reject the context');
}

describe('parseContext', () => {
  it('gives the documented defaults when no context is set', () => {
    // Arrange / Act
    const context = parseContext({});

    // Assert
    expect(context).toEqual({
      schedule: 'rate(60 minutes)',
      lookbackMinutes: 60,
      periodSeconds: 300,
      thresholds: {},
      timeoutMinutes: 5,
      logRetentionDays: 30,
      reserveConcurrency: true,
      stageAlarms: true,
      alarmThresholds: {},
    });
  });

  it('reads command-line strings as numbers, booleans and lists', () => {
    // Arrange: what `cdk deploy -c key=value` hands the app
    const raw = {
      alertEmail: 'ops@example.com',
      schedule: 'rate(30 minutes)',
      lookbackMinutes: '90',
      periodSeconds: '60',
      regions: 'us-east-1, eu-west-1',
      highErrorRatio: '0.1',
      continuousPeriodShare: '0.75',
      minRequests: '50',
      minSeverity: 'high',
      reminderIntervalHours: '0',
      sendAllClear: 'false',
      timeoutMinutes: '10',
      logRetentionDays: '90',
      reserveConcurrency: 'false',
      stageAlarms: 'false',
      alarmErrorsPerMinute: '2.5',
      alarmDatapoints: '5',
    };

    // Act
    const context = parseContext(raw);

    // Assert
    expect(context).toEqual({
      alertEmail: 'ops@example.com',
      schedule: 'rate(30 minutes)',
      lookbackMinutes: 90,
      periodSeconds: 60,
      regions: ['us-east-1', 'eu-west-1'],
      thresholds: { highErrorRatio: 0.1, continuousPeriodShare: 0.75, minRequests: 50 },
      minSeverity: 'high',
      reminderIntervalHours: 0,
      sendAllClear: false,
      timeoutMinutes: 10,
      logRetentionDays: 90,
      reserveConcurrency: false,
      stageAlarms: false,
      alarmThresholds: { errorsPerMinute: 2.5, datapointsToAlarm: 5 },
    });
  });

  it('names the stage alarm keys and their bounds when their values do not fit', () => {
    // Arrange / Act
    const problems = problemsOf({ alarmErrorsPerMinute: '0', alarmDatapoints: '181', stageAlarms: 'maybe' });

    // Assert
    expect(problems).toEqual([
      "context key 'stageAlarms' = 'maybe' is invalid: expected true or false (false: schedule-only, no stage 5xx alarms)",
      "context key 'alarmErrorsPerMinute' = '0' is invalid: expected a number of 5xx per minute greater than 0",
      "context key 'alarmDatapoints' = '181' is invalid: expected a whole number of minutes from 1 to 180",
    ]);
  });

  it('accepts JSON values from cdk.json', () => {
    // Arrange / Act
    const context = parseContext({ regions: ['ap-southeast-2'], highErrorRatio: 1, sendAllClear: true });

    // Assert
    expect(context.regions).toEqual(['ap-southeast-2']);
    expect(context.thresholds).toEqual({ highErrorRatio: 1 });
    expect(context.sendAllClear).toBe(true);
  });

  it('names the key and what it allows when the email is invalid', () => {
    // Arrange / Act
    const problems = problemsOf({ alertEmail: 'ops-at-example' });

    // Assert
    expect(problems).toEqual([
      "context key 'alertEmail' = 'ops-at-example' is invalid: expected an email address, e.g. ops@example.com",
    ]);
  });

  it('explains why a schedule expression is refused', () => {
    // Arrange / Act
    const problems = problemsOf({ schedule: 'rate(1 minutes)' });

    // Assert
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain("context key 'schedule' = 'rate(1 minutes)' is invalid");
    expect(problems[0]).toContain("write 'rate(1 minute)'");
  });

  it.each([
    ['highErrorRatio', '0', 'greater than 0 and at most 1'],
    ['highErrorRatio', '1.5', 'greater than 0 and at most 1'],
    ['continuousPeriodShare', 'half', 'greater than 0 and at most 1'],
    ['minRequests', '-3', 'a positive integer'],
    ['lookbackMinutes', '2000', 'an integer from 5 to 1440'],
    ['periodSeconds', '90', 'a multiple of 60'],
    ['regions', 'us-east-1,Frankfurt', 'Region names'],
    ['minSeverity', 'urgent', 'one of critical, high, medium, low, info'],
    ['sendAllClear', 'yes', 'true or false'],
    ['logRetentionDays', '10', 'one of 1, 3, 5, 7, 14, 30'],
    ['existingTopicArn', 'my-topic', 'an SNS topic ARN'],
  ])('rejects %s = %s naming what is allowed', (key, value, allowed) => {
    // Arrange / Act
    const problems = problemsOf({ [key]: value });

    // Assert
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`context key '${key}'`);
    expect(problems[0]).toContain(allowed);
  });

  it('refuses a lookback shorter than the time between runs, which would leave minutes unaudited', () => {
    // Arrange / Act
    const problems = problemsOf({ schedule: 'rate(2 hours)', lookbackMinutes: '60' });

    // Assert
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain("context key 'lookbackMinutes' = 60 is shorter than the longest gap");
    expect(problems[0]).toContain('120 minutes');
  });

  it('refuses the default lookback under a daily schedule', () => {
    // Arrange / Act
    const problems = problemsOf({ schedule: 'cron(0 6 * * ? *)' });

    // Assert
    expect(problems[0]).toContain('lookbackMinutes >= 1440');
  });

  it('refuses a lookback that is not a whole number of periods', () => {
    // Arrange / Act
    const problems = problemsOf({ lookbackMinutes: '62' });

    // Assert
    expect(problems).toEqual([
      "context key 'lookbackMinutes': lookbackMinutes (62) must be a whole number of periods of periodSeconds (300 s)",
    ]);
  });

  it('lists every problem at once', () => {
    // Arrange / Act
    const problems = problemsOf({ alertEmail: 'x', minRequests: '0', timeoutMinutes: '20' });

    // Assert
    expect(problems.map((problem) => problem.split("'")[1])).toEqual([
      'alertEmail',
      'minRequests',
      'timeoutMinutes',
    ]);
  });

  it('ignores keys it does not own, such as feature flags', () => {
    // Arrange / Act
    const context = parseContext({ '@aws-cdk/core:validateAgainstDefaultRules': true });

    // Assert
    expect(context.schedule).toBe('rate(60 minutes)');
  });

  it('names the access-log prefix key and what it allows when the prefix is a wildcard', () => {
    expect(problemsOf({ accessLogGroupPrefix: '*' })).toEqual([
      expect.stringMatching(
        /^context key 'accessLogGroupPrefix' = '\*' is invalid: expected the start of your access log groups' names/,
      ),
    ]);
  });
});
