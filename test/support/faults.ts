/**
 * Fault injection for the reliability tests: SDK middleware placed right after the deserializer
 * (so below the retry middleware), which answers an attempt with what AWS would send when it
 * throttles or refuses, throws what Node's HTTP stack throws when a connection breaks, waits before
 * the attempt, or changes the emulator's state right before a call. The product's code never
 * imports this: the tests pass it through `AuditRequest.plugins` or `AwsTarget.plugins`.
 *
 * A fake error response goes through the service's real deserializer, so the SDK builds the same
 * error object (name, `$metadata.httpStatusCode`) it builds from AWS, and its retry strategy
 * decides on its own whether to retry.
 */
import { Readable } from 'node:stream';
import type { DeserializeMiddleware } from '@smithy/types';
import type { AnyPlugin } from '../../lambda/collect/clients';

/** One attempt of one SDK call, as the fault middleware sees it. */
export interface AttemptInfo {
  /** Client name without `Client`, as in CallStats keys: `EC2`, `ElasticLoadBalancingV2`, ... */
  service: string;
  /** Command name without `Command`: `DescribeFlowLogs`. */
  operation: string;
  /** IAM-style action: `ec2:DescribeFlowLogs`. */
  action: string;
  /** 1-based attempt of this call (from the SDK's `amz-sdk-request` header). */
  attempt: number;
  maxAttempts: number;
  input: Record<string, unknown>;
}

export type Fault =
  /** Answer with this HTTP response instead of calling the emulator. */
  | { kind: 'respond'; statusCode: number; headers: Record<string, string>; body: string }
  /** Throw this error instead of calling the emulator (a broken connection). */
  | { kind: 'throw'; error: Error }
  /** Wait, then call the emulator. */
  | { kind: 'delay'; ms: number }
  /** Run this (e.g. delete a resource), then call the emulator. */
  | { kind: 'before'; run: () => Promise<void> };

export type FaultRule = (attempt: AttemptInfo) => Fault | undefined;

/** What the injector did, for the tests' assertions. */
export class FaultLog {
  readonly injected: { action: string; attempt: number; kind: Fault['kind'] }[] = [];
  readonly attempts: AttemptInfo[] = [];

  count(kind?: Fault['kind']): number {
    return this.injected.filter((entry) => kind === undefined || entry.kind === kind).length;
  }
}

const IAM_PREFIX: Record<string, string> = {
  APIGateway: 'apigateway',
  ApiGatewayV2: 'apigateway',
  CloudWatch: 'cloudwatch',
  CloudWatchLogs: 'logs',
  ElasticLoadBalancingV2: 'elasticloadbalancing',
  EC2: 'ec2',
  SNS: 'sns',
  STS: 'sts',
  DynamoDB: 'dynamodb',
  SQS: 'sqs',
};

function attemptNumbers(headers: Record<string, string> | undefined): { attempt: number; max: number } {
  const match = /attempt=(\d+); max=(\d+)/.exec(headers?.['amz-sdk-request'] ?? '');
  return { attempt: Number(match?.[1] ?? 1), max: Number(match?.[2] ?? 1) };
}

/** The plugin that applies `rules` (first match wins) to every attempt of every call of a client. */
export function faultInjector(rules: FaultRule[], log: FaultLog = new FaultLog()): AnyPlugin {
  return {
    applyToStack: (stack) => {
      // biome-ignore lint/suspicious/noExplicitAny: agnostic of each service's command types
      const faultMiddleware: DeserializeMiddleware<any, any> = (next, context) => async (args) => {
        const service = (context.clientName ?? 'Unknown').replace(/Client$/, '');
        const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
        const request = args.request as { headers?: Record<string, string> } | undefined;
        const { attempt, max } = attemptNumbers(request?.headers);
        const info: AttemptInfo = {
          service,
          operation,
          action: `${IAM_PREFIX[service] ?? service.toLowerCase()}:${operation}`,
          attempt,
          maxAttempts: max,
          input: (args.input ?? {}) as Record<string, unknown>,
        };
        log.attempts.push(info);
        const fault = rules.reduce<Fault | undefined>((found, rule) => found ?? rule(info), undefined);
        if (!fault) return next(args);
        log.injected.push({ action: info.action, attempt, kind: fault.kind });
        switch (fault.kind) {
          case 'respond':
            return {
              response: {
                statusCode: fault.statusCode,
                headers: fault.headers,
                body: Readable.from([Buffer.from(fault.body)]),
              },
              output: undefined,
            };
          case 'throw':
            throw fault.error;
          case 'delay':
            await new Promise((resolve) => setTimeout(resolve, fault.ms));
            return next(args);
          case 'before':
            await fault.run();
            return next(args);
        }
      };
      stack.addRelativeTo(faultMiddleware, {
        name: 'faultInjectionMiddleware',
        relation: 'after',
        toMiddleware: 'deserializerMiddleware',
        override: true,
      });
    },
  };
}

/** Mulberry32: a small seeded PRNG, so a "30% of calls" fault run is the same every time. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const xmlEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The error response AWS sends, in the wire protocol of the service (restJson1, awsJson1.0/1.1,
 * awsQuery, ec2Query), so the real deserializer builds the real error.
 */
export function awsErrorResponse(
  service: string,
  statusCode: number,
  code: string,
  message: string,
): Extract<Fault, { kind: 'respond' }> {
  const requestId = 'fault-injected-0000';
  switch (service) {
    case 'APIGateway':
    case 'ApiGatewayV2':
      return {
        kind: 'respond',
        statusCode,
        headers: {
          'content-type': 'application/json',
          'x-amzn-errortype': code,
          'x-amzn-requestid': requestId,
        },
        body: JSON.stringify({ message }),
      };
    case 'CloudWatch':
    case 'DynamoDB':
    case 'CloudWatchLogs':
    case 'ServiceDiscovery':
      return {
        kind: 'respond',
        statusCode,
        headers: {
          'content-type': `application/x-amz-json-1.${service === 'CloudWatch' || service === 'DynamoDB' ? 0 : 1}`,
          'x-amzn-requestid': requestId,
        },
        body: JSON.stringify({ __type: code, message }),
      };
    case 'EC2':
      return {
        kind: 'respond',
        statusCode,
        headers: { 'content-type': 'text/xml;charset=UTF-8' },
        body:
          `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>${code}</Code>` +
          `<Message>${xmlEscape(message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`,
      };
    default:
      // awsQuery: ELBv2, SNS, STS.
      return {
        kind: 'respond',
        statusCode,
        headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
        body:
          `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${xmlEscape(message)}</Message>` +
          `</Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      };
  }
}

/** The throttling error each service really sends (EC2's is `RequestLimitExceeded`, with HTTP 503). */
export function throttlingResponse(service: string): Extract<Fault, { kind: 'respond' }> {
  switch (service) {
    case 'EC2':
      return awsErrorResponse(service, 503, 'RequestLimitExceeded', 'Request limit exceeded.');
    case 'APIGateway':
    case 'ApiGatewayV2':
      return awsErrorResponse(service, 429, 'TooManyRequestsException', 'Too Many Requests');
    case 'CloudWatch':
    case 'CloudWatchLogs':
    case 'DynamoDB':
      return awsErrorResponse(service, 429, 'ThrottlingException', 'Rate exceeded');
    default:
      return awsErrorResponse(service, 429, 'Throttling', 'Rate exceeded');
  }
}

/**
 * Throttles `rate` of all attempts, chosen by a seeded PRNG. The last attempt of a call is never
 * throttled, so a run with retries finishes (what the SDK's retries are for); the cases where
 * retries run out are the `networkFault` tests.
 */
export function throttleSome(rate: number, seed: number, only: (a: AttemptInfo) => boolean = () => true) {
  const random = seededRandom(seed);
  return (attempt: AttemptInfo): Fault | undefined =>
    only(attempt) && attempt.attempt < attempt.maxAttempts && random() < rate
      ? throttlingResponse(attempt.service)
      : undefined;
}

/** Refuses every call of one IAM action with the AccessDenied AWS sends when the role lacks it. */
export function denyAction(action: string): FaultRule {
  return (attempt) => {
    if (attempt.action !== action) return undefined;
    const message =
      `User: arn:aws:sts::123456789012:assumed-role/auditor/session is not authorized to perform: ${action} ` +
      'because no identity-based policy allows the action';
    return attempt.service === 'EC2'
      ? awsErrorResponse(attempt.service, 403, 'UnauthorizedOperation', message)
      : awsErrorResponse(
          attempt.service,
          403,
          attempt.service.startsWith('ApiGateway') || attempt.service === 'APIGateway'
            ? 'AccessDeniedException'
            : 'AccessDenied',
          message,
        );
  };
}

/** What Node's HTTP stack throws when the peer resets the connection, or a socket times out. */
export function connectionError(kind: 'ECONNRESET' | 'TimeoutError'): Error {
  if (kind === 'ECONNRESET') {
    return Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', errno: -104, syscall: 'read' });
  }
  const error = new Error('Connection timed out after 1000 ms');
  error.name = 'TimeoutError';
  return error;
}

/** Breaks every attempt of the calls `only` selects. */
export function breakConnections(kind: 'ECONNRESET' | 'TimeoutError', only: (a: AttemptInfo) => boolean) {
  return (attempt: AttemptInfo): Fault | undefined =>
    only(attempt) ? { kind: 'throw', error: connectionError(kind) } : undefined;
}

/** Holds every attempt `ms` before it is sent (a slow network or a slow service). */
export const slowDown =
  (ms: number): FaultRule =>
  () => ({ kind: 'delay', ms });

/**
 * Runs `change` once, right before the first call `only` selects; every other call it selects waits
 * until the change is done, so calls sent concurrently cannot overtake it.
 */
export function onceBefore(only: (a: AttemptInfo) => boolean, change: () => Promise<void>): FaultRule {
  let pending: Promise<void> | undefined;
  return (attempt) => {
    if (!only(attempt)) return undefined;
    return {
      kind: 'before',
      run: () => {
        pending ??= change();
        return pending;
      },
    };
  };
}

/**
 * Refuses AssumeRole into the role of `account` with the AccessDenied STS sends when the role does
 * not exist or its trust policy does not trust the caller (AWS does not tell the two apart). The
 * emulator cannot: moto's AssumeRole hands out credentials for any role ARN, existing or not.
 */
export function denyAssumeRole(account: string): FaultRule {
  return (attempt) => {
    const roleArn = String(attempt.input.RoleArn ?? '');
    if (attempt.action !== 'sts:AssumeRole' || !roleArn.includes(`:iam::${account}:`)) return undefined;
    return awsErrorResponse(
      'STS',
      403,
      'AccessDenied',
      `User: arn:aws:iam::123456789012:user/auditor is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    );
  };
}
