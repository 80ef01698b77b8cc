import type {
  ApiType,
  CanaryInventory,
  CheckResult,
  DeployedIntegration,
  IntegrationFacts,
  StageInventory,
} from '../domain/types';
import type { CheckDefinition } from './check-definition';
import {
  couldNotRead,
  failedCheck,
  integrationsUnreadable,
  notApplicable,
  passed,
  stageKeyOf,
  stageLabel,
  stageResource,
} from './results';

/**
 * What an export leaves out means the default: REST integrations time out after 29 s, HTTP API
 * integrations after 30 s (API Gateway quotas), and an integration that is not on a VPC link is
 * `INTERNET` (the export writes `connectionType` and `connectionId` only for VPC links).
 */
const DEFAULT_TIMEOUT_MS: Record<ApiType, number> = { REST: 29_000, HTTP: 30_000 };

/** The fields that decide where and how long an integration sends; a difference in any moves the path. */
const ROUTING_FIELDS = [
  'type',
  'uri',
  'connectionType',
  'connectionId',
  'integrationTarget',
  'timeoutInMillis',
] as const;
type Meaning = Record<(typeof ROUTING_FIELDS)[number], string>;

/**
 * A Lambda integration's URI in API Gateway's invocation form names the function it invokes; HTTP
 * APIs keep the function ARN as given, exports write the invocation form.
 */
const LAMBDA_INVOCATION =
  /^arn:aws[a-z-]*:apigateway:[a-z0-9-]+:lambda:path\/[^/]+\/functions\/(.+)\/invocations$/;
const canonicalUri = (uri: string): string => LAMBDA_INVOCATION.exec(uri)?.[1] ?? uri;

/** What an integration means, defaults filled and stage variables left as written (`${stageVariables.x}`). */
function meaning(integration: DeployedIntegration, apiType: ApiType): Meaning {
  const connectionType = (integration.connectionType ?? 'INTERNET').toUpperCase();
  return {
    type: (integration.type ?? '').toUpperCase(),
    uri: canonicalUri(integration.uri ?? ''),
    connectionType,
    connectionId: connectionType === 'VPC_LINK' ? (integration.connectionId ?? '') : '',
    integrationTarget: integration.integrationTarget ?? '',
    timeoutInMillis: String(integration.timeoutInMillis ?? DEFAULT_TIMEOUT_MS[apiType]),
  };
}

/** The current definition as configured (before the stage's variables), in the export's terms. */
const asConfigured = (integration: IntegrationFacts): DeployedIntegration => ({
  type: integration.type,
  ...((integration.rawUri ?? integration.uri) ? { uri: integration.rawUri ?? integration.uri } : {}),
  connectionType: integration.connectionType,
  ...(integration.rawConnectionId ? { connectionId: integration.rawConnectionId } : {}),
  ...(integration.integrationTarget ? { integrationTarget: integration.integrationTarget } : {}),
  timeoutInMillis: integration.timeoutMs,
});

/** `uri: deployed http://old, current http://new`, for each field whose meaning differs. */
function differences(
  deployed: DeployedIntegration,
  current: DeployedIntegration,
  apiType: ApiType,
): string[] {
  const [served, now] = [meaning(deployed, apiType), meaning(current, apiType)];
  const shown = (value: string) => value || '(none)';
  return ROUTING_FIELDS.flatMap((field) =>
    served[field] === now[field]
      ? []
      : [`${field}: deployed ${shown(served[field])}, current ${shown(now[field])}`],
  );
}

/**
 * The keys an export files an integration under: REST `METHOD /path`; HTTP each route key that sends
 * to it (`GET /orders`, `ANY /{proxy+}`; the `$default` route is `ANY $default`).
 */
function exportKeys(integration: IntegrationFacts): string[] {
  if (integration.method) return [`${integration.method.httpMethod} ${integration.method.path}`];
  return (integration.routeKeys ?? []).map((key) => (key === '$default' ? 'ANY $default' : key));
}

/** Each method or route whose served integration differs from the current one, or that one side lacks. */
function drifted(
  integrations: IntegrationFacts[],
  served: Record<string, DeployedIntegration>,
  apiType: ApiType,
): string[] {
  const current = new Map(
    integrations.flatMap((integration) => exportKeys(integration).map((key) => [key, integration] as const)),
  );
  const changed = [...current].flatMap(([key, integration]) => {
    const deployed = served[key];
    if (!deployed) return [`${key} is not deployed`];
    const fields = differences(deployed, asConfigured(integration), apiType);
    return fields.length > 0 ? [`${key} (${fields.join('; ')})`] : [];
  });
  const removed = Object.keys(served)
    .filter((key) => !current.has(key))
    .map((key) => `${key} is served but no longer defined`);
  return [...changed, ...removed];
}

const percent = (share: number): string => `${Math.round(share * 1000) / 10}%`;

/** What the message adds about the stage's canary; its deployment is compared only when an export shows it. */
function canaryNote(canary: CanaryInventory | undefined): string {
  if (!canary) return '';
  const share = percent(canary.share);
  return canary.deployedIntegrations
    ? `; its canary (${share} of requests) serves the same deployment`
    : `; its canary (${share} of requests) serves deployment ${canary.deploymentId ?? '(unnamed)'}, which no export shows (GetExport exports a stage's main deployment only): not compared`;
}

function evaluateStage(stage: StageInventory): CheckResult {
  const resource = stageResource(stage.stage);
  const apis = [stageKeyOf(stage)];
  const label = stageLabel(stage.stage);
  if (!stage.integrations.ok) return integrationsUnreadable(stage, stage.integrations.error);
  if (stage.settings.ok && stage.settings.value.autoDeployed) {
    return passed(
      resource,
      apis,
      `${label} deploys every change to the API (AutoDeploy) and its last deployment, ${stage.settings.value.deploymentId ?? ''}, succeeded: it serves the current definition`,
      { autoDeployed: true, deploymentId: stage.settings.value.deploymentId ?? null },
    );
  }
  const deployed = stage.deployedIntegrations;
  if (!deployed) return notApplicable(resource, apis, `the deployment of ${label} was not read`);
  if (!deployed.ok) return couldNotRead(resource, apis, `the deployment of ${label}`, deployed.error);
  if (deployed.value === null) {
    const undeployed = stage.settings.ok && !stage.settings.value.deploymentId;
    return notApplicable(
      resource,
      apis,
      undeployed
        ? `${label} has no deployment: it serves nothing to compare with the current definition`
        : `the export of ${label} carries no integration extension: its deployment cannot be compared with the current definition`,
    );
  }
  const differing = drifted(stage.integrations.value, deployed.value, stage.stage.apiType);
  const compared = stage.integrations.value.length;
  const evidence = {
    compared,
    drifted: differing,
    ...(stage.canary
      ? { canaryShare: stage.canary.share, canaryCompared: !!stage.canary.deployedIntegrations }
      : {}),
  };
  if (differing.length === 0) {
    return passed(
      resource,
      apis,
      `${label} serves the API's current integrations (${compared} compared)${canaryNote(stage.canary)}`,
      evidence,
    );
  }
  return failedCheck(
    resource,
    apis,
    `${label} still serves an older deployment: ${differing.join('; ')}${canaryNote(stage.canary)}`,
    evidence,
  );
}

export const stageDeploymentDrift: CheckDefinition<'stages'> = {
  id: 'stage-deployment-drift',
  title: 'Stage serves the current integrations',
  group: 'beyond-the-article',
  severity: 'high',
  role: 'cause',
  runsFor: ['high-frequency'],
  risk: 'A stage serves its last deployment, not the API as it is now: a VPC link or URI changed and not deployed keeps traffic on the old path, and the current, healthy-looking definition hides the cause.',
  remediation:
    'Deploy the API to the stage (CreateDeployment) so it serves the current integrations, or revert the definition to what the stage serves; the message names each method that differs.',
  docs: [
    'https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-deploy-api.html',
    'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-export-api.html',
    'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-export.html',
  ],
  reads: ['stages'],
  evaluate: ({ stages }) => stages.map(evaluateStage),
};
