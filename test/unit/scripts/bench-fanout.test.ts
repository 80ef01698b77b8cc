import {
  parseFanoutArgs,
  peakInWindow,
  projectedWallSeconds,
  quotaUse,
  type SentRequest,
  tokenBucketMisses,
} from '../../../scripts/bench-fanout';

const request = (at: number, overrides: Partial<SentRequest> = {}): SentRequest => ({
  account: '111111111111',
  region: 'us-east-1',
  service: 'APIGateway',
  operation: 'GetRestApis',
  at,
  ...overrides,
});

describe('the fan-out benchmark’s arithmetic', () => {
  it('finds the most requests in any one second', () => {
    expect(peakInWindow([0, 100, 200, 1100, 1150, 1199])).toBe(4);
    expect(peakInWindow([0, 1000, 2000])).toBe(1);
    expect(peakInWindow([])).toBe(0);
  });

  it('counts the requests an AWS token bucket would throttle, and none within its burst and rate', () => {
    // 40 at once fit the burst; a 41st in the same instant does not; at 10/s, one every 100 ms fits.
    expect(tokenBucketMisses(new Array(40).fill(0), 10, 40)).toBe(0);
    expect(tokenBucketMisses(new Array(41).fill(0), 10, 40)).toBe(1);
    expect(
      tokenBucketMisses(
        [...new Array(40).fill(0), ...Array.from({ length: 20 }, (_, i) => (i + 1) * 100)],
        10,
        40,
      ),
    ).toBe(0);
    expect(
      tokenBucketMisses(
        [...new Array(40).fill(0), ...Array.from({ length: 20 }, (_, i) => (i + 1) * 50)],
        10,
        40,
      ),
    ).toBe(10);
  });

  it('keeps one bucket per account and Region, API Gateway REST and HTTP sharing one', () => {
    // Arrange: 45 calls at once in one account and Region (REST and HTTP), 45 spread over two accounts
    const sameAccount = [
      ...Array.from({ length: 30 }, () => request(0)),
      ...Array.from({ length: 15 }, () => request(0, { service: 'ApiGatewayV2', operation: 'GetApis' })),
    ];
    const twoAccounts = Array.from({ length: 45 }, (_, index) =>
      request(0, { account: index % 2 === 0 ? '111111111111' : '222222222222' }),
    );

    // Act
    const shared = quotaUse(sameAccount).find((use) => use.bucket.endsWith('APIGateway+ApiGatewayV2'));
    const split = quotaUse(twoAccounts).filter((use) => use.bucket.endsWith('APIGateway+ApiGatewayV2'));

    // Assert
    expect(shared).toMatchObject({ calls: 45, peakPerSecond: 45, perSecond: 10, burst: 40, exceeded: 5 });
    expect(split.map((use) => use.exceeded)).toEqual([0, 0]);
  });

  it('projects the wall time as waves of items at the map’s concurrency', () => {
    // 4 items of 100 calls at 60 ms each: 6 s apiece; 2 lanes -> 12 s; 4 lanes -> 6 s
    expect(projectedWallSeconds([100, 100, 100, 100], 2, 60)).toBeCloseTo(12);
    expect(projectedWallSeconds([100, 100, 100, 100], 4, 60)).toBeCloseTo(6);
  });

  it('reads its options and refuses what it does not know', () => {
    expect(parseFanoutArgs(['--accounts', '5', '--regions', '2'])).toEqual({
      accounts: 5,
      regions: 2,
      concurrency: 10,
    });
    expect(() => parseFanoutArgs(['--accounts', '0'])).toThrow(/whole number/);
    expect(() => parseFanoutArgs(['--targets', '5'])).toThrow(/unknown option/);
  });
});
