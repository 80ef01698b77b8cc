import { isCloudWatchEvent, parseAlarmEvent, stageOfContributor } from '../../../lambda/config/alarm-event';
import { InvalidEventError } from '../../../lambda/config/manual-event';
import dynamoDbContributor from '../../fixtures/alarm-events/dynamodb-contributor-alarm.json';
import httpAlarmStateChange from '../../fixtures/alarm-events/http-alarm-state-change.json';
import httpContributor from '../../fixtures/alarm-events/http-contributor-alarm.json';
import restContributor from '../../fixtures/alarm-events/rest-contributor-alarm.json';

function problemsOf(event: unknown) {
  try {
    parseAlarmEvent(event);
  } catch (error) {
    if (error instanceof InvalidEventError) return error.problems;
    throw error;
  }
  throw new Error('expected the event to be rejected');
}

const withDetail = (event: typeof httpContributor, detail: Record<string, unknown>) => ({
  ...event,
  detail: { ...event.detail, ...detail },
});

describe('parseAlarmEvent', () => {
  it('reads the REST stage a recorded contributor event names (ApiName and Stage)', () => {
    // Arrange / Act
    const request = parseAlarmEvent(restContributor);

    // Assert
    expect(request).toEqual({
      trigger: 'alarm',
      alarmName: 'ApiNetworkAuditor-RestStage5xx',
      contributorId: '6d442278dba546f6',
      eventTime: '2025-12-01T13:42:04Z',
      region: 'us-east-1',
      stages: [{ apiType: 'REST', apiKey: 'payments-rest', stage: 'live' }],
      allChecks: false,
      dryRun: false,
    });
  });

  it('reads the HTTP stage a recorded contributor event names (ApiId and Stage)', () => {
    // Arrange / Act
    const request = parseAlarmEvent(httpContributor);

    // Assert
    expect(request.stages).toEqual([{ apiType: 'HTTP', apiKey: 'a1b2c3d4e5', stage: 'prod' }]);
    expect(request.region).toBe('us-east-1');
  });

  it('refuses the alarm-level state change, which names no stage, and says which event to send', () => {
    // Arrange / Act
    const problems = problemsOf(httpAlarmStateChange);

    // Assert
    expect(problems).toEqual([
      {
        field: 'detail-type',
        message: expect.stringContaining("'CloudWatch Alarm Contributor State Change'"),
      },
    ]);
  });

  it('refuses an unrelated alarm’s contributor (the documented DynamoDB example)', () => {
    // Arrange / Act
    const problems = problemsOf(dynamoDbContributor);

    // Assert
    expect(problems).toEqual([
      { field: 'detail.configuration.metrics', message: expect.stringContaining('"AWS/ApiGateway"') },
    ]);
  });

  it('refuses a contributor back to OK: only ALARM asks for a diagnosis', () => {
    // Arrange
    const event = withDetail(httpContributor, { state: { ...httpContributor.detail.state, value: 'OK' } });

    // Act
    const problems = problemsOf(event);

    // Assert
    expect(problems).toEqual([{ field: 'detail.state.value', message: expect.stringMatching(/^is OK/) }]);
  });

  it('names every malformed field of the envelope', () => {
    // Arrange
    const event = { ...httpContributor, account: 'me', region: 'Mars', time: 'yesterday' };

    // Act
    const problems = problemsOf(event);

    // Assert
    expect(problems.map((problem) => problem.field).sort()).toEqual(['account', 'region', 'time']);
  });

  it('refuses a contributor without attributes, and another CloudWatch event type', () => {
    // Arrange
    const noContributor = withDetail(httpContributor, { alarmContributor: undefined });
    const configChange = { ...httpContributor, 'detail-type': 'CloudWatch Alarm Configuration Change' };

    // Act / Assert
    expect(problemsOf(noContributor)).toEqual([
      { field: 'detail.alarmContributor', message: expect.any(String) },
    ]);
    expect(problemsOf(configChange)).toEqual([
      { field: 'detail-type', message: expect.stringContaining('not a stage alarm') },
    ]);
  });

  it('tells CloudWatch events from the others by their source', () => {
    // Arrange / Act / Assert
    expect(isCloudWatchEvent(httpContributor)).toBe(true);
    expect(isCloudWatchEvent({ source: 'aws.events' })).toBe(false);
    expect(isCloudWatchEvent({ dryRun: true })).toBe(false);
    expect(isCloudWatchEvent(null)).toBe(false);
  });
});

describe('stageOfContributor', () => {
  it('refuses attributes that are not exactly an API and a stage, without echoing long names', () => {
    // Arrange
    const extra = { ApiId: 'a1b2c3d4e5', Stage: 'prod', Method: 'GET' };
    const long = { [`X${'y'.repeat(300)}`]: 'v' };

    // Act
    const problemsExtra = problemsOf(
      withDetail(httpContributor, { alarmContributor: { id: 'c1', attributes: extra } }),
    );
    const problemsLong = problemsOf(
      withDetail(httpContributor, { alarmContributor: { id: 'c1', attributes: long } }),
    );

    // Assert
    expect(problemsExtra[0]?.message).toContain('3 attribute(s)');
    expect(problemsLong[0]?.message.length).toBeLessThan(300);
  });

  it('refuses an HTTP API id or a stage name API Gateway would never produce', () => {
    // Arrange / Act / Assert
    expect(() => stageOfContributor({ ApiId: 'not-an-id', Stage: 'prod' })).toThrow(/ApiId: must be/);
    expect(() => stageOfContributor({ ApiName: 'shop', Stage: 'prod\nline' })).toThrow(/Stage: must be/);
    expect(stageOfContributor({ ApiId: 'a1b2c3d4e5', Stage: '$default' })).toEqual({
      apiType: 'HTTP',
      apiKey: 'a1b2c3d4e5',
      stage: '$default',
    });
  });
});
