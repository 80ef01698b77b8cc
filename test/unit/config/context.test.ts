import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTEXT_KEYS, type DeployTarget, InvalidContextError, parseContext } from '../../../lib/context';

function problemsOf(raw: Record<string, unknown>, target: DeployTarget = {}): string[] {
  try {
    parseContext(raw, target);
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
      settings: {},
      timeoutMinutes: 5,
      logRetentionDays: 30,
      reserveConcurrency: false,
      stageAlarms: true,
      alarmThresholds: {},
      incompleteRunsToAlarm: 2,
      subscriptionProtocols: ['email', 'sqs', 'lambda', 'https'],
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
      reserveConcurrency: 'true',
      stageAlarms: 'false',
      alarmErrorsPerMinute: '2.5',
      alarmDatapoints: '5',
      incompleteRunsToAlarm: '3',
      subscriptionProtocols: 'email, sqs',
    };

    // Act
    const context = parseContext(raw);

    // Assert
    expect(context).toEqual({
      alertEmail: 'ops@example.com',
      schedule: 'rate(30 minutes)',
      lookbackMinutes: 90,
      periodSeconds: 60,
      settings: {
        lookbackMinutes: 90,
        periodSeconds: 60,
        regions: ['us-east-1', 'eu-west-1'],
        highErrorRatio: 0.1,
        continuousPeriodShare: 0.75,
        minRequests: 50,
        minSeverity: 'high',
        reminderIntervalHours: 0,
        sendAllClear: false,
      },
      timeoutMinutes: 10,
      logRetentionDays: 90,
      reserveConcurrency: true,
      stageAlarms: false,
      alarmThresholds: { errorsPerMinute: 2.5, datapointsToAlarm: 5 },
      incompleteRunsToAlarm: 3,
      subscriptionProtocols: ['email', 'sqs'],
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
    expect(context.settings).toEqual({ regions: ['ap-southeast-2'], highErrorRatio: 1, sendAllClear: true });
  });

  it('refuses an existing topic in another Region than the stack, naming the key', () => {
    // Arrange
    const raw = { existingTopicArn: 'arn:aws:sns:us-east-1:123456789012:ops' };

    // Act
    const problems = problemsOf(raw, { region: 'eu-west-1' });

    // Assert
    expect(problems).toEqual([
      "context key 'existingTopicArn' = 'arn:aws:sns:us-east-1:123456789012:ops' is in us-east-1, not in the " +
        "stack's Region eu-west-1: CloudWatch alarms notify only a topic of their own Region",
    ]);
  });

  it('accepts an existing standard topic in the stack’s Region', () => {
    // Arrange
    const raw = { existingTopicArn: 'arn:aws:sns:eu-west-1:123456789012:ops' };

    // Act
    const context = parseContext(raw, { region: 'eu-west-1' });

    // Assert
    expect(context.settings.topicArn).toBe('arn:aws:sns:eu-west-1:123456789012:ops');
  });

  it('refuses an existing FIFO topic, naming the key', () => {
    // Arrange
    const raw = { existingTopicArn: 'arn:aws:sns:eu-west-1:123456789012:ops.fifo' };

    // Act
    const problems = problemsOf(raw, { region: 'eu-west-1' });

    // Assert
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^context key 'existingTopicArn' = '.*ops\.fifo' is a FIFO topic: /);
  });

  it('refuses a subscription protocol SNS does not offer, and an empty list', () => {
    // Arrange / Act
    const unknown = problemsOf({ subscriptionProtocols: 'email,smtp' });
    const none = problemsOf({ subscriptionProtocols: [] });

    // Assert
    expect(unknown).toEqual([
      "context key 'subscriptionProtocols' = 'email,smtp' is invalid: expected SNS protocols separated by " +
        'commas, from http, https, email, email-json, sms, sqs, application, lambda, firehose',
    ]);
    expect(none).toHaveLength(1);
  });

  it('refuses an incomplete-run count below 1', () => {
    // Arrange / Act
    const problems = problemsOf({ incompleteRunsToAlarm: '0' });

    // Assert
    expect(problems[0]).toMatch(
      /^context key 'incompleteRunsToAlarm' = '0' is invalid: expected an integer from 1/,
    );
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
    expect(problems.map((problem) => problem.split("'")[1]).sort()).toEqual([
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

  it('turns on central mode with organization=true, the default member role and concurrency', () => {
    // Arrange / Act
    const context = parseContext({
      organization: 'true',
      orgUnitIds: 'ou-ab12-cdef3456, r-ab12',
      orgAuditRoleName: 'AuditorCentral',
    });

    // Assert
    expect(context.organization).toEqual({
      memberRoleName: 'ApiNetworkAuditorMember',
      maxConcurrency: 10,
      auditRoleName: 'AuditorCentral',
      organizationalUnitIds: ['ou-ab12-cdef3456', 'r-ab12'],
    });
  });

  it('takes the execution-log opt-in and the alarm runs per window, and refuses an out-of-range cap', () => {
    // Arrange / Act
    const context = parseContext({
      organization: 'true',
      orgSearchExecutionLogs: 'true',
      orgAlarmRunsPerWindow: '5',
    });

    // Assert
    expect(context.organization).toMatchObject({ searchExecutionLogs: true, alarmRunsPerWindow: 5 });
    expect(() => parseContext({ organization: 'true', orgAlarmRunsPerWindow: '0' })).toThrow(
      /orgAlarmRunsPerWindow/,
    );
    expect(() => parseContext({ orgSearchExecutionLogs: 'true' })).toThrow(/need 'organization' = true/);
  });

  it("takes the organization's id for the alarm path's bus policy, and names a malformed one", () => {
    // Arrange / Act
    const context = parseContext({ organization: 'true', orgId: 'o-abcd123456' });

    // Assert
    expect(context.organization?.organizationId).toBe('o-abcd123456');
    expect(problemsOf({ organization: true, orgId: 'abcd123456' })).toEqual([
      expect.stringMatching(/^context key 'orgId' = 'abcd123456' is invalid: expected the organization's id/),
    ]);
    expect(problemsOf({ orgId: 'o-abcd123456' })).toEqual([
      "context key(s) 'orgId' need 'organization' = true",
    ]);
  });

  it('stays single-account without organization=true (the twin)', () => {
    // Arrange / Act / Assert
    expect(parseContext({ organization: 'false' }).organization).toBeUndefined();
  });

  it('names org keys given without organization=true, and accounts given with units', () => {
    // Arrange / Act / Assert
    expect(problemsOf({ orgAccounts: '111111111111' })).toEqual([
      "context key(s) 'orgAccounts' need 'organization' = true",
    ]);
    expect(
      problemsOf({ organization: true, orgAccounts: '111111111111', orgUnitIds: 'ou-ab12-cdef3456' }),
    ).toEqual(["context keys 'orgAccounts' and 'orgUnitIds': give one or the other, not both"]);
    expect(problemsOf({ organization: true, orgAccounts: '1111,222222222222' })).toEqual([
      expect.stringMatching(
        /^context key 'orgAccounts' = '1111,222222222222' is invalid: expected 12-digit account ids/,
      ),
    ]);
  });

  it('has every key it reads documented in docs/configuration.md: the stack’s table or the settings’', () => {
    // Arrange
    const section = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'configuration.md'), 'utf8');
    const rows = section.split('\n').filter((line) => /^\| `\w+`\s+\|/.test(line));

    // Act
    const documented = Object.keys(CONTEXT_KEYS).filter(
      (key) => rows.some((line) => line.startsWith(`| \`${key}\``)) || section.includes(`| \`${key}\` |`),
    );

    // Assert
    expect(documented.sort()).toEqual(Object.keys(CONTEXT_KEYS).sort());
    expect(rows.find((line) => line.startsWith('| `reserveConcurrency`'))).toMatch(/\| `false` /);
  });
});
