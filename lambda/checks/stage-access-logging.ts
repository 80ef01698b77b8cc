import type { ApiType, CheckResult, StageInventory } from '../domain/types';
import type { CheckDefinition } from './check-definition';
import { ARTICLE } from './docs-links';
import { couldNotRead, failedCheck, passed, stageKeyOf, stageLabel, stageResource } from './results';

interface RequiredFact {
  fact: string;
  /** Any one of these variables carries the fact. */
  variables: string[];
}

const INTEGRATION_LATENCY: RequiredFact = {
  fact: 'integration latency',
  variables: ['$context.integration.latency', '$context.integrationLatency'],
};

const INTEGRATION_STATUS: RequiredFact = {
  fact: 'integration status',
  variables: [
    '$context.integrationStatus',
    '$context.integration.status',
    '$context.integration.integrationStatus',
  ],
};

/** The facts the access log must carry; only the error's variable differs between REST and HTTP APIs. */
const REQUIRED_VARIABLES: Record<ApiType, RequiredFact[]> = {
  REST: [
    { fact: 'integration error', variables: ['$context.integration.error'] },
    INTEGRATION_LATENCY,
    INTEGRATION_STATUS,
  ],
  HTTP: [
    {
      fact: 'integration error',
      variables: ['$context.integrationErrorMessage', '$context.integration.error'],
    },
    INTEGRATION_LATENCY,
    INTEGRATION_STATUS,
  ],
};

/** True when `format` uses `variable` as a whole name (`$context.integration.error`, not `...errorX`). */
export function formatUses(format: string, variable: string): boolean {
  const escaped = variable.replace(/[.$]/g, (char) => `\\${char}`);
  return new RegExp(`${escaped}(?![A-Za-z0-9_.])`).test(format);
}

function evaluateStage(stage: StageInventory): CheckResult {
  const resource = stageResource(stage.stage);
  const apis = [stageKeyOf(stage)];
  const label = stageLabel(stage.stage);
  if (!stage.settings.ok)
    return couldNotRead(resource, apis, `the settings of ${label}`, stage.settings.error);
  const accessLog = stage.settings.value.accessLog;
  if (!accessLog) {
    return failedCheck(resource, apis, `access logging is off on ${label}`);
  }
  const missing = REQUIRED_VARIABLES[stage.stage.apiType].filter(
    ({ variables }) => !variables.some((variable) => formatUses(accessLog.format, variable)),
  );
  const evidence = { destinationArn: accessLog.destinationArn, format: accessLog.format };
  if (missing.length > 0) {
    const named = missing.map(({ fact, variables }) => `${fact} (${variables.join(' or ')})`);
    return failedCheck(resource, apis, `the access log format of ${label} lacks ${named.join(', ')}`, {
      ...evidence,
      missing: missing.map(({ variables }) => variables[0]),
    });
  }
  return passed(
    resource,
    apis,
    `${label} logs the integration error, latency and status to ${accessLog.destinationArn}`,
    evidence,
  );
}

export const stageAccessLogging: CheckDefinition<'stages'> = {
  id: 'stage-access-logging',
  title: 'Access logs record why the integration failed',
  group: 'low-frequency',
  severity: 'low',
  role: 'observability',
  runsFor: ['low-frequency'],
  risk: 'Without the integration error, latency and status in the access log, a 504 cannot be told apart from other 5xx or traced to its cause.',
  remediation:
    'Turn on access logging for the stage and add $context.integration.error (REST) or $context.integrationErrorMessage (HTTP), $context.integration.latency and $context.integrationStatus to the format.',
  docs: [
    ARTICLE,
    'https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html',
    'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging-variables.html',
  ],
  reads: ['stages'],
  evaluate: ({ stages }) => stages.map(evaluateStage),
};
