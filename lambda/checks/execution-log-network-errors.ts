import type { CheckDefinition } from '../domain/check';
import type { CheckResult, StageInventory } from '../domain/types';
import { ARTICLE } from './docs-links';
import { couldNotRead, notApplicable, stageKeyOf, stageLabel, stageResource } from './results';

function evaluateStage(stage: StageInventory): CheckResult {
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
  const { count, logGroup } = lines.value;
  const evidence = { count, logGroup, errors5xx: stage.stage.errors5xx };
  if (count > 0) {
    return {
      ...resource,
      status: 'FAIL',
      apis,
      message: `${count} ${logKind} log lines of ${label} in ${logGroup} say "network error communicating with endpoint" (of ${stage.stage.errors5xx} 5xx in the window)`,
      evidence,
    };
  }
  // No matching line is no evidence, not proof of another cause: VPC-link faults often log
  // "Execution failed due to configuration error", and access logs hold the error text only when
  // their format has an error variable.
  const formatHint =
    stage.stage.apiType === 'HTTP' &&
    stage.settings.ok &&
    !/\$context\.(integrationErrorMessage|integration\.error|error\.message)/.test(
      stage.settings.value.accessLog?.format ?? '',
    )
      ? ' (its access-log format has no error variable, so such lines cannot appear)'
      : '';
  return notApplicable(
    resource,
    apis,
    `no ${logKind} log line of ${label} in ${logGroup} says "network error communicating with endpoint"${formatHint}: no evidence either way`,
  );
}

export const executionLogNetworkErrors: CheckDefinition = {
  id: 'execution-log-network-errors',
  title: 'Logs confirm "network error communicating with endpoint"',
  group: 'beyond-the-article',
  severity: 'medium',
  runsFor: ['high-frequency'],
  risk: 'The 5xx metric counts every server error; only the log lines prove that this stage fails with network errors to its endpoint rather than timeouts or backend errors.',
  remediation:
    'When lines are found, follow the failing load balancer checks of this report; when none are, look for other 5xx causes (integration timeouts, backend errors).',
  docs: [
    ARTICLE,
    'https://docs.aws.amazon.com/apigateway/latest/developerguide/view-cloudwatch-log-events-in-cloudwatch-console.html',
    'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AnalyzingLogData.html',
  ],
  evaluate: ({ stages }) => stages.map(evaluateStage),
};
