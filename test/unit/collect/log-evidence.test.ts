import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { accessLogFormat, errorTextVariablesIn } from '../../../lambda/collect/access-log-format';
import {
  countErrorLines,
  documentedMessageIn,
  ERROR_FILTER_PATTERN,
  logGroupName,
  MAX_PAGES,
} from '../../../lambda/collect/log-evidence';
import { awsError, recordedClients, WINDOW } from './recorded-clients';

const event = (message: string) => ({ message, timestamp: Date.parse(WINDOW.start) + 60_000 });
const WHOLE_GROUP = { kind: 'whole-group' } as const;

// The emulator reads no `?"a" ?"b"` pattern (it returns every line): paging and errors are tested
// with recorded FilterLogEvents answers here, what the lines say on the emulator (test/integration).
describe('countErrorLines (FilterLogEvents, recorded answers)', () => {
  it('asks once for every documented message and counts each line under the message it carries', async () => {
    // Arrange
    const { clients, mocks } = recordedClients();
    mocks.logs.on(FilterLogEventsCommand).resolves({
      events: [
        event(
          '(a1) Execution failed due to configuration error: There was an internal error while executing your request',
        ),
        event('(a2) Execution failed due to a network error communicating with endpoint'),
        event('(a3) Method completed with status: 200'),
      ],
    });

    // Act
    const evidence = await countErrorLines(
      clients.logs,
      'API-Gateway-Execution-Logs_abc/prod',
      WINDOW,
      WHOLE_GROUP,
    );

    // Assert: the line the server should not have sent is not counted
    expect(evidence).toEqual({
      ok: true,
      value: {
        logGroup: 'API-Gateway-Execution-Logs_abc/prod',
        count: 2,
        byMessage: {
          'Execution failed due to configuration error': 1,
          'Network error communicating with endpoint': 1,
        },
        otherStages: 0,
        unattributed: 0,
        attributedBy: ['apiId', 'stage'],
        truncated: false,
      },
    });
    const calls = mocks.logs.commandCalls(FilterLogEventsCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toMatchObject({
      logGroupName: 'API-Gateway-Execution-Logs_abc/prod',
      startTime: Date.parse(WINDOW.start),
      endTime: Date.parse(WINDOW.end),
      filterPattern: ERROR_FILTER_PATTERN,
    });
  });

  it('follows the next token up to its bound, and then says the count is a lower bound', async () => {
    // Arrange: every page answers one line and a token, as a long scan does
    const { clients, mocks } = recordedClients();
    mocks.logs
      .on(FilterLogEventsCommand)
      .resolves({ events: [event('Network error communicating with endpoint')], nextToken: 'more' });

    // Act
    const evidence = await countErrorLines(clients.logs, 'group', WINDOW, WHOLE_GROUP);

    // Assert
    expect(mocks.logs.commandCalls(FilterLogEventsCommand)).toHaveLength(MAX_PAGES);
    expect(evidence).toMatchObject({ ok: true, value: { count: MAX_PAGES, truncated: true } });
    expect(mocks.logs.commandCalls(FilterLogEventsCommand)[1]?.args[0].input.nextToken).toBe('more');
  });

  it('has no evidence (null, not an error) when the log group does not exist', async () => {
    const { clients, mocks } = recordedClients();
    mocks.logs
      .on(FilterLogEventsCommand)
      .rejects(awsError('ResourceNotFoundException', 'The specified log group does not exist.'));
    expect(await countErrorLines(clients.logs, 'missing', WINDOW, WHOLE_GROUP)).toEqual({
      ok: true,
      value: null,
    });
  });

  it('reports a denied search as an error naming logs:FilterLogEvents', async () => {
    const { clients, mocks } = recordedClients();
    mocks.logs.on(FilterLogEventsCommand).rejects(awsError('AccessDeniedException', 'denied'));
    expect(await countErrorLines(clients.logs, 'group', WINDOW, WHOLE_GROUP)).toEqual({
      ok: false,
      error: { action: 'logs:FilterLogEvents', code: 'AccessDeniedException', message: 'denied' },
    });
  });

  it('counts only the lines that name the stage in a shared access-log group', async () => {
    // Arrange: a JSON format with the API id and stage; lines of this API, another API and a foreign line
    const { clients, mocks } = recordedClients();
    const format = accessLogFormat(
      '{"requestId":"$context.requestId","apiId":"$context.apiId","stage":"$context.stage","error":"$context.integrationErrorMessage"}',
    );
    const line = (apiId: string, stage: string) =>
      JSON.stringify({ requestId: 'r', apiId, stage, error: 'Network error communicating with endpoint' });
    mocks.logs.on(FilterLogEventsCommand).resolves({
      events: [
        event(line('mine1', 'prod')),
        event(line('other2', 'prod')),
        event(line('mine1', 'dev')),
        event('Network error communicating with endpoint (no JSON)'),
      ],
    });

    // Act
    const evidence = await countErrorLines(clients.logs, '/apigw/shared', WINDOW, {
      kind: 'by-format',
      attributedBy: format.attributedBy,
      attribute: format.attribute,
      stage: { apiId: 'mine1', stage: 'prod' },
    });

    // Assert
    expect(evidence).toMatchObject({
      ok: true,
      value: { count: 1, otherStages: 2, unattributed: 1, attributedBy: ['apiId', 'stage'] },
    });
  });
});

describe('documentedMessageIn', () => {
  it.each([
    [
      'Execution failed due to configuration error: Invalid endpoint address',
      'Execution failed due to configuration error',
    ],
    [
      'execution failed due to a network error communicating with endpoint',
      'Network error communicating with endpoint',
    ],
    [
      "Host name 'a.example' does not match the certificate subject provided by the peer (CN=b)",
      'does not match the certificate subject provided by the peer',
    ],
    ['Method completed with status: 502', null],
  ])('%s -> %s', (line, message) => {
    expect(documentedMessageIn(line)).toBe(message);
  });
});

describe('accessLogFormat', () => {
  it('reads the API id and stage from a CLF-like line by the format itself', () => {
    const format = accessLogFormat(
      '$context.identity.sourceIp [$context.requestTime] $context.apiId $context.stage "$context.integrationErrorMessage"',
    );
    expect(format.attributedBy).toEqual(['apiId', 'stage']);
    expect(format.errorVariables).toEqual(['$context.integrationErrorMessage']);
    expect(
      format.attribute(
        '10.1.2.3 [04/Dec/2026:10:00:00 +0000] a1b2c3 $default "Network error communicating with endpoint"',
      ),
    ).toEqual({ apiId: 'a1b2c3', stage: '$default' });
    expect(format.attribute('something else entirely')).toBeNull();
  });

  it('finds the fields wherever the JSON format nests them', () => {
    const format = accessLogFormat('{"api":{"id":"$context.apiId"},"err":"$context.error.message"}');
    expect(format.attributedBy).toEqual(['apiId']);
    expect(format.attribute('{"api":{"id":"x9"},"err":"Internal Server Error"}')).toEqual({ apiId: 'x9' });
  });

  it('knows a format without error text, and one that names neither API nor stage', () => {
    expect(errorTextVariablesIn('$context.requestId $context.status $context.integrationStatus')).toEqual([]);
    expect(accessLogFormat('$context.requestId $context.integration.error').attributedBy).toEqual([]);
  });
});

describe('logGroupName', () => {
  it('reads the group name from an access-log destination ARN, with or without the :* suffix', () => {
    // Arrange
    const arns = [
      'arn:aws:logs:us-east-1:111122223333:log-group:/aws/http/orders',
      'arn:aws:logs:us-east-1:111122223333:log-group:/aws/http/orders:*',
    ];

    // Act
    const names = arns.map(logGroupName);

    // Assert
    expect(names).toEqual(['/aws/http/orders', '/aws/http/orders']);
    expect(logGroupName('arn:aws:firehose:us-east-1:111122223333:deliverystream/x')).toBeNull();
  });
});
