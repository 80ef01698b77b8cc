/**
 * A server that accepts connections and never answers (a black-holed endpoint, a half-open NAT):
 * without timeouts an SDK call waits forever, the function times out, no report is written and the
 * event goes to the dead-letter queue. Here: each client gives up after its request timeout, and the
 * audit's deadline aborts whatever is still in flight, so the run ends on time with a partial report
 * marked incomplete. No emulator: nothing here is AWS's behaviour, only the network's.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { GetRestApisCommand } from '@aws-sdk/client-api-gateway';
import { createClients } from '../../lambda/collect/clients';
import { TEST_CREDENTIALS, TEST_REGION } from '../support/emulator';

describe('against a server that never answers', () => {
  let server: Server;
  let endpoint: string;
  const sockets: Socket[] = [];
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    server = createServer((socket) => {
      sockets.push(socket); // accepted, read, never answered
      socket.resume();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterEach(() => {
    process.env = { ...savedEnv };
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('gives up on a call after the client’s request timeout, with a TimeoutError', async () => {
    // Arrange: one attempt, a short request timeout (the product's are CLIENT_TIMEOUTS)
    const clients = createClients({
      region: TEST_REGION,
      endpoint,
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
      rateLimits: false,
      timeouts: { connectionTimeoutMs: 1_000, requestTimeoutMs: 500 },
    });
    const started = performance.now();

    // Act
    const call = clients.apiGateway.send(new GetRestApisCommand({}));

    // Assert
    await expect(call).rejects.toMatchObject({ name: 'TimeoutError' });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(450);
    expect(elapsed).toBeLessThan(3_000);
  });

  it('ends the Lambda run at the audit deadline, long before the function timeout, with an incomplete report', async () => {
    // Arrange: the function has 12 s left; the handler keeps half of it for notifying, so the audit's
    // deadline is 6 s away, and every call of the audit hangs (the client timeouts are 20 s)
    Object.assign(process.env, {
      AWS_REGION: TEST_REGION,
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      TOPIC_ARN: `arn:aws:sns:${TEST_REGION}:123456789012:auditor`,
      STATE_TABLE_NAME: 'auditor-state',
      POWERTOOLS_SERVICE_NAME: 'api-network-auditor',
      POWERTOOLS_METRICS_NAMESPACE: 'ApiNetworkAuditorSilentServerTest',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    });
    const { handler } = await import('../../lambda/handler');
    const functionTimeoutMs = 12_000;
    const auditDeadlineMs = 6_000;
    const started = Date.now();
    const context = {
      awsRequestId: 'silent-server',
      invokedFunctionArn: `arn:aws:lambda:${TEST_REGION}:123456789012:function:auditor`,
      getRemainingTimeInMillis: () => functionTimeoutMs - (Date.now() - started),
    };

    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);

    // Act
    const summary = await handler({ dryRun: true }, context);
    const elapsed = Date.now() - started;
    const emf = stdout.mock.calls.map(([line]) => String(line)).filter((line) => line.includes('"_aws"'));
    stdout.mockRestore();

    // Assert
    process.stderr.write(
      `silent server: run ended after ${elapsed} ms (audit deadline ${auditDeadlineMs} ms, function timeout ${functionTimeoutMs} ms): ${JSON.stringify(summary.incompleteReasons)}\n`,
    );
    expect(elapsed).toBeGreaterThanOrEqual(auditDeadlineMs - 100);
    expect(elapsed).toBeLessThan(auditDeadlineMs + 1_500);
    expect(summary.complete).toBe(false);
    // What the incomplete-run alarm watches:
    expect(emf.map((line) => JSON.parse(line))).toContainEqual(
      expect.objectContaining({ AuditIncomplete: 1, service: 'api-network-auditor' }),
    );
    expect(summary.incompleteReasons.join('\n')).toMatch(/aborted in flight/);
    expect(summary.incompleteReasons.join('\n')).toMatch(
      /time budget ran out: \d+ AWS call\(s\) were not made and [1-9]\d* were aborted in flight/,
    );
  }, 30_000);
});
