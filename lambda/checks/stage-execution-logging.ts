import type {
  CheckResult,
  ExecutionLogging,
  IntegrationFacts,
  StageInventory,
  StageSettings,
} from '../domain/types';
import type { CheckDefinition } from './check-definition';
import { ARTICLE } from './docs-links';
import {
  couldNotRead,
  failedCheck,
  notApplicable,
  passed,
  stageKeyOf,
  stageLabel,
  stageResource,
} from './results';

type LoggingLevel = ExecutionLogging['loggingLevel'];

/** API Gateway's method-settings key for a resource path: `/` escaped as `~1` (`/orders` -> `~1orders`). */
const methodSettingsPath = (path: string): string => path.replaceAll('~', '~0').replaceAll('/', '~1');

/**
 * The logging level a method really has: its own method setting, else its resource's `*` setting,
 * else the stage-wide one (method settings override the stage's `*` `/` `*`).
 */
export function effectiveLoggingLevel(
  settings: StageSettings,
  method: IntegrationFacts['method'],
): LoggingLevel {
  const stageWide = settings.executionLogging?.loggingLevel ?? 'OFF';
  if (!method) return stageWide;
  const path = methodSettingsPath(method.path);
  const overrides = settings.methodLogging ?? {};
  return (
    overrides[`${path}/${method.httpMethod}`]?.loggingLevel ??
    overrides[`${path}/*`]?.loggingLevel ??
    stageWide
  );
}

function evaluateStage(stage: StageInventory): CheckResult {
  const resource = stageResource(stage.stage);
  const apis = [stageKeyOf(stage)];
  const label = stageLabel(stage.stage);
  if (stage.stage.apiType === 'HTTP') {
    return notApplicable(resource, apis, `${label} is an HTTP API stage: HTTP APIs have no execution logs`);
  }
  if (!stage.settings.ok)
    return couldNotRead(resource, apis, `the settings of ${label}`, stage.settings.error);
  const settings = stage.settings.value;
  const stageWide = settings.executionLogging?.loggingLevel ?? 'OFF';
  const overridden = Object.keys(settings.methodLogging ?? {}).length > 0;
  if (!stage.integrations.ok && overridden) {
    // Method settings may turn logging on or off method by method: without the methods, no verdict.
    return couldNotRead(resource, apis, `the methods of ${label}`, stage.integrations.error);
  }
  const methods = stage.integrations.ok ? stage.integrations.value : [];
  const levels = methods.map((integration) => ({
    method: integration.label,
    loggingLevel: effectiveLoggingLevel(settings, integration.method),
  }));
  const evidence = { stageWide, methods: levels };
  const silent = levels.filter((level) => level.loggingLevel === 'OFF');
  if (methods.length === 0 && stageWide === 'OFF') {
    return failedCheck(resource, apis, `execution logging is off on ${label}`, evidence);
  }
  if (silent.length > 0) {
    const which =
      silent.length === levels.length
        ? `execution logging is off on ${label}`
        : `execution logging is off for ${silent.map((level) => level.method).join(', ')} on ${label} (method settings)`;
    return failedCheck(resource, apis, which, evidence);
  }
  const described = [...new Set(levels.map((level) => level.loggingLevel))].join(' or ') || stageWide;
  return passed(
    resource,
    apis,
    `execution logging on ${label} is at ${described}${overridden ? ' (method settings included)' : ''}`,
    evidence,
  );
}

export const stageExecutionLogging: CheckDefinition<'stages'> = {
  id: 'stage-execution-logging',
  title: 'REST stage writes execution logs',
  group: 'high-frequency',
  severity: 'medium',
  role: 'observability',
  runsFor: ['high-frequency'],
  risk: 'Execution logs hold the "Execution failed due to a network error" line and the request that caused it; without them frequent 504s cannot be traced.',
  remediation:
    'In the stage settings (or the method settings that override them) turn on CloudWatch logs at ERROR or INFO level. To trace one failing request, "Log full requests/responses data" (dataTraceEnabled) may help for a short while, but it writes request bodies (personal and card data) to the logs: turn it off once diagnosed.',
  docs: [ARTICLE, 'https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html'],
  reads: ['stages'],
  evaluate: ({ stages }) => stages.map(evaluateStage),
};
