/**
 * The one place that builds AWS SDK clients: from a Region, an optional endpoint (the local
 * emulator, or AWS_ENDPOINT_URL) and optional credentials (else the SDK's default chain).
 * Every client shares one CallStats, which counts calls by operation and retries, and the same
 * connection and request timeouts (CLIENT_TIMEOUTS); an abort signal, when given, cuts every call
 * in flight (the audit's deadline).
 *
 * Each client is built, and its SDK package loaded, on first use: a scheduled run that finds no
 * failing stage never loads EC2 (a third of the bundle's load time), ELB, Logs or DynamoDB.
 */
import type { ACMClient } from '@aws-sdk/client-acm';
import type { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import type { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
  HttpHandlerOptions,
  HttpResponse,
  Pluggable,
} from '@smithy/types';
import { AWS_RATE_LIMITS, RateLimiter, type RateLimits } from './rate-limit';

export interface ClientTimeouts {
  connectionTimeoutMs: number;
  requestTimeoutMs: number;
}

/** The network limits of every client (the SDK sets none: a silent server would hold a call forever). */
export const CLIENT_TIMEOUTS: Readonly<ClientTimeouts> = {
  /** To open the connection (TCP and TLS). */
  connectionTimeoutMs: 3_000,
  /** From sending a request to its response's headers, and then the longest silence while reading the body. */
  requestTimeoutMs: 20_000,
};

/** A plugin that works on every client, whatever its input and output types. */
// biome-ignore lint/suspicious/noExplicitAny: middleware here is agnostic of each service's command types
export type AnyPlugin = Pluggable<any, any>;

export interface AwsTarget {
  region: string;
  /** Custom endpoint for every service (e.g. the moto server); AWS when absent. */
  endpoint?: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Attempts per call including the first (SDK standard retry mode). @default 5 */
  maxAttempts?: number;
  /** Extra middleware for every client (tests inject faults here, never the product). */
  plugins?: AnyPlugin[];
  /**
   * Client-side request rates, shared by all clients of this target (one account and Region);
   * `false` turns limiting off. @default AWS_RATE_LIMITS (AWS's documented rates)
   */
  rateLimits?: RateLimits | false;
  /** Aborts every call in flight, and any later one, when it fires. */
  abortSignal?: AbortSignal;
  /** @default CLIENT_TIMEOUTS */
  timeouts?: ClientTimeouts;
}

/** Counts AWS calls by `Service.Operation` and the retries the SDK made for them. */
export class CallStats {
  readonly calls: Record<string, number> = {};
  retries = 0;

  record(service: string, operation: string, attempts: number): void {
    const key = `${service}.${operation}`;
    this.calls[key] = (this.calls[key] ?? 0) + 1;
    this.retries += Math.max(0, attempts - 1);
  }

  total(prefix = ''): number {
    return Object.entries(this.calls)
      .filter(([key]) => key.startsWith(prefix))
      .reduce((sum, [, count]) => sum + count, 0);
  }

  plugin(): AnyPlugin {
    return {
      applyToStack: (stack) => {
        stack.add(
          (next, context) => async (args) => {
            const service = (context.clientName ?? 'Unknown').replace(/Client$/, '');
            const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
            try {
              const output = await next(args);
              const attempts =
                (output.output as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1;
              this.record(service, operation, attempts);
              return output;
            } catch (error) {
              const attempts = (error as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1;
              this.record(service, operation, attempts);
              throw error;
            }
          },
          { step: 'initialize', name: 'callStatsMiddleware', override: true },
        );
      },
    };
  }
}

/** The SDK's HTTP handler with CLIENT_TIMEOUTS, whose requests also end when `signal` fires. */
class AbortableRequestHandler {
  private readonly inner: NodeHttpHandler;

  constructor(
    private readonly signal: AbortSignal | undefined,
    timeouts: ClientTimeouts,
  ) {
    this.inner = new NodeHttpHandler({
      connectionTimeout: timeouts.connectionTimeoutMs,
      requestTimeout: timeouts.requestTimeoutMs,
      throwOnRequestTimeout: true,
      socketTimeout: timeouts.requestTimeoutMs,
    });
  }

  handle(
    request: Parameters<NodeHttpHandler['handle']>[0],
    options: HttpHandlerOptions = {},
  ): Promise<{ response: HttpResponse }> {
    if (!this.signal) return this.inner.handle(request, options);
    const own = options.abortSignal as AbortSignal | undefined;
    const abortSignal = own ? AbortSignal.any([own, this.signal]) : this.signal;
    return this.inner.handle(request, { ...options, abortSignal });
  }

  updateHttpClientConfig(key: never, value: never): void {
    this.inner.updateHttpClientConfig(key, value);
  }

  httpHandlerConfigs() {
    return this.inner.httpHandlerConfigs();
  }

  destroy(): void {
    this.inner.destroy();
  }
}

export interface AwsClients {
  region: string;
  stats: CallStats;
  apiGateway: APIGatewayClient;
  apiGatewayV2: ApiGatewayV2Client;
  cloudWatch: CloudWatchClient;
  logs: CloudWatchLogsClient;
  elb: ElasticLoadBalancingV2Client;
  ec2: EC2Client;
  sns: SNSClient;
  sts: STSClient;
  dynamodb: DynamoDBClient;
  acm: ACMClient;
  serviceDiscovery: ServiceDiscoveryClient;
}

type ClientName = Exclude<keyof AwsClients, 'region' | 'stats'>;

interface ClientConfig {
  region: string;
  maxAttempts: number;
  requestHandler?: AbortableRequestHandler;
  endpoint?: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

// `require` inside each factory, not `import`: the bundler then evaluates a package only when its
// factory first runs (dynamic `import()` would break under the CLI's CommonJS loader).
const CLIENT_FACTORIES: { [K in ClientName]: (config: ClientConfig) => AwsClients[K] } = {
  apiGateway: (config) =>
    new (
      require('@aws-sdk/client-api-gateway') as typeof import('@aws-sdk/client-api-gateway')
    ).APIGatewayClient(config),
  apiGatewayV2: (config) =>
    new (
      require('@aws-sdk/client-apigatewayv2') as typeof import('@aws-sdk/client-apigatewayv2')
    ).ApiGatewayV2Client(config),
  cloudWatch: (config) =>
    new (
      require('@aws-sdk/client-cloudwatch') as typeof import('@aws-sdk/client-cloudwatch')
    ).CloudWatchClient(config),
  logs: (config) =>
    new (
      require('@aws-sdk/client-cloudwatch-logs') as typeof import('@aws-sdk/client-cloudwatch-logs')
    ).CloudWatchLogsClient(config),
  elb: (config) =>
    new (
      require('@aws-sdk/client-elastic-load-balancing-v2') as typeof import('@aws-sdk/client-elastic-load-balancing-v2')
    ).ElasticLoadBalancingV2Client(config),
  ec2: (config) =>
    new (require('@aws-sdk/client-ec2') as typeof import('@aws-sdk/client-ec2')).EC2Client(config),
  sns: (config) =>
    new (require('@aws-sdk/client-sns') as typeof import('@aws-sdk/client-sns')).SNSClient(config),
  sts: (config) =>
    new (require('@aws-sdk/client-sts') as typeof import('@aws-sdk/client-sts')).STSClient(config),
  dynamodb: (config) =>
    new (require('@aws-sdk/client-dynamodb') as typeof import('@aws-sdk/client-dynamodb')).DynamoDBClient(
      config,
    ),
  acm: (config) =>
    new (require('@aws-sdk/client-acm') as typeof import('@aws-sdk/client-acm')).ACMClient(config),
  serviceDiscovery: (config) =>
    new (
      require('@aws-sdk/client-servicediscovery') as typeof import('@aws-sdk/client-servicediscovery')
    ).ServiceDiscoveryClient(config),
};

export const CLIENT_NAMES = Object.keys(CLIENT_FACTORIES) as readonly ClientName[];

export function createClients(target: AwsTarget, stats: CallStats = new CallStats()): AwsClients {
  const config: ClientConfig = {
    region: target.region,
    maxAttempts: target.maxAttempts ?? 5,
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
    ...(target.credentials ? { credentials: target.credentials } : {}),
  };
  const rateLimits = target.rateLimits ?? AWS_RATE_LIMITS;
  const plugins = [
    stats.plugin(),
    ...(rateLimits === false ? [] : [new RateLimiter(rateLimits).plugin()]),
    ...(target.plugins ?? []),
  ];
  const clients = { region: target.region, stats } as AwsClients;
  for (const name of CLIENT_NAMES) {
    let client: AwsClients[typeof name] | undefined;
    Object.defineProperty(clients, name, {
      enumerable: true,
      get: () => {
        if (!client) {
          const requestHandler = new AbortableRequestHandler(
            target.abortSignal,
            target.timeouts ?? CLIENT_TIMEOUTS,
          );
          client = CLIENT_FACTORIES[name]({ ...config, requestHandler });
          for (const plugin of plugins) client.middlewareStack.use(plugin);
        }
        return client;
      },
    });
  }
  return clients;
}
