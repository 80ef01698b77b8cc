import { InvalidEventError, parseInvocationEvent } from '../../../lambda/config/manual-event';

function problemsOf(event: unknown, periodSeconds?: number) {
  try {
    parseInvocationEvent(event, periodSeconds);
  } catch (error) {
    if (error instanceof InvalidEventError) return error.problems;
    throw error;
  }
  throw new Error('expected the event to be rejected');
}

const SCHEDULED_EVENT = {
  version: '0',
  id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '123456789012',
  time: '2026-11-29T12:00:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:events:us-east-1:123456789012:rule/audit'],
  detail: {},
};

describe('parseInvocationEvent', () => {
  it('runs with the deployed defaults on an EventBridge scheduled event', () => {
    // Arrange / Act
    const request = parseInvocationEvent(SCHEDULED_EVENT);

    // Assert
    expect(request).toEqual({ trigger: 'schedule', allChecks: false, dryRun: false });
  });

  it('treats an empty console event as a manual run with the defaults', () => {
    // Arrange / Act
    const request = parseInvocationEvent({});

    // Assert
    expect(request).toEqual({ trigger: 'manual', allChecks: false, dryRun: false });
  });

  it('reads every field of a manual event', () => {
    // Arrange
    const event = {
      apiIds: ['a1b2c3d4e5', 'a1b2c3d4e5', 'zz99yy88xx'],
      regions: ['eu-west-1', 'us-gov-west-1'],
      lookbackMinutes: 180,
      allChecks: true,
      dryRun: true,
    };

    // Act
    const request = parseInvocationEvent(event, 300);

    // Assert
    expect(request).toEqual({
      trigger: 'manual',
      apiIds: ['a1b2c3d4e5', 'zz99yy88xx'],
      regions: ['eu-west-1', 'us-gov-west-1'],
      lookbackMinutes: 180,
      allChecks: true,
      dryRun: true,
    });
  });

  it('lists every offending field of an invalid event, unknown ones included', () => {
    // Arrange: the Lambda console's default test event, plus bad values
    const event = {
      key1: 'value1',
      apiIds: ['ABC', 'a1b2c3d4e5'],
      regions: ['Virginia'],
      lookbackMinutes: 2,
      dryRun: 'yes',
    };

    // Act
    const problems = problemsOf(event);

    // Assert
    expect(problems.map((problem) => problem.field).sort()).toEqual([
      'apiIds.0',
      'dryRun',
      'key1',
      'lookbackMinutes',
      'regions.0',
    ]);
    expect(problems.find((problem) => problem.field === 'lookbackMinutes')?.message).toBe(
      'must be at least 5 minutes',
    );
  });

  it('says which fields exist when an unknown one is sent', () => {
    // Arrange / Act
    const problems = problemsOf({ apiId: 'a1b2c3d4e5' });

    // Assert
    expect(problems).toEqual([
      {
        field: 'apiId',
        message:
          'is not a field this function accepts (apiIds, regions, lookbackMinutes, allChecks, dryRun, commit)',
      },
    ]);
  });

  it.each([['a string'], [42], [['apiIds']]])('rejects %p as not an object', (event) => {
    // Arrange / Act
    const problems = problemsOf(event);

    // Assert
    expect(problems).toEqual([
      { field: '(event)', message: 'must be a JSON object such as {"dryRun": true}' },
    ]);
  });

  it('rejects an empty list of API ids rather than auditing nothing', () => {
    // Arrange / Act
    const problems = problemsOf({ apiIds: [] });

    // Assert
    expect(problems[0]?.field).toBe('apiIds');
  });

  it('rejects a lookback that does not cover whole periods of the deployed period', () => {
    // Arrange / Act
    const problems = problemsOf({ lookbackMinutes: 7 }, 300);

    // Assert
    expect(problems).toEqual([
      { field: 'lookbackMinutes', message: 'must be a multiple of the deployed period (5 minutes)' },
    ]);
  });

  it('puts the offending fields in the error message', () => {
    // Arrange / Act
    const run = () => parseInvocationEvent({ lookbackMinutes: 1.5 });

    // Assert
    expect(run).toThrow('Invalid event: lookbackMinutes: must be a whole number of minutes');
  });

  it.each([
    [{ lookbackMinutes: 5 }, 'lookbackMinutes'],
    [{ allChecks: true }, 'allChecks'],
    [{ apiIds: ['a1b2c3d4e5'] }, 'apiIds'],
    [{ regions: ['eu-west-1'] }, 'regions'],
  ])('makes %j a dry run, since it is not the deployed audit', (event, field) => {
    // Arrange / Act
    const request = parseInvocationEvent(event, 300);

    // Assert
    expect(request.dryRun).toBe(true);
    expect(request.dryRunReason).toBe(
      `a manual run that changes ${field} is a dry run unless "commit": true`,
    );
  });

  it('publishes a narrowed or widened run when it says "commit": true', () => {
    // Arrange / Act
    const request = parseInvocationEvent({ allChecks: true, lookbackMinutes: 60, commit: true }, 300);

    // Assert
    expect(request).toEqual({ trigger: 'manual', allChecks: true, lookbackMinutes: 60, dryRun: false });
  });

  it('keeps the deployed audit run by hand ({}) a real run, as the schedule is', () => {
    expect(parseInvocationEvent({ commit: true })).toEqual({
      trigger: 'manual',
      allChecks: false,
      dryRun: false,
    });
  });

  it('rejects "dryRun": false on a narrowed run without "commit", and commit with dryRun', () => {
    expect(problemsOf({ apiIds: ['a1b2c3d4e5'], dryRun: false })).toEqual([
      { field: 'dryRun', message: expect.stringContaining('add "commit": true') },
    ]);
    expect(problemsOf({ dryRun: true, commit: true })).toEqual([
      { field: 'commit', message: 'cannot be true with "dryRun": true: choose one' },
    ]);
  });

  it('rejects source next to manual fields instead of ignoring dryRun', () => {
    // Arrange / Act
    const problems = problemsOf({ source: 'aws.events', dryRun: true, apiIds: ['a1b2c3d4e5'] });

    // Assert
    expect(problems).toEqual([
      { field: 'dryRun', message: expect.stringContaining('cannot be combined with source') },
      { field: 'apiIds', message: expect.stringContaining('cannot be combined with source') },
    ]);
  });

  it('rejects a source other than the schedule and fields no EventBridge event has', () => {
    expect(problemsOf({ source: 'custom' })).toEqual([
      { field: 'source', message: 'must be aws.events (the schedule), or left out for a manual run' },
    ]);
    expect(problemsOf({ ...SCHEDULED_EVENT, extra: 1 })).toEqual([
      { field: 'extra', message: 'is not a field of an EventBridge scheduled event' },
    ]);
  });
});
