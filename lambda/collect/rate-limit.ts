/**
 * Client-side rate limiting, so that the audit on its own never exceeds the request rates AWS
 * documents for the account and Region. The control planes it reads are shared with the console,
 * deploy pipelines and every other tool of the account: throttling them hurts more than the audit.
 *
 * A token bucket per quota (burst + refill rate), applied as SDK middleware right after the retry
 * middleware, so every attempt (the first and each retry) takes a token, not just every call.
 */
import type { FinalizeRequestMiddleware } from '@smithy/types';
import type { AnyPlugin } from './clients';

export interface RateLimitRule {
  /** Client service names as in CallStats keys (`APIGateway`, `ApiGatewayV2`, `EC2`, ...). */
  services: readonly string[];
  /** Only these operations; every operation of the services when absent. */
  operations?: readonly string[];
  /** `shared`: one bucket for every matched call; `per-operation`: one bucket per operation. */
  scope: 'shared' | 'per-operation';
  perSecond: number;
  burst: number;
  /** Where AWS documents the rate. */
  doc: string;
}

export type RateLimits = readonly RateLimitRule[];

/** AWS's documented default rates (per account and Region) for the calls the audit makes. */
export const AWS_RATE_LIMITS: RateLimits = [
  {
    // REST and HTTP API management calls share one quota; it cannot be raised.
    services: ['APIGateway', 'ApiGatewayV2'],
    scope: 'shared',
    perSecond: 10,
    burst: 40,
    doc: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html#api-gateway-control-service-limits-table',
  },
  {
    // In addition to the shared quota above: 5 requests every 2 seconds.
    services: ['APIGateway'],
    operations: ['GetResources'],
    scope: 'shared',
    perSecond: 2.5,
    burst: 5,
    doc: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html#api-gateway-control-service-limits-table',
  },
  {
    services: ['ElasticLoadBalancingV2'],
    scope: 'shared',
    perSecond: 10,
    burst: 40,
    doc: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/elb-api-throttling.html',
  },
  {
    // Non-mutating (Describe*) actions: a bucket of 100 refilled at 20 per second, per action.
    services: ['EC2'],
    scope: 'per-operation',
    perSecond: 20,
    burst: 100,
    doc: 'https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html',
  },
  {
    services: ['CloudWatch'],
    operations: ['GetMetricData'],
    scope: 'shared',
    perSecond: 50,
    burst: 50,
    doc: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html',
  },
  {
    services: ['CloudWatch'],
    operations: ['ListMetrics'],
    scope: 'shared',
    perSecond: 25,
    burst: 25,
    doc: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html',
  },
  {
    services: ['CloudWatchLogs'],
    operations: ['FilterLogEvents'],
    scope: 'per-operation',
    perSecond: 5,
    burst: 5,
    doc: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch_limits_cwl.html',
  },
];

/** Time source of the limiter: the real one, or a fake one in tests. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** A bucket of `burst` tokens, refilled continuously at `perSecond`; starts full. */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    readonly perSecond: number,
    readonly burst: number,
    private readonly clock: Clock,
  ) {
    if (!(perSecond > 0) || !(burst >= 1)) {
      throw new RangeError(`a token bucket needs perSecond > 0 and burst >= 1 (got ${perSecond}, ${burst})`);
    }
    this.tokens = burst;
    this.updatedAt = clock.now();
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) * this.perSecond) / 1000);
    this.updatedAt = now;
  }

  /** Milliseconds until one token is available (0 when one is available now). */
  msUntilToken(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) * 1000) / this.perSecond);
  }

  take(): void {
    this.refill();
    this.tokens -= 1;
  }
}

export interface RateLimiterStats {
  /** Requests (attempts) that went through the limiter, and those it made wait. */
  acquired: number;
  delayed: number;
  waitedMs: number;
}

/**
 * Holds the buckets of one account and Region: every client of one audit in that Region shares
 * one limiter (one `createClients` call), since AWS counts the quota across all of them.
 */
export class RateLimiter {
  readonly stats: RateLimiterStats = { acquired: 0, delayed: 0, waitedMs: 0 };
  private readonly buckets = new Map<string, TokenBucket>();
  /** One queue per service, so callers of a service are served in arrival order. */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly limits: RateLimits = AWS_RATE_LIMITS,
    private readonly clock: Clock = systemClock,
  ) {}

  /** The buckets a call draws from: every rule that matches the service and operation. */
  bucketsFor(service: string, operation: string): TokenBucket[] {
    const matched: TokenBucket[] = [];
    this.limits.forEach((rule, index) => {
      if (!rule.services.includes(service)) return;
      if (rule.operations && !rule.operations.includes(operation)) return;
      const key = rule.scope === 'shared' ? `${index}` : `${index}:${operation}`;
      let bucket = this.buckets.get(key);
      if (!bucket) {
        bucket = new TokenBucket(rule.perSecond, rule.burst, this.clock);
        this.buckets.set(key, bucket);
      }
      matched.push(bucket);
    });
    return matched;
  }

  /** Resolves when the call may be sent, having taken one token from each of its buckets. */
  acquire(service: string, operation: string): Promise<void> {
    const buckets = this.bucketsFor(service, operation);
    this.stats.acquired += 1;
    if (buckets.length === 0) return Promise.resolve();
    const previous = this.queues.get(service) ?? Promise.resolve();
    const turn = previous.then(() => this.waitForTokens(buckets));
    this.queues.set(service, turn);
    return turn;
  }

  private async waitForTokens(buckets: TokenBucket[]): Promise<void> {
    let waited = 0;
    // Re-checked after each sleep: another service's queue may share a bucket and have taken the token.
    for (;;) {
      const wait = Math.max(...buckets.map((bucket) => bucket.msUntilToken()));
      if (wait === 0) break;
      waited += wait;
      await this.clock.sleep(wait);
    }
    for (const bucket of buckets) bucket.take();
    if (waited > 0) {
      this.stats.delayed += 1;
      this.stats.waitedMs += waited;
    }
  }

  /** SDK middleware that takes a token before every attempt (placed after the retry middleware). */
  plugin(): AnyPlugin {
    return {
      applyToStack: (stack) => {
        // biome-ignore lint/suspicious/noExplicitAny: agnostic of each service's command types
        const rateLimitMiddleware: FinalizeRequestMiddleware<any, any> = (next, context) => async (args) => {
          const service = (context.clientName ?? 'Unknown').replace(/Client$/, '');
          const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
          await this.acquire(service, operation);
          return next(args);
        };
        stack.addRelativeTo(rateLimitMiddleware, {
          name: 'rateLimitMiddleware',
          relation: 'after',
          toMiddleware: 'retryMiddleware',
          override: true,
        });
      },
    };
  }
}
