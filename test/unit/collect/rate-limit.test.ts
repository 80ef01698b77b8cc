import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiGatewayV2Client, GetApisCommand } from '@aws-sdk/client-apigatewayv2';
import { createClients } from '../../../lambda/collect/clients';
import {
  AWS_RATE_LIMITS,
  RateLimiter,
  type RateLimits,
  systemClock,
  TokenBucket,
} from '../../../lambda/collect/rate-limit';

const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

/** True when no stretch of the send times holds more calls than `burst + perSecond * its length`. */
function respectsBucket(times: number[], perSecond: number, burst: number): boolean {
  const sorted = [...times].sort((a, b) => a - b);
  for (let i = 0; i < sorted.length; i += 1) {
    for (let j = i; j < sorted.length; j += 1) {
      const allowed = burst + (perSecond * ((sorted[j] ?? 0) - (sorted[i] ?? 0))) / 1000;
      if (j - i + 1 > allowed + 1e-9) return false;
    }
  }
  return true;
}

/** Starts `count` acquisitions at once and returns the fake-clock time at which each was let through. */
async function sendTimes(limiter: RateLimiter, service: string, operation: string, count: number) {
  const start = Date.now();
  const times: number[] = [];
  const all = Promise.all(
    Array.from({ length: count }, () =>
      limiter.acquire(service, operation).then(() => times.push(Date.now() - start)),
    ),
  );
  await jest.advanceTimersByTimeAsync(120_000);
  await all;
  return times;
}

describe('the client-side rate limiter', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  it('lets a burst of 40 API Gateway calls through at once, then one every 100 ms', async () => {
    // Arrange
    const limiter = new RateLimiter(AWS_RATE_LIMITS, systemClock);

    // Act
    const times = await sendTimes(limiter, 'APIGateway', 'GetRestApis', 100);

    // Assert
    expect(times.slice(0, 40)).toEqual(Array(40).fill(0));
    expect(times.slice(40)).toEqual(Array.from({ length: 60 }, (_, i) => (i + 1) * 100));
    expect(respectsBucket(times, 10, 40)).toBe(true);
    expect(limiter.stats).toMatchObject({ acquired: 100, delayed: 60 });
  });

  it('holds GetResources to 5 calls every 2 seconds on top of the shared API Gateway rate', async () => {
    // Arrange
    const limiter = new RateLimiter(AWS_RATE_LIMITS, systemClock);

    // Act
    const times = await sendTimes(limiter, 'APIGateway', 'GetResources', 25);

    // Assert
    expect(times.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(times.at(-1)).toBe(20 * 400);
    expect(respectsBucket(times, 2.5, 5)).toBe(true);
  });

  it('counts REST and HTTP API management calls against the same quota', async () => {
    // Arrange
    const limiter = new RateLimiter(AWS_RATE_LIMITS, systemClock);
    const start = Date.now();
    const times: number[] = [];
    const record = () => times.push(Date.now() - start);

    // Act
    const all = Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        (i % 2 === 0
          ? limiter.acquire('APIGateway', 'GetStages')
          : limiter.acquire('ApiGatewayV2', 'GetIntegrations')
        ).then(record),
      ),
    );
    await jest.advanceTimersByTimeAsync(60_000);
    await all;

    // Assert
    expect(times.filter((t) => t === 0)).toHaveLength(40);
    expect(respectsBucket(times, 10, 40)).toBe(true);
    expect(Math.max(...times)).toBe(2000);
  });

  it('gives each EC2 action its own bucket', async () => {
    // Arrange
    const limiter = new RateLimiter(AWS_RATE_LIMITS, systemClock);

    // Act
    const subnets = await sendTimes(limiter, 'EC2', 'DescribeSubnets', 100);
    const groups = await sendTimes(limiter, 'EC2', 'DescribeSecurityGroups', 100);

    // Assert
    expect(subnets.every((t) => t === 0)).toBe(true);
    expect(groups.every((t) => t === 0)).toBe(true);
    expect(limiter.stats.delayed).toBe(0);
  });

  it('never delays a call no rule names', async () => {
    // Arrange
    const limiter = new RateLimiter(AWS_RATE_LIMITS, systemClock);

    // Act
    const times = await sendTimes(limiter, 'STS', 'GetCallerIdentity', 500);

    // Assert
    expect(new Set(times)).toEqual(new Set([0]));
  });

  it('keeps a custom rate under any pattern of arrivals', async () => {
    // Arrange
    const limits: RateLimits = [
      { services: ['ElasticLoadBalancingV2'], scope: 'shared', perSecond: 4, burst: 3, doc: 'test' },
    ];
    const limiter = new RateLimiter(limits, systemClock);
    const start = Date.now();
    const times: number[] = [];
    const pending: Promise<unknown>[] = [];

    // Act: arrivals in clumps separated by idle time, so the bucket refills part-way between them
    for (const [gapMs, clump] of [
      [0, 7],
      [300, 2],
      [2000, 5],
      [50, 9],
    ] as const) {
      await jest.advanceTimersByTimeAsync(gapMs);
      for (let i = 0; i < clump; i += 1) {
        pending.push(
          limiter
            .acquire('ElasticLoadBalancingV2', 'DescribeTargetHealth')
            .then(() => times.push(Date.now() - start)),
        );
      }
    }
    await jest.advanceTimersByTimeAsync(60_000);
    await Promise.all(pending);

    // Assert
    expect(times).toHaveLength(23);
    expect(respectsBucket(times, 4, 3)).toBe(true);
  });

  it('rejects a bucket that could never hand out a token', () => {
    // Arrange / Act / Assert
    expect(() => new TokenBucket(0, 5, systemClock)).toThrow(RangeError);
    expect(() => new TokenBucket(1, 0.5, systemClock)).toThrow(RangeError);
  });
});

describe('the rate limiter in the SDK middleware stack', () => {
  it('takes a token for every attempt, retries included', async () => {
    // Arrange: the first two attempts fail with a retryable 503, the third answers
    let attempts = 0;
    const client = new ApiGatewayV2Client({
      region: 'us-east-1',
      credentials: CREDENTIALS,
      maxAttempts: 3,
      requestHandler: {
        handle: async () => {
          attempts += 1;
          const ok = attempts >= 3;
          return {
            response: {
              statusCode: ok ? 200 : 503,
              reason: '',
              headers: { 'content-type': 'application/json' },
              body: new TextEncoder().encode(ok ? '{"items":[]}' : '{"message":"Service Unavailable"}'),
            },
          };
        },
      },
    });
    const limiter = new RateLimiter(AWS_RATE_LIMITS);
    client.middlewareStack.use(limiter.plugin());

    // Act
    const output = await client.send(new GetApisCommand({}));

    // Assert
    expect(output.$metadata.attempts).toBe(3);
    expect(limiter.stats.acquired).toBe(3);
  });

  describe('wired by createClients', () => {
    let server: Server;
    let endpoint: string;
    /** Requests are answered only once this many are waiting at the same time (1: at once). */
    let answerWhenWaiting: number;
    let waiting: ServerResponse[];

    beforeAll(async () => {
      server = createServer((_request, response) => {
        waiting.push(response);
        if (waiting.length < answerWhenWaiting) return;
        for (const held of waiting.splice(0)) {
          held.writeHead(200, { 'content-type': 'application/json' });
          held.end('{"items":[]}');
        }
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    beforeEach(() => {
      answerWhenWaiting = 1;
      waiting = [];
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('spaces calls at the rate it is given', async () => {
      // Arrange
      const clients = createClients({
        region: 'us-east-1',
        endpoint,
        credentials: CREDENTIALS,
        rateLimits: [{ services: ['ApiGatewayV2'], scope: 'shared', perSecond: 20, burst: 1, doc: 'test' }],
      });
      const started = performance.now();

      // Act
      await Promise.all(Array.from({ length: 6 }, () => clients.apiGatewayV2.send(new GetApisCommand({}))));

      // Assert: 5 waits of 50 ms after the first call, a lower bound a busy machine cannot break
      expect(performance.now() - started).toBeGreaterThanOrEqual(245);
      expect(clients.stats.calls['ApiGatewayV2.GetApis']).toBe(6);
    });

    it('sends at once when limiting is turned off, and limits by default', async () => {
      // Arrange: the server answers only when all six are waiting at once
      answerWhenWaiting = 6;
      const unlimited = createClients({
        region: 'us-east-1',
        endpoint,
        credentials: CREDENTIALS,
        rateLimits: false,
      });
      const byDefault = createClients({ region: 'us-east-1', endpoint, credentials: CREDENTIALS });

      // Act
      await Promise.all(Array.from({ length: 6 }, () => unlimited.apiGatewayV2.send(new GetApisCommand({}))));

      // Assert
      expect(unlimited.stats.calls['ApiGatewayV2.GetApis']).toBe(6);
      const stackOf = (clients: typeof unlimited) =>
        clients.apiGatewayV2.middlewareStack.identify().map((entry) => entry.split(' ')[0]);
      expect(stackOf(unlimited)).not.toContain('rateLimitMiddleware');
      expect(stackOf(byDefault)).toContain('rateLimitMiddleware');
    });
  });
});
