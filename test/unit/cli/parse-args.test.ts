import { type AuditOptions, parseCliArgs } from '../../../lambda/cli/parse-args';

function auditOptions(argv: string[]): AuditOptions {
  const outcome = parseCliArgs(argv);
  if (!outcome.ok) throw new Error(`expected ${argv.join(' ')} to parse, got: ${outcome.message}`);
  if (outcome.command.kind !== 'audit') throw new Error(`expected an audit, got ${outcome.command.kind}`);
  return outcome.command.options;
}

function errorOf(argv: string[]): string {
  const outcome = parseCliArgs(argv);
  if (outcome.ok) throw new Error(`expected ${argv.join(' ')} to be refused`);
  return outcome.message;
}

describe('parseCliArgs', () => {
  it('audits with the documented defaults when given no flags', () => {
    // Act
    const options = auditOptions([]);

    // Assert
    expect(options).toEqual({
      regions: [],
      lookbackMinutes: 60,
      periodSeconds: 300,
      apiIds: [],
      allChecks: false,
      thresholds: { highErrorRatio: 0.05, continuousPeriodShare: 0.5, minRequests: 100 },
      format: 'text',
      failOn: 'low',
      color: true,
    });
  });

  it('reads every audit flag', () => {
    // Arrange
    const argv = [
      '--region',
      'us-east-1',
      '--region',
      'eu-west-1',
      '--region',
      'us-east-1',
      '--endpoint-url',
      'http://127.0.0.1:5000',
      '--lookback-minutes',
      '30',
      '--period-seconds',
      '60',
      '--api',
      'a1',
      '--api',
      'b2',
      '--checks',
      'all',
      '--format',
      'markdown',
      '--output',
      'report.md',
      '--fail-on',
      'high',
      '--no-color',
      '--publish',
      '--topic-arn',
      'arn:aws:sns:eu-west-1:123456789012:audit',
      '--state-table',
      'audit-state',
      '--high-error-ratio',
      '0.1',
      '--continuous-period-share',
      '0.75',
      '--min-requests',
      '500',
    ];

    // Act
    const options = auditOptions(argv);

    // Assert
    expect(options).toEqual({
      regions: ['us-east-1', 'eu-west-1'],
      endpointUrl: 'http://127.0.0.1:5000',
      lookbackMinutes: 30,
      periodSeconds: 60,
      apiIds: ['a1', 'b2'],
      allChecks: true,
      thresholds: { highErrorRatio: 0.1, continuousPeriodShare: 0.75, minRequests: 500 },
      format: 'markdown',
      outputFile: 'report.md',
      failOn: 'high',
      color: false,
      publish: { topicArn: 'arn:aws:sns:eu-west-1:123456789012:audit', stateTableName: 'audit-state' },
    });
  });

  it('accepts the --flag=value form and triage as an explicit choice', () => {
    expect(auditOptions(['--checks=triage', '--format=json', '--fail-on=none'])).toMatchObject({
      allChecks: false,
      format: 'json',
      failOn: 'none',
    });
  });

  it('publishes without state when --state-table is absent', () => {
    expect(
      auditOptions(['--publish', '--topic-arn', 'arn:aws:sns:us-east-1:123456789012:t']).publish,
    ).toEqual({
      topicArn: 'arn:aws:sns:us-east-1:123456789012:t',
    });
  });

  it.each([
    [['--help'], 'help'],
    [['-h'], 'help'],
    [['--version'], 'version'],
    [['-V'], 'version'],
    [['--region', 'us-east-1', '--help'], 'help'],
  ])('recognises %j as the %s command', (argv, kind) => {
    const outcome = parseCliArgs(argv);
    expect(outcome.ok && outcome.command.kind).toBe(kind);
  });

  it('lists checks in the chosen format', () => {
    expect(parseCliArgs(['--list-checks', '--format', 'json', '--output', 'checks.json'])).toEqual({
      ok: true,
      command: { kind: 'list-checks', format: 'json', outputFile: 'checks.json', color: true },
    });
  });

  it.each([
    [['--bogus'], "Unknown option '--bogus'"],
    [['stray'], 'stray'],
    [['--region'], "Option '--region <value>' argument missing"],
    [['--region', 'useast1'], "--region 'useast1' is not a Region name"],
    [['--lookback-minutes', 'abc'], '--lookback-minutes must be a whole number'],
    [['--lookback-minutes', '1.5'], '--lookback-minutes must be a whole number'],
    [['--lookback-minutes', '0'], '--lookback-minutes must be greater than 0'],
    [['--lookback-minutes', '20000'], '--lookback-minutes must be at most 10080'],
    [['--period-seconds', '90'], '--period-seconds must be a multiple of 60'],
    [
      ['--lookback-minutes', '5', '--period-seconds', '600'],
      '--lookback-minutes must cover at least one period',
    ],
    [['--checks', 'some'], '--checks must be triage or all'],
    [['--format', 'xml'], '--format must be text, json or markdown'],
    [['--fail-on', 'severe'], '--fail-on must be one of critical, high, medium, low, info, none'],
    [['--endpoint-url', 'localhost'], '--endpoint-url must be a URL'],
    [['--output', ''], '--output needs a file name'],
    [['--no-color=false'], "Option '--no-color' does not take an argument"],
  ])('refuses %j with a message that names the problem', (argv, message) => {
    expect(errorOf(argv)).toContain(message);
  });

  it('reads --end-time as the end of the window, and refuses a time that is not ISO 8601', () => {
    expect(auditOptions(['--end-time', '2026-11-29T12:00:00+01:00']).endTime).toEqual(
      new Date('2026-11-29T11:00:00Z'),
    );
    expect(auditOptions([]).endTime).toBeUndefined();
    expect(errorOf(['--end-time', 'yesterday'])).toContain('--end-time must be an ISO 8601 time');
  });

  it.each([
    [['--high-error-ratio', '0'], '--high-error-ratio must be greater than 0 and at most 1'],
    [['--high-error-ratio', 'lots'], '--high-error-ratio must be a number'],
    [['--continuous-period-share', '1.5'], '--continuous-period-share must be greater than 0 and at most 1'],
    [['--min-requests=0'], '--min-requests must be greater than 0'],
  ])('refuses thresholds out of range: %j', (argv, message) => {
    expect(errorOf(argv)).toContain(message);
  });

  it('refuses --publish without --topic-arn', () => {
    expect(errorOf(['--publish'])).toBe('--publish needs --topic-arn ARN');
  });

  it('refuses --topic-arn or --state-table without --publish', () => {
    expect(errorOf(['--topic-arn', 'arn:aws:sns:us-east-1:123456789012:t'])).toContain(
      'only used with --publish',
    );
    expect(errorOf(['--state-table', 'state'])).toContain('only used with --publish');
  });

  it('refuses a topic ARN that is not an SNS topic', () => {
    expect(errorOf(['--publish', '--topic-arn', 'arn:aws:sqs:us-east-1:123456789012:q'])).toContain(
      '--topic-arn must be an SNS topic ARN',
    );
  });

  it('refuses audit flags combined with --list-checks', () => {
    expect(errorOf(['--list-checks', '--region', 'us-east-1', '--checks', 'all'])).toBe(
      '--list-checks takes only --format, --output and --no-color (got --region, --checks)',
    );
  });

  it('reports every invalid value at once', () => {
    expect(errorOf(['--format', 'xml', '--checks', 'some']).split('\n')).toHaveLength(2);
  });

  it('reads --access-log-group-prefix and refuses one that is not usable', () => {
    expect(auditOptions(['--access-log-group-prefix', '/apigw/']).accessLogGroupPrefix).toBe('/apigw/');
    expect(errorOf(['--access-log-group-prefix', 'API-Gateway-Execution'])).toMatch(
      /^--access-log-group-prefix must not cover API Gateway's execution log groups/,
    );
  });
});
