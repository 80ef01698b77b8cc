/**
 * A broken console test event is refused before any AWS call: the handler runs against a local
 * HTTP server that stands in for every AWS endpoint and counts what reaches it. A valid dry run is
 * the control: it does reach the server, so a count of zero means "no call", not "not counted".
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const lambdaContext = () => ({ awsRequestId: 'invalid-event-test', getRemainingTimeInMillis: () => 60_000 });

describe('the handler given a broken test event', () => {
  const savedEnv = { ...process.env };
  let server: Server;
  let requests = 0;
  let handler: typeof import('../../../lambda/handler').handler;

  beforeAll(async () => {
    server = createServer((request, response) => {
      requests += 1;
      request.resume();
      response.writeHead(403, {
        'content-type': 'application/json',
        'x-amzn-errortype': 'AccessDeniedException',
      });
      response.end(JSON.stringify({ message: 'refused by the counting test server' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:auditor-findings',
      STATE_TABLE_NAME: 'auditor-state',
      POWERTOOLS_SERVICE_NAME: 'api-network-auditor',
      POWERTOOLS_METRICS_NAMESPACE: 'ApiNetworkAuditorTest',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    });
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    ({ handler } = await import('../../../lambda/handler'));
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    process.env = savedEnv;
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    requests = 0;
  });

  it.each([
    ['an unknown field', { dryrun: true }, /dryrun: is not a field this function accepts/],
    ['a wrong type', { allChecks: 'yes' }, /allChecks: must be true or false/],
    ['an invalid API id', { apiIds: ['Orders API'] }, /apiIds\.0: must be an API Gateway id/],
    ['an invalid Region', { regions: ['us-east'] }, /regions\.0: must be a Region name/],
    ['a non-object event', 'audit please', /\(event\): must be a JSON object/],
  ])('refuses %s, naming the field, without any AWS call', async (_case, event, message) => {
    // Act
    const run = handler(event, lambdaContext());

    // Assert
    await expect(run).rejects.toThrow(message);
    expect(requests).toBe(0);
  });

  it('lists every offending field of one event at once, still without any AWS call', async () => {
    // Act
    const run = handler(
      { apiIds: ['x'], regions: ['mars-1'], lookbackMinutes: 2, colour: 'red' },
      lambdaContext(),
    );

    // Assert
    await expect(run).rejects.toThrow(/apiIds\.0: .*regions\.0: .*lookbackMinutes: .*colour: /);
    expect(requests).toBe(0);
  });

  it('does reach AWS on a valid dry run (the control: the server counts real calls)', async () => {
    // Act
    const summary = await handler({ dryRun: true }, lambdaContext());

    // Assert
    expect(requests).toBeGreaterThan(0);
    expect(summary.notification).toBeNull();
    expect(summary.complete).toBe(false);
  });
});
