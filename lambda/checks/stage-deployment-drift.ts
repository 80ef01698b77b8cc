import type { CheckDefinition } from '../domain/check';
import type { CheckResult, DeployedIntegration, IntegrationFacts, StageInventory } from '../domain/types';
import {
  couldNotRead,
  integrationsUnreadable,
  notApplicable,
  stageKeyOf,
  stageLabel,
  stageResource,
} from './results';

/** The fields that decide where an integration sends; a difference in any of them moves the path. */
const ROUTING_FIELDS = ['uri', 'connectionType', 'connectionId', 'integrationTarget'] as const;

/** The current definition's values, as configured (before stage variables), to compare with the export's. */
function current(integration: IntegrationFacts): DeployedIntegration {
  return {
    ...(integration.uri ? { uri: integration.uri } : {}),
    connectionType: integration.connectionType,
    ...(integration.rawConnectionId ? { connectionId: integration.rawConnectionId } : {}),
    ...(integration.integrationTarget ? { integrationTarget: integration.integrationTarget } : {}),
  };
}

/** `uri: deployed http://old, current http://new`, for each routing field that differs. */
function differences(deployed: DeployedIntegration, now: DeployedIntegration): string[] {
  return ROUTING_FIELDS.flatMap((field) =>
    (deployed[field] ?? '') === (now[field] ?? '')
      ? []
      : [`${field}: deployed ${deployed[field] ?? '(none)'}, current ${now[field] ?? '(none)'}`],
  );
}

function evaluateStage(stage: StageInventory): CheckResult {
  const resource = stageResource(stage.stage);
  const apis = [stageKeyOf(stage)];
  const label = stageLabel(stage.stage);
  if (stage.stage.apiType === 'HTTP') {
    return notApplicable(resource, apis, `${label} is an HTTP API stage: its deployment is not compared yet`);
  }
  if (!stage.integrations.ok) return integrationsUnreadable(stage, stage.integrations.error);
  const deployed = stage.deployedIntegrations;
  if (!deployed) return notApplicable(resource, apis, `the deployment of ${label} was not read`);
  if (!deployed.ok) return couldNotRead(resource, apis, `the deployment of ${label}`, deployed.error);
  if (deployed.value === null) {
    return notApplicable(
      resource,
      apis,
      `the export of ${label} carries no integration extension: its deployment cannot be compared with the current definition`,
    );
  }
  const served = deployed.value;
  const drifted = stage.integrations.value.flatMap((integration) => {
    if (!integration.method) return [];
    const key = `${integration.method.httpMethod} ${integration.method.path}`;
    const deployedOne = served[key];
    if (!deployedOne) return [`${key} is not deployed`];
    const changed = differences(deployedOne, current(integration));
    return changed.length > 0 ? [`${key} (${changed.join('; ')})`] : [];
  });
  const evidence = { compared: stage.integrations.value.length, drifted };
  if (drifted.length === 0) {
    return {
      ...resource,
      status: 'PASS',
      apis,
      message: `${label} serves the API's current integrations (${stage.integrations.value.length} compared)`,
      evidence,
    };
  }
  return {
    ...resource,
    status: 'FAIL',
    apis,
    message: `${label} still serves an older deployment: ${drifted.join('; ')}`,
    evidence,
  };
}

export const stageDeploymentDrift: CheckDefinition = {
  id: 'stage-deployment-drift',
  title: 'Stage serves the current integrations',
  group: 'beyond-the-article',
  severity: 'high',
  runsFor: ['high-frequency'],
  risk: 'A stage serves its last deployment, not the API as it is now: a VPC link or URI changed and not deployed keeps traffic on the old path, and the current, healthy-looking definition hides the cause.',
  remediation:
    'Deploy the API to the stage (CreateDeployment) so it serves the current integrations, or revert the definition to what the stage serves; the message names each method that differs.',
  docs: [
    'https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-deploy-api.html',
    'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-export-api.html',
  ],
  reads: ['stages'],
  evaluate: ({ stages }) => stages.map(evaluateStage),
};
