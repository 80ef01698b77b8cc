/**
 * The one place that builds AWS SDK clients: from a Region, an optional endpoint (the local
 * emulator, or AWS_ENDPOINT_URL) and optional credentials (else the SDK's default chain).
 * Every client shares one CallStats, which counts calls by operation and retries.
 */
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, Pluggable } from '@smithy/types';
import { AWS_RATE_LIMITS, RateLimiter, type RateLimits } from './rate-limit';

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
}

export function createClients(target: AwsTarget, stats: CallStats = new CallStats()): AwsClients {
  const config = {
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
  const withPlugins = <C extends { middlewareStack: { use(p: AnyPlugin): void } }>(client: C): C => {
    for (const plugin of plugins) client.middlewareStack.use(plugin);
    return client;
  };
  return {
    region: target.region,
    stats,
    apiGateway: withPlugins(new APIGatewayClient(config)),
    apiGatewayV2: withPlugins(new ApiGatewayV2Client(config)),
    cloudWatch: withPlugins(new CloudWatchClient(config)),
    logs: withPlugins(new CloudWatchLogsClient(config)),
    elb: withPlugins(new ElasticLoadBalancingV2Client(config)),
    ec2: withPlugins(new EC2Client(config)),
    sns: withPlugins(new SNSClient(config)),
    sts: withPlugins(new STSClient(config)),
    dynamodb: withPlugins(new DynamoDBClient(config)),
  };
}
