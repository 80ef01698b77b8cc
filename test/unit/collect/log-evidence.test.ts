import { GetQueryResultsCommand, StartQueryCommand, StopQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import { countNetworkErrorLines, logGroupName } from '../../../lambda/collect/log-evidence';
import { awsError, recordedClients, WINDOW } from './recorded-clients';

const noWait = { sleep: async () => {}, intervalMs: 500, timeoutMs: 2_000 };

describe('countNetworkErrorLines (the emulator ignores Logs Insights filter and stats)', () => {
  it('counts the matching lines once the query completes', async () => {
    // Arrange
    const { clients, mocks } = recordedClients();
    mocks.logs.on(StartQueryCommand).resolves({ queryId: 'q-1' });
    mocks.logs
      .on(GetQueryResultsCommand)
      .resolvesOnce({ status: 'Running' })
      .resolves({ status: 'Complete', results: [[{ field: 'lines', value: '17' }]] });

    // Act
    const evidence = await countNetworkErrorLines(
      clients.logs,
      'API-Gateway-Execution-Logs_abc/prod',
      WINDOW,
      noWait,
    );

    // Assert
    expect(evidence).toEqual({
      ok: true,
      value: { count: 17, logGroup: 'API-Gateway-Execution-Logs_abc/prod' },
    });
    const started = mocks.logs.commandCalls(StartQueryCommand)[0]?.args[0].input;
    expect(started).toMatchObject({
      startTime: Date.parse(WINDOW.start) / 1000,
      endTime: Date.parse(WINDOW.end) / 1000,
    });
    expect(started?.queryString).toContain('network error communicating with endpoint');
  });

  it('reads zero lines when the query completes without a row', async () => {
    // Arrange
    const { clients, mocks } = recordedClients();
    mocks.logs.on(StartQueryCommand).resolves({ queryId: 'q-1' });
    mocks.logs.on(GetQueryResultsCommand).resolves({ status: 'Complete', results: [] });

    // Act
    const evidence = await countNetworkErrorLines(clients.logs, 'access', WINDOW, noWait);

    // Assert
    expect(evidence).toEqual({ ok: true, value: { count: 0, logGroup: 'access' } });
  });

  it('has no evidence (null, not an error) when the log group does not exist', async () => {
    // Arrange
    const { clients, mocks } = recordedClients();
    mocks.logs
      .on(StartQueryCommand)
      .rejects(awsError('ResourceNotFoundException', 'Log group does not exist'));

    // Act
    const evidence = await countNetworkErrorLines(clients.logs, 'missing', WINDOW, noWait);

    // Assert
    expect(evidence).toEqual({ ok: true, value: null });
  });

  it('reports a denied query as an error naming logs:StartQuery', async () => {
    // Arrange
    const { clients, mocks } = recordedClients();
    mocks.logs.on(StartQueryCommand).rejects(awsError('AccessDeniedException', 'denied'));

    // Act
    const evidence = await countNetworkErrorLines(clients.logs, 'group', WINDOW, noWait);

    // Assert
    expect(evidence).toEqual({
      ok: false,
      error: { action: 'logs:StartQuery', code: 'AccessDeniedException', message: 'denied' },
    });
  });

  it('gives up with a Timeout error when the query is still running at the deadline', async () => {
    // Arrange
    const { clients, mocks } = recordedClients();
    mocks.logs.on(StartQueryCommand).resolves({ queryId: 'q-1' });
    mocks.logs.on(GetQueryResultsCommand).resolves({ status: 'Running' });

    // Act
    const evidence = await countNetworkErrorLines(clients.logs, 'slow', WINDOW, noWait);

    // Assert
    expect(evidence).toMatchObject({ ok: false, error: { action: 'logs:GetQueryResults', code: 'Timeout' } });
    expect(mocks.logs.commandCalls(GetQueryResultsCommand)).toHaveLength(5);
  });

  it('stops the query it gave up on, so it no longer holds one of the account’s concurrent queries', async () => {
    // Arrange
    const { clients, mocks } = recordedClients();
    mocks.logs.on(StartQueryCommand).resolves({ queryId: 'q-slow' });
    mocks.logs.on(GetQueryResultsCommand).resolves({ status: 'Running' });
    mocks.logs.on(StopQueryCommand).resolves({ success: true });

    // Act
    await countNetworkErrorLines(clients.logs, 'slow', WINDOW, noWait);

    // Assert
    expect(mocks.logs.commandCalls(StopQueryCommand).map((call) => call.args[0].input)).toEqual([
      { queryId: 'q-slow' },
    ]);
  });

  it('stops the query when polling it fails, and still reports the poll’s error', async () => {
    // Arrange: the poll is refused (it could be the audit's deadline aborting it); stopping fails too
    const { clients, mocks } = recordedClients();
    mocks.logs.on(StartQueryCommand).resolves({ queryId: 'q-2' });
    mocks.logs.on(GetQueryResultsCommand).rejects(awsError('ThrottlingException', 'slow down'));
    mocks.logs.on(StopQueryCommand).rejects(awsError('InvalidParameterException', 'already ended'));

    // Act
    const evidence = await countNetworkErrorLines(clients.logs, 'group', WINDOW, noWait);

    // Assert
    expect(evidence).toEqual({
      ok: false,
      error: { action: 'logs:GetQueryResults', code: 'ThrottlingException', message: 'slow down' },
    });
    expect(mocks.logs.commandCalls(StopQueryCommand)).toHaveLength(1);
  });

  it('stops nothing when the query completes or ends by itself', async () => {
    // Arrange
    const { clients, mocks } = recordedClients();
    mocks.logs.on(StartQueryCommand).resolves({ queryId: 'q-3' });
    mocks.logs
      .on(GetQueryResultsCommand)
      .resolvesOnce({ status: 'Complete', results: [] })
      .resolves({ status: 'Failed' });

    // Act
    await countNetworkErrorLines(clients.logs, 'a', WINDOW, noWait);
    await countNetworkErrorLines(clients.logs, 'b', WINDOW, noWait);

    // Assert
    expect(mocks.logs.commandCalls(StopQueryCommand)).toHaveLength(0);
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
