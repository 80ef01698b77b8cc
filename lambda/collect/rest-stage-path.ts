/** A REST stage's path: its settings, its methods' integrations (one listing per API) and its deployment. */
import { collected, type StageSettings } from '../domain/types';
import {
  readDeployedIntegrations,
  readRestMethodIntegrations,
  readRestStageSettings,
  restIntegrationFacts,
} from './api-gateway-rest';
import type { AwsClients } from './clients';
import { Memo } from './memo';
import { blameUnreadStage, type StagePathReader } from './stage-path';

export function restStagePathReader(clients: AwsClients): StagePathReader {
  const methodIntegrations = new Memo<string, Awaited<ReturnType<typeof readRestMethodIntegrations>>>();
  return {
    readSettings: (stage) => readRestStageSettings(clients.apiGateway, stage.apiId, stage.stage),
    readPath: async (stage, settingsRead) => {
      const [settings, configured, deployed] = await Promise.all([
        settingsRead,
        methodIntegrations.get(stage.apiId, (id) => readRestMethodIntegrations(clients.apiGateway, id)),
        readDeployedIntegrations(clients.apiGateway, stage.apiId, stage.stage),
      ]);
      const variables: StageSettings['stageVariables'] = settings.ok ? settings.value.stageVariables : {};
      const integrations = configured.ok
        ? collected(
            configured.value.map((method) =>
              blameUnreadStage(
                restIntegrationFacts(clients.region, stage.apiId, method, variables),
                settings,
              ),
            ),
          )
        : configured;
      return { stage, settings, integrations, deployed };
    },
  };
}
