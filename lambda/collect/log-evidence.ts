/**
 * Log evidence for `execution-log-network-errors`: the lines in the window that carry one of the
 * network or VPC-link error messages AWS documents, read with one FilterLogEvents request (a
 * combined pattern, a bounded number of pages) in the one log group that belongs to the stage.
 * Each returned line is matched again here, so what counts does not depend on how the server
 * reads the pattern. Which log groups may be searched: log-groups.ts.
 */
import { type CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { LogEvidence, LogLineCount } from '../domain/types';
import { type AuditWindow, type Collected, collected, failed } from '../domain/types';
import type { AttributionField } from './access-log-format';
import { hasErrorCode, toCollectionError } from './collect-error';

export { logGroupName } from './log-groups';

export const IAM_ACTIONS = ['logs:FilterLogEvents'] as const;

/** The AWS pages that document the messages below. */
export const ERROR_MESSAGE_SOURCES = {
  networkEndpoint: 'https://repost.aws/knowledge-center/api-gateway-network-endpoint-error',
  vpcLink500: 'https://repost.aws/knowledge-center/api-gateway-500-error-vpc',
} as const;

/**
 * The messages API Gateway writes when it cannot reach a private integration, as AWS's
 * troubleshooting pages quote them. A line is counted once, under the first message it carries.
 */
export const DOCUMENTED_ERROR_MESSAGES = [
  { text: 'Network error communicating with endpoint', source: ERROR_MESSAGE_SOURCES.networkEndpoint },
  // A VPC link that failed or whose load balancer is gone, a stage variable naming no link, a TLS
  // name mismatch: "Execution failed due to configuration error: <cause>".
  { text: 'Execution failed due to configuration error', source: ERROR_MESSAGE_SOURCES.vpcLink500 },
  // The same causes in an HTTP API's access log, where the integration error has no prefix.
  {
    text: 'There was an internal error while executing your request',
    source: ERROR_MESSAGE_SOURCES.vpcLink500,
  },
  {
    text: 'does not match the certificate subject provided by the peer',
    source: ERROR_MESSAGE_SOURCES.vpcLink500,
  },
] as const;

/**
 * One pattern for all messages (`?"a" ?"b"`: any of them). Terms are case-sensitive: the network
 * error is asked for with and without its capital, as it may stand inside a sentence.
 */
export const ERROR_FILTER_PATTERN = [
  ...DOCUMENTED_ERROR_MESSAGES.map((message) => message.text),
  'network error communicating with endpoint',
]
  .map((text) => `?"${text}"`)
  .join(' ');

/** The documented message a line carries (any capitals), or null. */
export function documentedMessageIn(line: string): string | null {
  const lower = line.toLowerCase();
  return (
    DOCUMENTED_ERROR_MESSAGES.find((message) => lower.includes(message.text.toLowerCase()))?.text ?? null
  );
}

/** Pages read at most per stage: FilterLogEvents may answer a page with few events and a token while it scans. */
export const MAX_PAGES = 5;
/** Events per page (the API's maximum). */
const PAGE_LIMIT = 10_000;

/** Who the log group's lines belong to: the stage's own group, or a format that names the API and stage. */
export type LineOwner =
  | { kind: 'whole-group' }
  | {
      kind: 'by-format';
      attributedBy: AttributionField[];
      attribute: (line: string) => Partial<Record<AttributionField, string>> | null;
      stage: Record<AttributionField, string>;
    };

/**
 * Counts the window's lines that carry a documented message in one log group. A group that does
 * not exist is no evidence (null).
 */
export async function countErrorLines(
  client: CloudWatchLogsClient,
  logGroup: string,
  window: AuditWindow,
  owner: LineOwner,
): Promise<Collected<LogEvidence | null>> {
  const counted: LogLineCount = {
    logGroup,
    count: 0,
    byMessage: {},
    otherStages: 0,
    unattributed: 0,
    attributedBy: owner.kind === 'whole-group' ? ['apiId', 'stage'] : owner.attributedBy,
    truncated: false,
  };
  let nextToken: string | undefined;
  try {
    for (let page = 0; page < MAX_PAGES; page++) {
      const output = await client.send(
        new FilterLogEventsCommand({
          logGroupName: logGroup,
          startTime: Date.parse(window.start),
          endTime: Date.parse(window.end),
          filterPattern: ERROR_FILTER_PATTERN,
          limit: PAGE_LIMIT,
          ...(nextToken ? { nextToken } : {}),
        }),
      );
      for (const event of output.events ?? []) tally(counted, event.message ?? '', owner);
      nextToken = output.nextToken;
      if (!nextToken) break;
    }
  } catch (error) {
    if (hasErrorCode(error, 'ResourceNotFoundException')) return collected(null);
    return failed(toCollectionError('logs:FilterLogEvents', error));
  }
  return collected({ ...counted, truncated: nextToken !== undefined });
}

function tally(counted: LogLineCount, line: string, owner: LineOwner): void {
  const message = documentedMessageIn(line);
  if (!message) return;
  if (owner.kind === 'by-format') {
    const fields = owner.attribute(line);
    if (!fields) {
      counted.unattributed++;
      return;
    }
    if (owner.attributedBy.some((field) => fields[field] !== owner.stage[field])) {
      counted.otherStages++;
      return;
    }
  }
  counted.count++;
  counted.byMessage[message] = (counted.byMessage[message] ?? 0) + 1;
}
