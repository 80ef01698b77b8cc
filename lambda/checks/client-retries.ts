import type { CheckResult, StageInventory } from '../domain/types';
import type { CheckDefinition } from './check-definition';
import { ARTICLE } from './docs-links';
import { notApplicable, passed, plural, stageKeyOf, stageLabel, stageResource } from './results';

const percent = (ratio: number): string => `${(ratio * 100).toFixed(2)}%`;

function evaluateStage(stage: StageInventory): CheckResult {
  const classified = stage.stage;
  const resource = stageResource(classified);
  const apis = [stageKeyOf(stage)];
  const traffic = `${classified.errors5xx} 5xx in ${classified.requests} requests (${percent(classified.errorRatio)}), in ${classified.periodsWithErrors} of ${plural(classified.periods, 'period')}`;
  const evidence = {
    requests: classified.requests,
    errors5xx: classified.errors5xx,
    errorRatio: classified.errorRatio,
    periodsWithErrors: classified.periodsWithErrors,
    periods: classified.periods,
  };
  switch (classified.classification) {
    case 'low-frequency':
      return {
        ...resource,
        status: 'WARN',
        apis,
        message: `${stageLabel(classified)} had ${traffic}: sporadic network errors are expected at this rate; make sure clients retry them`,
        evidence,
      };
    case 'healthy':
      return passed(resource, apis, `${stageLabel(classified)} had no 5xx in the window`, evidence);
    case 'no-traffic':
      return notApplicable(resource, apis, `${stageLabel(classified)} had no requests in the window`);
    case 'high-frequency':
      return notApplicable(
        resource,
        apis,
        `${stageLabel(classified)} had ${traffic}: errors this frequent are not transient, retries would hide a fault (see the high-frequency checks)`,
      );
  }
}

export const clientRetries: CheckDefinition<'stages'> = {
  id: 'client-retries',
  title: 'Clients retry sporadic network errors',
  group: 'low-frequency',
  severity: 'low',
  role: 'advice',
  runsFor: ['low-frequency'],
  risk: 'A low rate of transient network errors between API Gateway and the endpoint is expected; clients that do not retry surface every one of them as a failure.',
  remediation:
    'Make clients retry 5xx responses of idempotent requests with exponential backoff and jitter (the AWS SDKs do this by default); no change to the API is needed.',
  docs: [
    ARTICLE,
    'https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html',
    'https://aws.amazon.com/builders-library/timeouts-retries-and-backoff-with-jitter/',
  ],
  reads: ['stages'],
  evaluate: ({ stages }) => stages.map(evaluateStage),
};
