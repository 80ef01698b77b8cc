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
      apis: [],
      allChecks: false,
      thresholds: {
        highErrorRatio: 0.05,
        continuousPeriodShare: 0.5,
        minRequests: 100,
        transientErrorRatio: 0.001,
      },
      output: { kind: 'stdout', format: 'text' },
      failOn: 'causes',
      color: true,
      wide: false,
      quiet: false,
      excludeChecks: [],
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
      'a1b2c3d4e5',
      '--api',
      'f6g7h8i9j0',
      '--profile',
      'audit',
      '--wide',
      '--quiet',
      '--exclude-checks',
      'client-retries,vpc-flow-logs',
      '--exclude-checks',
      'client-retries',
      '--mute-file',
      'mutes.json',
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
      '--transient-error-ratio',
      '0.002',
    ];

    // Act
    const options = auditOptions(argv);

    // Assert
    expect(options).toEqual({
      regions: ['us-east-1', 'eu-west-1'],
      endpointUrl: 'http://127.0.0.1:5000',
      lookbackMinutes: 30,
      periodSeconds: 60,
      apis: ['a1b2c3d4e5', 'f6g7h8i9j0'],
      allChecks: true,
      thresholds: {
        highErrorRatio: 0.1,
        continuousPeriodShare: 0.75,
        minRequests: 500,
        transientErrorRatio: 0.002,
      },
      output: { kind: 'file', format: 'markdown', path: 'report.md' },
      failOn: 'high',
      color: false,
      wide: true,
      quiet: true,
      excludeChecks: ['client-retries', 'vpc-flow-logs'],
      muteFile: 'mutes.json',
      profile: 'audit',
      publish: { topicArn: 'arn:aws:sns:eu-west-1:123456789012:audit', stateTableName: 'audit-state' },
    });
  });

  it('accepts the --flag=value form and triage as an explicit choice', () => {
    expect(auditOptions(['--checks=triage', '--format=json', '--fail-on=none'])).toMatchObject({
      allChecks: false,
      output: { kind: 'stdout', format: 'json' },
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
    [['--bogus'], 'unknown option --bogus'],
    [['stray'], "unexpected argument 'stray'"],
    [['--region'], '--region needs a value'],
    [['--region', 'useast1'], '--region must be a Region name such as us-east-1'],
    [['--api', 'bad\u0007name'], '--api must be an API id or name (1-1024 printable characters)'],
    [['--lookback-minutes', 'abc'], '--lookback-minutes must be a number'],
    [['--lookback-minutes', '1.5'], '--lookback-minutes must be a whole number of minutes'],
    [['--lookback-minutes', '0'], '--lookback-minutes must be at least 5 minutes'],
    [['--lookback-minutes', '-1'], '--lookback-minutes must be at least 5 minutes'],
    [['--lookback-minutes', '20000'], '--lookback-minutes must be at most 1440 minutes'],
    [['--period-seconds', '90'], '--period-seconds must be a multiple of 60'],
    [['--period-seconds', '7200'], '--period-seconds must be at most 3600 seconds'],
    [
      ['--lookback-minutes', '5', '--period-seconds', '600'],
      '--lookback-minutes must be a multiple of --period-seconds (10 minutes)',
    ],
    [['--checks', 'some'], '--checks must be triage or all'],
    [['--format', 'xml'], '--format must be one of text, json'],
    [['--fail-on', 'severe'], '--fail-on must be one of causes, critical, high, medium, low, info, none'],
    [['--endpoint-url', 'localhost'], '--endpoint-url must be a URL'],
    [['--output', ''], '--output needs a file name'],
    [['--no-color=false'], '--no-color takes no value'],
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

  it.each([
    ['--regoin', '--region'],
    ['--lookback-minute', '--lookback-minutes'],
    ['--formt=json', '--format'],
    ['--prfile', '--profile'],
  ])('suggests the flag nearest to %s', (typo, flag) => {
    expect(errorOf([typo, 'x'])).toBe(`unknown option ${typo.split('=')[0]} (did you mean ${flag}?)`);
  });

  it('suggests nothing for an option unlike every flag', () => {
    expect(errorOf(['--zzzzzzzzzz'])).toBe('unknown option --zzzzzzzzzz');
  });

  it('takes an API by id (AWS: 10 characters; the emulator: 8) or by name', () => {
    expect(auditOptions(['--api', 'a1b2c3d4e5', '--api', 'k7w2ab9q', '--api', 'orders api']).apis).toEqual([
      'a1b2c3d4e5',
      'k7w2ab9q',
      'orders api',
    ]);
  });

  it('writes several formats, one file each, into --output-dir', () => {
    expect(auditOptions(['--format', 'json', '--format', 'csv', '--output-dir', 'out']).output).toEqual({
      kind: 'directory',
      formats: ['json', 'csv'],
      path: 'out',
    });
    expect(auditOptions(['--format', 'json', '--output-dir', 'out']).output).toEqual({
      kind: 'directory',
      formats: ['json'],
      path: 'out',
    });
  });

  it.each([
    [
      ['--format', 'json', '--format', 'csv'],
      '--format json, csv: several formats need --output-dir DIR (one file per format)',
    ],
    [
      ['--format', 'json', '--format', 'csv', '--output', 'r.json'],
      '--format json, csv: several formats need --output-dir DIR (one file per format)',
    ],
    [['--output', 'r.json', '--output-dir', 'out'], '--output and --output-dir: give one or the other'],
    [
      ['--list-checks', '--format', 'json', '--format', 'text'],
      '--list-checks prints one of text, json, markdown',
    ],
  ])('never keeps only the last of several formats: refuses %j', (argv, message) => {
    expect(errorOf(argv)).toContain(message);
  });

  it('takes the lookback range of the Lambda event, and every API id the event takes (names too)', () => {
    // Arrange: values the Lambda's schema accepts and refuses
    const { parseInvocationEvent } =
      require('../../../lambda/config/manual-event') as typeof import('../../../lambda/config/manual-event');
    const cases = [
      { lookbackMinutes: 4, apiId: 'a1b2c3d4e5' },
      { lookbackMinutes: 1440, apiId: 'a1b2c3d4e5' },
      { lookbackMinutes: 1445, apiId: 'a1b2c3d4e5' },
      { lookbackMinutes: 7, apiId: 'a1b2c3d4e5' },
      { lookbackMinutes: 60, apiId: 'k7w2ab9q' },
    ];

    for (const { lookbackMinutes, apiId } of cases) {
      // Act
      const lambdaAccepts = (() => {
        try {
          parseInvocationEvent({ lookbackMinutes, apiIds: [apiId] }, 300);
          return true;
        } catch {
          return false;
        }
      })();
      const cliAccepts = parseCliArgs(['--lookback-minutes', String(lookbackMinutes), '--api', apiId]).ok;

      // Assert
      expect({ lookbackMinutes, apiId, accepted: cliAccepts }).toEqual({
        lookbackMinutes,
        apiId,
        accepted: lambdaAccepts,
      });
    }
  });

  it('prints the IAM policy with --print-iam-policy, and refuses it with other flags', () => {
    expect(parseCliArgs(['--print-iam-policy'])).toEqual({ ok: true, command: { kind: 'print-iam-policy' } });
    expect(errorOf(['--print-iam-policy', '--region', 'us-east-1'])).toBe(
      '--print-iam-policy takes no other flag than --role-name and --accounts (got --region)',
    );
  });

  it('prints the caller policy of an organization audit with --print-iam-policy --role-name', () => {
    expect(
      parseCliArgs([
        '--print-iam-policy',
        '--role-name',
        'Auditor',
        '--accounts',
        '111111111111,222222222222',
      ]),
    ).toEqual({
      ok: true,
      command: {
        kind: 'print-iam-policy',
        memberRole: { roleName: 'Auditor', accounts: ['111111111111', '222222222222'] },
      },
    });
    expect(parseCliArgs(['--print-iam-policy', '--role-name', 'Auditor'])).toEqual({
      ok: true,
      command: { kind: 'print-iam-policy', memberRole: { roleName: 'Auditor', accounts: [] } },
    });
    expect(errorOf(['--print-iam-policy', '--accounts', '111111111111'])).toBe(
      '--print-iam-policy --accounts needs --role-name NAME',
    );
    expect(errorOf(['--print-iam-policy', '--role-name', 'a role'])).toMatch(
      /^--role-name must be an IAM role name/,
    );
  });

  describe('--accounts', () => {
    it('reads the accounts (commas or repeated, duplicates once), the role name and the external id', () => {
      const options = auditOptions([
        '--accounts',
        '111111111111, 222222222222',
        '--accounts',
        '111111111111',
        '--role-name',
        'ApiNetworkAuditorMember',
        '--external-id',
        'org-audit-7',
      ]);

      expect(options.accounts).toEqual({
        ids: ['111111111111', '222222222222'],
        roleName: 'ApiNetworkAuditorMember',
        externalId: 'org-audit-7',
      });
    });

    it('leaves the accounts out when the flag is not given (the caller’s own account)', () => {
      expect(auditOptions(['--region', 'us-east-1'])).not.toHaveProperty('accounts');
    });

    it.each([
      [
        ['--accounts', '1111', '--role-name', 'R'],
        "--accounts must list 12-digit account ids separated by commas (got '1111')",
      ],
      [
        ['--accounts', 'prod', '--role-name', 'R'],
        "--accounts must list 12-digit account ids separated by commas (got 'prod')",
      ],
      [['--accounts', ',', '--role-name', 'R'], '--accounts needs at least one 12-digit account id'],
      [
        ['--accounts', '111111111111'],
        '--accounts needs --role-name NAME: the role the member-account template creates in each account',
      ],
      [['--role-name', 'R'], '--role-name only works with --accounts'],
      [['--external-id', 'xyz'], '--external-id only works with --accounts'],
      [
        ['--accounts', '111111111111', '--role-name', 'R', '--external-id', 'x'],
        '--external-id must be 2-1224 letters, digits and +=,.@:/_- (as the role trust policy names it)',
      ],
      [
        ['--list-checks', '--accounts', '111111111111'],
        '--list-checks takes only --format, --output and --no-color (got --accounts)',
      ],
    ])('refuses %j', (argv, message) => {
      expect(errorOf(argv)).toBe(message);
    });
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
