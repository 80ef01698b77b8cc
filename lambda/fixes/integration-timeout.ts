/**
 * integration-timeout: the targets answer too close to the timeout, or an HTTP API's timeout is
 * above its 30 s maximum. The one change that can be pasted is the timeout itself, set to the
 * quota: only when that clears the observed latency with the check's own headroom (else the
 * targets must get faster, which no command does) and the figure is the integration's own.
 */
import { z } from 'zod';
import { LATENCY_HEADROOM_SHARE, TIMEOUT_QUOTA_MS } from '../checks/integration-timeout';
import type { Finding, FixSuggestion } from '../domain/types';
import { isRegion, isStageName, parseHttpIntegrationArn, parseRestIntegrationArn } from './ids';
import { awsCommand } from './shell';

const timing = z.object({
  timeoutMs: z.number().int().positive(),
  integrationLatencyMaxMs: z.number().nonnegative().nullable(),
  latencyScope: z.literal('integration'),
});

/**
 * The timeout that fixes the finding, or undefined when setting one cannot. A REST timeout above
 * 29 s is a raised quota: never lowered. An HTTP API's above 30 s is invalid: lowered to 30 s.
 */
function fixedTimeout(evidence: unknown, quotaMs: number, lowerToQuota: boolean): number | undefined {
  const parsed = timing.safeParse(evidence);
  if (!parsed.success) return undefined;
  const { timeoutMs, integrationLatencyMaxMs: latency } = parsed.data;
  if (timeoutMs === quotaMs || (timeoutMs > quotaMs && !lowerToQuota)) return undefined;
  if (latency !== null && latency >= LATENCY_HEADROOM_SHARE * quotaMs) return undefined;
  return quotaMs;
}

function restFix(finding: Finding): FixSuggestion | undefined {
  const ref = parseRestIntegrationArn(finding.resourceArn);
  const timeout = ref && fixedTimeout(finding.evidence, TIMEOUT_QUOTA_MS.REST, false);
  if (!ref || timeout === undefined) return undefined;
  const stages = finding.apis.filter((api) => api.apiId === ref.restApiId).map((api) => api.stage);
  if (stages.length === 0 || !stages.every(isStageName)) return undefined;
  const patch = [{ op: 'replace', path: '/timeoutInMillis', value: String(timeout) }];
  return {
    commands: [
      awsCommand('apigateway', 'update-integration', finding.region, [
        ['--rest-api-id', ref.restApiId],
        ['--resource-id', ref.resourceId],
        ['--http-method', ref.httpMethod],
        ['--patch-operations', JSON.stringify(patch)],
      ]),
      // A REST stage serves a deployment: the change reaches clients once it is deployed.
      ...stages.map((stage) =>
        awsCommand('apigateway', 'create-deployment', finding.region, [
          ['--rest-api-id', ref.restApiId],
          ['--stage-name', stage],
        ]),
      ),
    ],
    cloudFormation: [
      `AWS::ApiGateway::Method ${ref.httpMethod} of resource ${ref.resourceId} (API ${ref.restApiId}): Integration.TimeoutInMillis: ${timeout}, then deploy (a new AWS::ApiGateway::Deployment)`,
    ],
  };
}

function httpFix(finding: Finding): FixSuggestion | undefined {
  const ref = parseHttpIntegrationArn(finding.resourceArn);
  const timeout = ref && fixedTimeout(finding.evidence, TIMEOUT_QUOTA_MS.HTTP, true);
  if (!ref || timeout === undefined) return undefined;
  return {
    commands: [
      awsCommand('apigatewayv2', 'update-integration', finding.region, [
        ['--api-id', ref.apiId],
        ['--integration-id', ref.integrationId],
        ['--timeout-in-millis', String(timeout)],
      ]),
    ],
    cloudFormation: [
      `AWS::ApiGatewayV2::Integration ${ref.integrationId} (API ${ref.apiId}): TimeoutInMillis: ${timeout} (a stage without AutoDeploy also needs a new AWS::ApiGatewayV2::Deployment)`,
    ],
  };
}

export function integrationTimeoutFix(finding: Finding): FixSuggestion | undefined {
  if (!isRegion(finding.region)) return undefined;
  return restFix(finding) ?? httpFix(finding);
}
