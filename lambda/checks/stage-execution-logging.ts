import type { CheckDefinition } from '../domain/check';
import type { CheckResult, StageInventory } from '../domain/types';
import { ARTICLE } from './docs-links';
import { couldNotRead, notApplicable, stageKeyOf, stageLabel, stageResource } from './results';

function evaluateStage(stage: StageInventory): CheckResult {
  const resource = stageResource(stage.stage);
  const apis = [stageKeyOf(stage)];
  const label = stageLabel(stage.stage);
  if (stage.stage.apiType === 'HTTP') {
    return notApplicable(resource, apis, `${label} is an HTTP API stage: HTTP APIs have no execution logs`);
  }
  if (!stage.settings.ok)
    return couldNotRead(resource, apis, `the settings of ${label}`, stage.settings.error);
  const logging = stage.settings.value.executionLogging ?? { loggingLevel: 'OFF', dataTraceEnabled: false };
  const evidence = { ...logging };
  if (logging.loggingLevel === 'OFF') {
    return { ...resource, status: 'FAIL', apis, message: `execution logging is off on ${label}`, evidence };
  }
  if (!logging.dataTraceEnabled) {
    return {
      ...resource,
      status: 'WARN',
      apis,
      message: `execution logging on ${label} is at ${logging.loggingLevel} without full request/response data`,
      evidence,
    };
  }
  return {
    ...resource,
    status: 'PASS',
    apis,
    message: `execution logging on ${label} is at ${logging.loggingLevel} with full request/response data`,
    evidence,
  };
}

export const stageExecutionLogging: CheckDefinition = {
  id: 'stage-execution-logging',
  title: 'REST stage writes execution logs with full request/response data',
  group: 'high-frequency',
  severity: 'medium',
  runsFor: ['high-frequency'],
  risk: 'Execution logs hold the "Execution failed due to a network error" line and the request that caused it; without them frequent 504s cannot be traced.',
  remediation:
    'In the stage settings turn on CloudWatch logs at INFO (or ERROR) level with "Log full requests/responses data" (dataTraceEnabled); mind that it can log sensitive payloads, and turn it down once diagnosed.',
  docs: [ARTICLE, 'https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html'],
  evaluate: ({ stages }) => stages.map(evaluateStage),
};
