/**
 * An HTTP stage's path: its settings, the integrations its API's routes send to (read once per API)
 * and what its deployment serves (one export per deployment).
 */
import type { Integration as HttpIntegration } from '@aws-sdk/client-apigatewayv2';
import { type ClassifiedStage, type Collected, collected, type StageSettings } from '../domain/types';
import {
  httpIntegrationFacts,
  readHttpIntegrations,
  readHttpRouteKeys,
  readHttpStageSettings,
} from './api-gateway-http';
import type { AwsClients } from './clients';
import { Memo } from './memo';
import { DeploymentExports, readHttpStageExport, type ServedIntegrations } from './stage-exports';
import { blameUnreadStage, type StagePathReader } from './stage-path';

interface RoutedHttpIntegration {
  integration: HttpIntegration;
  routeKeys: string[];
}

/** An HTTP API's integrations that a route sends to; the others receive no traffic and are not on any path. */
async function readRoutedHttpIntegrations(
  clients: AwsClients,
  apiId: string,
): Promise<Collected<RoutedHttpIntegration[]>> {
  const [integrations, routeKeys] = await Promise.all([
    readHttpIntegrations(clients.apiGatewayV2, apiId),
    readHttpRouteKeys(clients.apiGatewayV2, apiId),
  ]);
  if (!integrations.ok) return integrations;
  if (!routeKeys.ok) return routeKeys;
  return collected(
    integrations.value.flatMap((integration) => {
      const keys = routeKeys.value[integration.IntegrationId ?? ''];
      return keys ? [{ integration, routeKeys: keys }] : [];
    }),
  );
}

export function httpStagePathReader(clients: AwsClients): StagePathReader {
  const routedIntegrations = new Memo<string, Collected<RoutedHttpIntegration[]>>();
  const exports = new DeploymentExports((apiId, stage) =>
    readHttpStageExport(clients.apiGatewayV2, apiId, stage),
  );
  // No export for a stage with no deployment (it serves nothing), nor for one that auto-deployed
  // every change (it serves the current definition).
  const deployedRead = (
    stage: ClassifiedStage,
    settings: Collected<StageSettings>,
  ): Promise<ServedIntegrations | undefined> => {
    if (settings.ok && !settings.value.deploymentId) return Promise.resolve(collected(null));
    if (settings.ok && settings.value.autoDeployed) return Promise.resolve(undefined);
    return exports.of(stage.apiId, stage.stage, settings.ok ? settings.value.deploymentId : undefined);
  };
  return {
    readSettings: (stage) => readHttpStageSettings(clients.apiGatewayV2, stage.apiId, stage.stage),
    readPaths: async (stage, settingsRead) => {
      const [settings, routed, deployed] = await Promise.all([
        settingsRead,
        routedIntegrations.get(stage.apiId, (id) => readRoutedHttpIntegrations(clients, id)),
        settingsRead.then((settings) => deployedRead(stage, settings)),
      ]);
      const variables: StageSettings['stageVariables'] = settings.ok ? settings.value.stageVariables : {};
      const integrations = routed.ok
        ? collected(
            routed.value.map(({ integration, routeKeys }) =>
              blameUnreadStage(
                { ...httpIntegrationFacts(clients.region, stage.apiId, integration, variables), routeKeys },
                settings,
              ),
            ),
          )
        : routed;
      const deploymentId = settings.ok ? settings.value.deploymentId : undefined;
      return [
        {
          stage,
          settings,
          integrations,
          ...(deployed ? { deployed } : {}),
          ...(deploymentId ? { deploymentId } : {}),
        },
      ];
    },
  };
}
