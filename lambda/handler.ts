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
import {
  CLASSIFICATIONS,
  type Classification,
  type Report,
  SEVERITIES,
  type Severity,
  STATUSES,
  type Status,
} from './domain/types';
import type { NotifyOutcome } from './notify/publish-report';

const logger = new Logger();
const metrics = new Metrics();

/** Statuses that ask for attention (the dashboard's "findings" and the summary's list). */
const ACTIONABLE: readonly Status[] = ['FAIL', 'WARN', 'ERROR'];
const MAX_LISTED_FINDINGS = 25;

export interface RunSummary {
  trigger: RunRequest['trigger'] | AlarmRunRequest['trigger'];
  dryRun: boolean;
  /** Why a manual run that did not ask for a dry run is one (it narrows or widens the audit). */
  dryRunReason?: string;
  complete: boolean;
  incompleteReasons: string[];
  regions: string[];
  window: Report['window'];
  stages: Record<Classification, number>;
  findings: Record<Status, number>;
  /** The FAIL/WARN/ERROR findings, most severe first (at most 25). */
  attention: { checkId: string; status: Status; severity: Severity; resourceArn: string; title: string }[];
  /** null on a dry run: nothing was published or remembered. */
  notification: NotifyOutcome | null;
  durationMs: number;
  awsCalls: number;
}

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

const countBy = <K extends string>(keys: readonly K[], values: readonly K[]): Record<K, number> => {
  const counts = Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
  for (const value of values) counts[value] += 1;
  return counts;
};

const optionalAccount = (account: string | undefined) => (account ? { account } : {});

const sumOf = (record: Record<string, number>): number => Object.values(record).reduce((a, b) => a + b, 0);

export function summarize(
  report: Report,
  request: Pick<RunRequest, 'dryRun' | 'dryRunReason'> & { trigger: RunSummary['trigger'] },
  notification: NotifyOutcome | null,
): RunSummary {
  const attention = report.findings
    .filter((finding) => ACTIONABLE.includes(finding.status))
    .sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity))
    .slice(0, MAX_LISTED_FINDINGS)
    .map(({ checkId, status, severity, resourceArn, title }) => ({
      checkId,
      status,
      severity,
      resourceArn,
      title,
    }));
  return {
    trigger: request.trigger,
    dryRun: request.dryRun,
    ...(request.dryRunReason ? { dryRunReason: request.dryRunReason } : {}),
    complete: report.complete,
    incompleteReasons: report.incompleteReasons,
    regions: report.regions,
    window: report.window,
    stages: countBy(
      CLASSIFICATIONS,
      report.apis.map((api) => api.classification),
    ),
    findings: countBy(
      STATUSES,
      report.findings.map((finding) => finding.status),
    ),
    attention,
    notification,
    durationMs: report.stats.durationMs,
    awsCalls: sumOf(report.stats.awsCalls),
  };
}

/** EMF metrics for the dashboard: one series per classification and per severity, zeros included. */
function publishAuditMetrics(summary: RunSummary, report: Report): void {
  for (const classification of CLASSIFICATIONS) {
    metrics
      .singleMetric()
      .addDimension('classification', classification)
      .addMetric('StagesAudited', MetricUnit.Count, summary.stages[classification]);
  }
  const actionable = report.findings.filter((finding) => ACTIONABLE.includes(finding.status));
  const bySeverity = countBy(
    SEVERITIES,
    actionable.map((finding) => finding.severity),
  );
  for (const severity of SEVERITIES) {
    metrics
      .singleMetric()
      .addDimension('severity', severity)
      .addMetric('Findings', MetricUnit.Count, bySeverity[severity]);
  }
  metrics.addMetric('AwsCalls', MetricUnit.Count, summary.awsCalls);
  metrics.addMetric('AuditDurationMs', MetricUnit.Milliseconds, summary.durationMs);
  metrics.addMetric('AuditIncomplete', MetricUnit.Count, report.complete ? 0 : 1);
  metrics.publishStoredMetrics();
}

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
  const report = await runAudit({
    ...(request.trigger === 'alarm'
      ? alarmAuditScope(request)
      : {
          regions: request.regions ?? environment.auditRegions,
          lookbackMinutes: request.lookbackMinutes ?? environment.lookbackMinutes,
          periodSeconds: environment.periodSeconds,
          ...(request.apiIds ? { apiIds: request.apiIds } : {}),
        }),
    allChecks: request.allChecks,
    thresholds: environment.thresholds,
    ...(environment.accessLogGroupPrefix ? { accessLogGroupPrefix: environment.accessLogGroupPrefix } : {}),
    ...(environment.endpoint ? { endpoint: environment.endpoint } : {}),
    ...(environment.suppressions ? { suppressions: environment.suppressions } : {}),
    ...optionalAccount(accountOfFunction(context.invokedFunctionArn)),
    now,
    deadline: auditDeadline(now.getTime(), context.getRemainingTimeInMillis()),
  });
  publishAuditMetrics(summarize(report, request, null), report);

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
