/**
 * The log groups the auditor may search for network-error evidence, decided without the SDK (the
 * Lambda's configuration and the CDK construct read it too).
 *
 * Only log groups that belong to the audited stages are queried: a REST stage's execution log group
 * (named by API Gateway after the API and stage), and an access-log destination only when its name
 * starts with the configured prefix: an API owner can point an access log at any log group of the
 * account, and the auditor must not read one it was not meant to. The Lambda's IAM policy allows the
 * search action on these groups only (`queryableLogGroupArns`).
 */

/**
 * Read actions the IAM policy limits to the queryable log groups: the Service Authorization
 * Reference lists the `log-group` resource type (required) for FilterLogEvents.
 */
export const LOG_GROUP_SCOPED_ACTIONS = ['logs:FilterLogEvents'] as const;

/** API Gateway names every REST execution log group `API-Gateway-Execution-Logs_<apiId>/<stage>`. */
export const EXECUTION_LOG_GROUP_PREFIX = 'API-Gateway-Execution-Logs_';

/** CloudWatch Logs' characters for a log group name; a prefix holds no wildcard. */
const LOG_GROUP_NAME_CHARS = /^[A-Za-z0-9_\-./#]+$/;

/** Why a prefix is not usable for access-log groups, or null when it is. */
export function accessLogGroupPrefixProblem(prefix: string): string | null {
  if (prefix.length < 2 || prefix.length > 255)
    return 'must be 2 to 255 characters: the start of the names of the log groups your access logs go to';
  if (!LOG_GROUP_NAME_CHARS.test(prefix))
    return 'may hold only the characters of a log group name (letters, digits, _ - . / #), no wildcard';
  if (EXECUTION_LOG_GROUP_PREFIX.startsWith(prefix))
    return `must not cover API Gateway's execution log groups (${EXECUTION_LOG_GROUP_PREFIX}*), which are always searched`;
  return null;
}

import type { LogEvidence } from '../domain/types';

export type { LogEvidence } from '../domain/types';

/** The access-log group to search for a stage, or why there is none to search (null: no access log). */
export function accessLogGroupToSearch(
  destinationArn: string | undefined,
  prefix: string | undefined,
): { search: string } | { skip: LogEvidence | null } {
  const group = destinationArn ? logGroupName(destinationArn) : null;
  if (!group) return { skip: null };
  if (prefix && group.startsWith(prefix)) return { search: group };
  return {
    skip: {
      logGroup: group,
      notSearched: prefix
        ? `its access log group ${group} does not start with the configured prefix ${prefix}: not searched`
        : 'access log groups are searched only under a configured prefix (accessLogGroupPrefix), and none is set',
    },
  };
}

/** The log group ARNs the auditor may query: every execution log group, and the access-log prefix. */
export function queryableLogGroupArns(
  partition: string,
  account: string,
  regions: readonly string[],
  accessLogGroupPrefix: string | undefined,
): string[] {
  const prefixes = [EXECUTION_LOG_GROUP_PREFIX, ...(accessLogGroupPrefix ? [accessLogGroupPrefix] : [])];
  return regions.flatMap((region) =>
    prefixes.map((prefix) => `arn:${partition}:logs:${region}:${account}:log-group:${prefix}*`),
  );
}

/** REST execution logs live in a group API Gateway names after the API and stage. */
export const executionLogGroup = (apiId: string, stage: string): string =>
  `${EXECUTION_LOG_GROUP_PREFIX}${apiId}/${stage}`;

/** `arn:aws:logs:<region>:<account>:log-group:<name>[:*]` -> `<name>`; null if not a log group ARN. */
export function logGroupName(destinationArn: string): string | null {
  const match = /^arn:aws[a-z-]*:logs:[^:]*:[^:]*:log-group:(.+?)(:\*)?$/.exec(destinationArn);
  return match?.[1] ?? null;
}
