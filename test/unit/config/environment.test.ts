import { InvalidEnvironmentError, parseEnvironment } from '../../../lambda/config/environment';

const MINIMAL = {
  AWS_REGION: 'eu-west-1',
  TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:findings',
  STATE_TABLE_NAME: 'auditor-state',
};

describe('parseEnvironment', () => {
  it('audits the function’s own Region with the default settings when only the required variables are set', () => {
    // Arrange / Act
    const environment = parseEnvironment(MINIMAL);

    // Assert
    expect(environment).toEqual({
      settings: expect.objectContaining({ allChecks: false, lookbackMinutes: 60 }),
      region: 'eu-west-1',
      auditRegions: ['eu-west-1'],
      lookbackMinutes: 60,
      periodSeconds: 300,
      thresholds: {
        highErrorRatio: 0.05,
        continuousPeriodShare: 0.5,
        minRequests: 100,
        transientErrorRatio: 0.001,
      },
      topicArn: 'arn:aws:sns:eu-west-1:123456789012:findings',
      stateTableName: 'auditor-state',
      notify: { minSeverity: 'medium', reminderIntervalHours: 24, sendAllClear: true },
    });
  });

  it('reads every variable the construct sets', () => {
    // Arrange
    const env = {
      ...MINIMAL,
      AUDIT_REGIONS: 'us-east-1, eu-west-1,us-east-1',
      LOOKBACK_MINUTES: '120',
      PERIOD_SECONDS: '60',
      THRESHOLDS: '{"highErrorRatio":0.2,"minRequests":10,"transientErrorRatio":0.002}',
      MIN_SEVERITY: 'high',
      REMINDER_INTERVAL_HOURS: '0',
      SEND_ALL_CLEAR: 'false',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:5000',
    };

    // Act
    const environment = parseEnvironment(env);

    // Assert
    expect(environment).toEqual({
      settings: expect.objectContaining({ lookbackMinutes: 120, minRequests: 10 }),
      region: 'eu-west-1',
      auditRegions: ['us-east-1', 'eu-west-1'],
      lookbackMinutes: 120,
      periodSeconds: 60,
      thresholds: {
        highErrorRatio: 0.2,
        continuousPeriodShare: 0.5,
        minRequests: 10,
        transientErrorRatio: 0.002,
      },
      topicArn: 'arn:aws:sns:eu-west-1:123456789012:findings',
      stateTableName: 'auditor-state',
      notify: { minSeverity: 'high', reminderIntervalHours: 0, sendAllClear: false },
      endpoint: 'http://127.0.0.1:5000',
    });
  });

  it('names every variable that is missing or malformed', () => {
    // Arrange
    const env = { AWS_REGION: 'eu-west-1', THRESHOLDS: '{"highErrorRatio":', LOOKBACK_MINUTES: 'an hour' };

    // Act
    let problems: string[] = [];
    try {
      parseEnvironment(env);
    } catch (error) {
      if (error instanceof InvalidEnvironmentError) problems = error.problems;
    }

    // Assert
    expect(problems.map((problem) => problem.split(' ')[0]).sort()).toEqual([
      'LOOKBACK_MINUTES',
      'STATE_TABLE_NAME',
      'THRESHOLDS',
      'TOPIC_ARN',
    ]);
  });

  it('rejects thresholds outside their range', () => {
    // Arrange
    const env = { ...MINIMAL, THRESHOLDS: '{"highErrorRatio":2}' };

    // Act / Assert
    expect(() => parseEnvironment(env)).toThrow('THRESHOLDS.highErrorRatio');
  });

  it('reads the access-log prefix and names the variable when it is not usable', () => {
    expect(parseEnvironment({ ...MINIMAL, ACCESS_LOG_GROUP_PREFIX: '/apigw/' }).accessLogGroupPrefix).toBe(
      '/apigw/',
    );
    expect(() => parseEnvironment({ ...MINIMAL, ACCESS_LOG_GROUP_PREFIX: '/apigw/*' })).toThrow(
      /ACCESS_LOG_GROUP_PREFIX may hold only the characters of a log group name/,
    );
  });
});

describe('parseEnvironment SUPPRESSIONS', () => {
  it('reads the same mute rules and excluded checks as the CLI --mute-file', () => {
    const suppressions = {
      excludeChecks: ['client-retries'],
      mutes: [
        { checkId: 'vpc-flow-logs', resource: 'arn:*:legacy-*', reason: 'retired', expires: '2027-01-31' },
      ],
    };
    expect(parseEnvironment({ ...MINIMAL, SUPPRESSIONS: JSON.stringify(suppressions) }).suppressions).toEqual(
      suppressions,
    );
    expect(parseEnvironment(MINIMAL).suppressions).toBeUndefined();
  });

  it('fails naming SUPPRESSIONS when a rule has no reason or names no real check', () => {
    const run = (value: string) => () => parseEnvironment({ ...MINIMAL, SUPPRESSIONS: value });
    expect(run('{"mutes": [{"checkId": "vpc-flow-logs"}]}')).toThrow(/SUPPRESSIONS: mutes\.0\.reason/);
    expect(run('{"excludeChecks": ["nope"]}')).toThrow(/SUPPRESSIONS: no such check: nope/);
  });
});
