/**
 * Log evidence for `execution-log-network-errors`: how many lines in the window say "network error
 * communicating with endpoint" (REST execution logs, HTTP access logs), via one Logs Insights query.
 * Which log groups may be queried: log-groups.ts.
 */
import {
  type CloudWatchLogsClient,
  GetQueryResultsCommand,
  StartQueryCommand,
  StopQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { type AuditWindow, type Collected, collected, failed } from '../domain/types';
import { hasErrorCode, toCollectionError } from './collect-error';
import type { LogEvidence } from './log-groups';

export type { LogEvidence } from './log-groups';
export { executionLogGroup, logGroupName } from './log-groups';

export const IAM_ACTIONS = ['logs:GetQueryResults', 'logs:StartQuery', 'logs:StopQuery'] as const;

export const NETWORK_ERROR_QUERY =
  'filter @message like /(?i)network error communicating with endpoint/ | stats count(*) as lines';

export interface PollOptions {
  /** @default 500 */
  intervalMs?: number;
  /** Gives up (ERROR, not a guess) when the query has not finished by then. @default 10_000 */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The query's single `lines` value (no row: no matching line). */
export function countFromResults(results: { field?: string; value?: string }[][] | undefined): number {
  const cell = results?.[0]?.find((field) => field.field === 'lines');
  const count = Number(cell?.value ?? 0);
  return Number.isFinite(count) ? count : 0;
}

/**
 * Stops a query this run no longer waits for: a running query keeps counting against the account's
 * concurrent Logs Insights queries until it ends. Best effort: the read has already failed either way.
 */
async function stopAbandonedQuery(client: CloudWatchLogsClient, queryId: string): Promise<void> {
  await client.send(new StopQueryCommand({ queryId })).catch(() => undefined);
}

/**
 * Counts the window's network-error lines in one log group; a group that does not exist is no
 * evidence (null). A query given up on (timeout, failed poll, deadline) is stopped.
 */
export async function countNetworkErrorLines(
  client: CloudWatchLogsClient,
  logGroup: string,
  window: AuditWindow,
  options: PollOptions = {},
): Promise<Collected<LogEvidence | null>> {
  const { intervalMs = 500, timeoutMs = 10_000, sleep = defaultSleep } = options;
  let queryId: string | undefined;
  try {
    const started = await client.send(
      new StartQueryCommand({
        logGroupName: logGroup,
        startTime: Math.floor(Date.parse(window.start) / 1000),
        endTime: Math.floor(Date.parse(window.end) / 1000),
        queryString: NETWORK_ERROR_QUERY,
      }),
    );
    queryId = started.queryId;
  } catch (error) {
    if (hasErrorCode(error, 'ResourceNotFoundException')) return collected(null);
    return failed(toCollectionError('logs:StartQuery', error));
  }
  if (!queryId) {
    return failed({
      action: 'logs:StartQuery',
      code: 'NoQueryId',
      message: 'StartQuery returned no query id',
    });
  }
  try {
    for (let waited = 0; ; waited += intervalMs) {
      const output = await client.send(new GetQueryResultsCommand({ queryId }));
      if (output.status === 'Complete')
        return collected({ count: countFromResults(output.results), logGroup });
      if (output.status !== 'Running' && output.status !== 'Scheduled' && output.status !== undefined) {
        return failed({
          action: 'logs:GetQueryResults',
          code: `Query${output.status}`,
          message: `the Logs Insights query on ${logGroup} ended ${output.status}`,
        });
      }
      if (waited >= timeoutMs) {
        await stopAbandonedQuery(client, queryId);
        return failed({
          action: 'logs:GetQueryResults',
          code: 'Timeout',
          message: `the Logs Insights query on ${logGroup} did not finish within ${timeoutMs} ms`,
        });
      }
      await sleep(intervalMs);
    }
  } catch (error) {
    await stopAbandonedQuery(client, queryId);
    return failed(toCollectionError('logs:GetQueryResults', error));
  }
}
