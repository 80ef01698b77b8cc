import type { CheckResult, LogLineCount, StageInventory } from '../domain/types';
import type { CheckDefinition } from './check-definition';
import { ARTICLE } from './docs-links';
import { couldNotRead, failedCheck, notApplicable, stageKeyOf, stageLabel, stageResource } from './results';

/** The AWS pages that quote the error messages the collector searches for (lambda/collect/log-evidence.ts). */
const VPC_LINK_500_ERRORS = 'https://repost.aws/knowledge-center/api-gateway-500-error-vpc';

const accessLogGroupArn = (stage: StageInventory): string | undefined =>
  stage.settings.ok ? stage.settings.value.accessLog?.destinationArn.replace(/:\*$/, '') : undefined;

/**
 * Other audited stages whose access logs go to the same group and that the format cannot tell
 * apart from this one: with `$context.apiId` another API's lines are told apart, with
 * `$context.stage` another stage's.
 */
function indistinguishablePeers(
  stage: StageInventory,
  lines: LogLineCount,
  allStages: readonly StageInventory[],
): string[] {
  if (stage.stage.apiType === 'REST') return [];
  const group = accessLogGroupArn(stage);
  if (!group) return [];
  return allStages
    .filter(
      (other) => other !== stage && other.stage.apiType === 'HTTP' && accessLogGroupArn(other) === group,
    )
    .filter(
      (other) =>
        (!lines.attributedBy.includes('apiId') || other.stage.apiId === stage.stage.apiId) &&
        (!lines.attributedBy.includes('stage') || other.stage.stage === stage.stage.stage),
    )
    .map((other) => stageLabel(other.stage));
}

const describeMessages = (byMessage: Record<string, number>): string =>
  Object.entries(byMessage)
    .map(([message, count]) => `"${message}" (${count})`)
    .join(', ');

function evaluateStage(stage: StageInventory, allStages: readonly StageInventory[]): CheckResult {
  const resource = stageResource(stage.stage);
  const apis = [stageKeyOf(stage)];
  const label = stageLabel(stage.stage);
  const lines = stage.networkErrorLogLines;
  if (!lines.ok) return couldNotRead(resource, apis, `the logs of ${label}`, lines.error);
  const logKind = stage.stage.apiType === 'REST' ? 'execution' : 'access';
  if (lines.value === null) {
    const loggingOff =
      stage.stage.apiType === 'REST' &&
      stage.settings.ok &&
      (stage.settings.value.executionLogging?.loggingLevel ?? 'OFF') === 'OFF';
    return notApplicable(
      resource,
      apis,
      loggingOff
        ? `execution logging is off on ${label}: no log lines to search`
        : `${label} has no ${logKind} log group to search: no evidence either way`,
    );
  }
  if ('notSearched' in lines.value)
    return {
      ...notApplicable(resource, apis, `${label}: ${lines.value.notSearched}`),
      evidence: { logGroup: lines.value.logGroup },
    };
  const counted = lines.value;
  const { count, logGroup } = counted;
  const evidence = {
    count,
    byMessage: counted.byMessage,
    logGroup,
    otherStages: counted.otherStages,
    unattributed: counted.unattributed,
    truncated: counted.truncated,
    errors5xx: stage.stage.errors5xx,
  };
  const atLeast = counted.truncated ? 'at least ' : '';
  const notCharged = [
    ...(counted.otherStages > 0
      ? [`${counted.otherStages} matching lines of other APIs or stages not counted`]
      : []),
    ...(counted.unattributed > 0
      ? [`${counted.unattributed} matching lines that do not follow the stage's format not counted`]
      : []),
  ];
  const notes = notCharged.length > 0 ? `; ${notCharged.join('; ')}` : '';
  const peers = count > 0 ? indistinguishablePeers(stage, counted, allStages) : [];
  if (peers.length > 0) {
    const missing = (['apiId', 'stage'] as const)
      .filter((field) => !counted.attributedBy.includes(field))
      .map((field) => `$context.${field}`);
    return {
      ...notApplicable(
        resource,
        apis,
        `${atLeast}${count} ${logKind} log lines in ${logGroup} carry a documented network or VPC-link error, but ${peers.join(', ')} log to the same group and the format holds no ${missing.join(' or ')}: the lines cannot be attributed to ${label} (add ${missing.join(' and ')} to the format)`,
      ),
      evidence: { ...evidence, sharedWith: peers },
    };
  }
  if (count > 0) {
    return failedCheck(
      resource,
      apis,
      `${atLeast}${count} ${logKind} log lines of ${label} in ${logGroup} carry a documented network or VPC-link error: ${describeMessages(counted.byMessage)} (of ${stage.stage.errors5xx} 5xx in the window)${notes}`,
      evidence,
    );
  }
  // No matching line is no evidence, not proof of another cause.
  const searched = counted.truncated
    ? ' in the part of the window read (the search stopped at its bound)'
    : '';
  return {
    ...notApplicable(
      resource,
      apis,
      `no ${logKind} log line of ${label} in ${logGroup} carries a documented network or VPC-link error${searched}${notes}: no evidence either way`,
    ),
    evidence,
  };
}

export const executionLogNetworkErrors: CheckDefinition<'stages' | 'allStages'> = {
  id: 'execution-log-network-errors',
  title: 'Logs confirm network or VPC-link errors to the endpoint',
  group: 'beyond-the-article',
  severity: 'medium',
  role: 'evidence',
  runsFor: ['high-frequency'],
  risk: 'The 5xx metric counts every server error; only the log lines ("Network error communicating with endpoint", "Execution failed due to configuration error", the VPC-link errors AWS documents) prove that this stage fails to reach its endpoint rather than timing out or getting backend errors.',
  remediation:
    'When lines are found, follow the failing load balancer checks of this report; when none are, look for other 5xx causes (integration timeouts, backend errors). For HTTP APIs put $context.integrationErrorMessage in the access-log format, and $context.apiId and $context.stage when several stages share the log group.',
  docs: [
    ARTICLE,
    VPC_LINK_500_ERRORS,
    'https://docs.aws.amazon.com/apigateway/latest/developerguide/view-cloudwatch-log-events-in-cloudwatch-console.html',
    'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging-variables.html',
    'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html',
  ],
  reads: ['stages', 'allStages'],
  evaluate: ({ stages, allStages }) => stages.map((stage) => evaluateStage(stage, allStages)),
};
