/** An HTTP stage's path: its settings and the integrations its API's routes send to (read once per API). */
import type { Integration as HttpIntegration } from '@aws-sdk/client-apigatewayv2';
import { type Collected, collected, type StageSettings } from '../domain/types';
import {
  httpIntegrationFacts,
  readHttpIntegrations,
  readHttpRouteKeys,
  readHttpStageSettings,
} from './api-gateway-http';
import type { AwsClients } from './clients';
import { Memo } from './memo';
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
  return {
    readSettings: (stage) => readHttpStageSettings(clients.apiGatewayV2, stage.apiId, stage.stage),
    readPath: async (stage, settingsRead) => {
      const [settings, routed] = await Promise.all([
        settingsRead,
        routedIntegrations.get(stage.apiId, (id) => readRoutedHttpIntegrations(clients, id)),
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
      return { stage, settings, integrations };
    },
  };
}
