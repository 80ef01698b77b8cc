/**
 * The Lambda entry point, kept thin: event -> configuration -> audit -> notify -> metrics -> summary.
 * Everything that decides something lives in the modules it calls.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { runAudit } from './audit';
import { type AwsClients, createClients } from './collect/clients';
import {
  type AlarmRunRequest,
  alarmAuditScope,
  isCloudWatchEvent,
  parseAlarmEvent,
} from './config/alarm-event';
import { type AuditorEnvironment, parseEnvironment } from './config/environment';
import { InvalidEventError, parseInvocationEvent, type RunRequest } from './config/manual-event';
import { expiredRules } from './engine/suppressions';
import type { NotifyOutcome } from './notify/publish-report';
import { publishAuditMetrics, type RunSummary, summarize } from './run-summary';

export { type RunSummary, summarize } from './run-summary';

const logger = new Logger();
const metrics = new Metrics();

/** The notifier (SNS, DynamoDB and its document client) loads on first use: a dry run never needs it. */
const loadNotifier = () => ({
  ...(require('./notify/publish-report') as typeof import('./notify/publish-report')),
  ...(require('./notify/dynamodb-state-store') as typeof import('./notify/dynamodb-state-store')),
});

/** SNS and DynamoDB clients of the function's own Region, created once per container. */
let notifyClients: { key: string; clients: AwsClients } | undefined;

function clientsForNotify(environment: AuditorEnvironment): AwsClients {
  const key = `${environment.region}|${environment.endpoint ?? ''}`;
  if (notifyClients?.key !== key) {
    const target = {
      region: environment.region,
      ...(environment.endpoint ? { endpoint: environment.endpoint } : {}),
    };
    notifyClients = { key, clients: createClients(target) };
  }
  return notifyClients.clients;
}

/** The function's own account, from its ARN (`arn:aws:lambda:<region>:<account>:function:<name>`): no STS call. */
export function accountOfFunction(functionArn: string | undefined): string | undefined {
  const account = functionArn?.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

/** Collection stops early enough to leave time for notifying: 10% of what is left, 15 s at least, half at most. */
export function auditDeadline(nowMs: number, remainingMs: number): number {
  const margin = Math.min(Math.max(15_000, remainingMs * 0.1), remainingMs / 2);
  return nowMs + remainingMs - margin;
}

const optionalAccount = (account: string | undefined) => (account ? { account } : {});

export async function handler(
  event: unknown,
  context: Pick<Context, 'getRemainingTimeInMillis' | 'awsRequestId'> &
    Partial<Pick<Context, 'invokedFunctionArn'>>,
): Promise<RunSummary> {
  logger.appendKeys({ requestId: context.awsRequestId });
  const environment = parseEnvironment(process.env);
  let request: RunRequest | AlarmRunRequest;
  try {
    request = isCloudWatchEvent(event)
      ? parseAlarmEvent(event)
      : parseInvocationEvent(event, environment.periodSeconds);
  } catch (error) {
    if (error instanceof InvalidEventError) logger.error('Invalid event', { problems: error.problems });
    throw error;
  }
  logger.info('Audit starting', { request });

  const now = new Date();
  for (const rule of expiredRules(environment.suppressions, now)) {
    logger.warn('A mute rule expired: its findings are reported again', { rule });
  }
  const report = await runAudit({
    ...(request.trigger === 'alarm'
      ? alarmAuditScope(request)
      : {
          regions: request.regions ?? environment.auditRegions,
          lookbackMinutes: request.lookbackMinutes ?? environment.lookbackMinutes,
          periodSeconds: environment.periodSeconds,
          ...(request.apiIds ? { apiIds: request.apiIds } : {}),
        }),
    allChecks: request.allChecks || environment.settings.allChecks === true,
    thresholds: environment.thresholds,
    ...(environment.accessLogGroupPrefix ? { accessLogGroupPrefix: environment.accessLogGroupPrefix } : {}),
    ...(environment.endpoint ? { endpoint: environment.endpoint } : {}),
    ...(environment.suppressions ? { suppressions: environment.suppressions } : {}),
    ...optionalAccount(accountOfFunction(context.invokedFunctionArn)),
    now,
    deadline: auditDeadline(now.getTime(), context.getRemainingTimeInMillis()),
  });
  publishAuditMetrics(metrics, summarize(report, request, null), report);

  let notification: NotifyOutcome | null = null;
  if (!request.dryRun) {
    const clients = clientsForNotify(environment);
    const { notifyReport, DynamoDbStateStore } = loadNotifier();
    notification = await notifyReport(report, {
      sns: clients.sns,
      topicArn: environment.topicArn,
      store: new DynamoDbStateStore(clients.dynamodb, environment.stateTableName),
      settings: environment.notify,
      now,
      trigger: request.trigger,
    });
    metrics.addMetric('NotificationsPublished', MetricUnit.Count, notification.published);
    metrics.publishStoredMetrics();
  }

  const summary = summarize(report, request, notification);
  logger.info('Audit finished', { summary });
  return summary;
}
