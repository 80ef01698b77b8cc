/**
 * AWS console links for a stage: its 5xx metric graph and its logs. The CloudWatch console keeps
 * graph state in the URL fragment, encoded in the "jsurl" notation the console uses.
 */

import { wellFormed } from '../domain/display-text';
import type { ApiType, AuditWindow } from '../domain/types';

/** jsurl's string escaping: word characters, `-` and `.` stay; `$` is `!`; others `*hh` / `**hhhh`. */
function jsurlText(text: string): string {
  return text.replace(/[^\w\-.]/g, (char) => {
    if (char === '$') return '!';
    const code = char.charCodeAt(0);
    return code < 0x100
      ? `*${code.toString(16).padStart(2, '0')}`
      : `**${code.toString(16).padStart(4, '0')}`;
  });
}

type JsurlValue = string | number | boolean | null | JsurlValue[] | { [key: string]: JsurlValue };

/** The jsurl notation of a value (`~(key~'value~key2~3)`). */
export function jsurl(value: JsurlValue): string {
  if (value === null) return '~null';
  if (typeof value === 'string') return `~'${jsurlText(value)}`;
  if (typeof value === 'number') return Number.isFinite(value) ? `~${value}` : '~null';
  if (typeof value === 'boolean') return `~${value}`;
  if (Array.isArray(value)) return `~(${value.map(jsurl).join('') || '~'})`;
  const entries = Object.entries(value).map(([key, item]) => `${jsurlText(key)}${jsurl(item)}`);
  return `~(${entries.join('~')})`;
}

const consoleBase = (region: string, service: string): string =>
  `https://${region}.console.aws.amazon.com/${service}/home?region=${encodeURIComponent(region)}`;

export interface StageForLinks {
  region: string;
  apiId: string;
  apiName: string;
  apiType: ApiType;
  stage: string;
}

/** The stage's 5xx count (REST `5XXError` by ApiName+Stage; HTTP `5xx` by ApiId+Stage) next to its requests. */
export function stageErrorGraphUrl(stage: StageForLinks, window: AuditWindow): string {
  const dimensions =
    stage.apiType === 'REST'
      ? ['ApiName', stage.apiName, 'Stage', stage.stage]
      : ['ApiId', stage.apiId, 'Stage', stage.stage];
  const errorMetric = stage.apiType === 'REST' ? '5XXError' : '5xx';
  const graph = {
    metrics: [
      ['AWS/ApiGateway', errorMetric, ...dimensions],
      ['AWS/ApiGateway', 'Count', ...dimensions, { yAxis: 'right' }],
    ],
    view: 'timeSeries',
    stacked: false,
    region: stage.region,
    stat: 'Sum',
    period: window.periodSeconds,
    start: window.start,
    end: window.end,
  };
  return `${consoleBase(stage.region, 'cloudwatch')}#metricsV2:graph=${jsurl(graph)}`;
}

/** REST execution logs live in a log group named after the API and stage. */
export const restExecutionLogGroup = (apiId: string, stage: string): string =>
  `API-Gateway-Execution-Logs_${apiId}/${stage}`;

/** The CloudWatch Logs console page of a log group (the console escapes `%` as `$25` in its fragment). */
export function logGroupUrl(region: string, logGroup: string): string {
  // A name read from AWS may hold a lone surrogate, which encodeURIComponent refuses (URIError).
  const escaped = encodeURIComponent(wellFormed(logGroup)).replace(/%/g, '$25');
  return `${consoleBase(region, 'cloudwatch')}#logsV2:log-groups/log-group/${escaped}`;
}

/** A log group name from a CloudWatch Logs ARN (`arn:aws:logs:region:account:log-group:name[:*]`). */
export function logGroupFromArn(arn: string): string | null {
  const match = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:(.+?)(?::\*)?$/.exec(arn);
  return match?.[1] ?? null;
}
