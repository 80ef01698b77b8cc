import type { ApiType, CheckResult, IntegrationFacts, StageInventory } from '../domain/types';
import { integrationResource } from '../path/build';
import type { CheckDefinition } from './check-definition';
import { ARTICLE } from './docs-links';
import {
  couldNotRead,
  failedCheck,
  integrationsUnreadable,
  notApplicable,
  passed,
  stageKeyOf,
  stageLabel,
  warned,
} from './results';

/** Default integration timeout quota: REST 29 s (raisable for Regional and private APIs), HTTP 30 s (fixed). */
export const TIMEOUT_QUOTA_MS: Record<ApiType, number> = { REST: 29_000, HTTP: 30_000 };
/** Observed latency at or above this share of the timeout leaves no headroom: requests will time out. */
export const LATENCY_HEADROOM_SHARE = 0.9;

/** Which latency figure judges an integration: its own (detailed metrics), or the stage's. */
interface LatencyFigure {
  maxMs: number | null;
  /** The stage-wide maximum of a stage with several integrations: it may belong to another one. */
  stageWideOnly: boolean;
}

function latencyOf(
  stage: StageInventory,
  integration: IntegrationFacts,
  stageMaxMs: number | null,
  shared: boolean,
): LatencyFigure {
  const own = stage.integrationLatencyMaxMsByIntegration?.[integration.id];
  if (own?.ok && own.value !== null) return { maxMs: own.value, stageWideOnly: false };
  return { maxMs: stageMaxMs, stageWideOnly: shared };
}

function evaluateIntegration(
  stage: StageInventory,
  integration: IntegrationFacts,
  { maxMs: latencyMaxMs, stageWideOnly }: LatencyFigure,
): CheckResult {
  const resource = integrationResource(stage, integration);
  const apis = [stageKeyOf(stage)];
  const apiType = stage.stage.apiType;
  const quota = TIMEOUT_QUOTA_MS[apiType];
  const timeout = integration.timeoutMs;
  const evidence = {
    timeoutMs: timeout,
    quotaMs: quota,
    integrationLatencyMaxMs: latencyMaxMs,
    latencyScope: stageWideOnly ? 'stage' : 'integration',
  };
  const label = `integration ${integration.label} of ${stageLabel(stage.stage)}`;
  if (latencyMaxMs !== null && latencyMaxMs >= LATENCY_HEADROOM_SHARE * timeout) {
    const share = `${Math.round((latencyMaxMs / timeout) * 100)}% of the ${timeout} ms timeout of ${label}`;
    if (stageWideOnly) {
      // Several integrations share the stage's figure: it proves that one of them is slow, not which.
      return {
        ...resource,
        status: 'WARN',
        apis,
        message: `the stage's maximum IntegrationLatency in the window, ${latencyMaxMs} ms, is ${share}; only the stage-wide figure exists (turn on detailed metrics to see each method's), so it may belong to another integration`,
        evidence,
      };
    }
    return failedCheck(
      resource,
      apis,
      `the maximum IntegrationLatency in the window, ${latencyMaxMs} ms, is ${share}: targets do not answer in time`,
      evidence,
    );
  }
  if (timeout > quota) {
    if (apiType === 'HTTP') {
      return failedCheck(
        resource,
        apis,
        `${label} has a ${timeout} ms timeout, above the fixed 30000 ms maximum of HTTP APIs`,
        evidence,
      );
    }
    return warned(
      resource,
      apis,
      `${label} has a ${timeout} ms timeout, above the default 29000 ms quota: valid only if the quota was raised for this Regional or private API`,
      evidence,
      'low',
    );
  }
  const observed =
    latencyMaxMs === null
      ? 'no IntegrationLatency data in the window'
      : `${stageWideOnly ? 'stage' : 'its'} maximum IntegrationLatency ${latencyMaxMs} ms`;
  return passed(resource, apis, `${label} has a ${timeout} ms timeout; ${observed}`, evidence);
}

function evaluateStage(stage: StageInventory): CheckResult[] {
  const apis = [stageKeyOf(stage)];
  if (!stage.integrations.ok) return [integrationsUnreadable(stage, stage.integrations.error)];
  const latency = stage.integrationLatencyMaxMs;
  const timed = stage.integrations.value.filter((integration) => integration.type !== 'MOCK');
  return stage.integrations.value.map((integration) => {
    if (integration.type === 'MOCK') {
      return notApplicable(
        integrationResource(stage, integration),
        apis,
        `integration ${integration.label} is a MOCK integration: it has no endpoint to time out`,
      );
    }
    if (!latency.ok) {
      return couldNotRead(
        integrationResource(stage, integration),
        apis,
        `the IntegrationLatency of ${stageLabel(stage.stage)}`,
        latency.error,
      );
    }
    return evaluateIntegration(
      stage,
      integration,
      latencyOf(stage, integration, latency.value, timed.length > 1),
    );
  });
}

export const integrationTimeout: CheckDefinition<'stages'> = {
  id: 'integration-timeout',
  title: 'Integration timeout within quota and clear of observed latency',
  group: 'high-frequency',
  severity: 'medium',
  role: 'cause',
  runsFor: ['high-frequency'],
  risk: 'Targets that answer close to the integration timeout make API Gateway give up on the connection; a timeout above the quota is not honoured.',
  remediation:
    'Keep timeoutInMillis within 29 s (REST, unless the quota was raised) or 30 s (HTTP), and make the targets answer well within it: speed them up, scale them, or make long work asynchronous.',
  docs: [
    ARTICLE,
    'https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html',
    'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html',
  ],
  reads: ['stages'],
  evaluate: ({ stages }) => stages.flatMap(evaluateStage),
};
