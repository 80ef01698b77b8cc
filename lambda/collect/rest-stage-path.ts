/**
 * A REST stage's paths: its settings, its methods' integrations (one listing per API), what its
 * deployment serves (one export per deployment) and, when it has a canary, the canary's path.
 */
import {
  type CanarySettings,
  type Collected,
  collected,
  type IntegrationFacts,
  type StageSettings,
} from '../domain/types';
import {
  type RestMethodIntegration,
  readRestMethodIntegrations,
  readRestStageSettings,
  restIntegrationFacts,
} from './api-gateway-rest';
import type { AwsClients } from './clients';
import { Memo } from './memo';
import { DeploymentExports, readRestStageExport, type ServedIntegrations } from './stage-exports';
import { blameUnreadStage, type StagePath, type StagePathReader } from './stage-path';

/** The canary's variables: the stage's, with `stageVariableOverrides` taking precedence. */
const canaryVariables = (settings: StageSettings, canary: CanarySettings): Record<string, string> => ({
  ...settings.stageVariables,
  ...canary.stageVariableOverrides,
});

/**
 * The stage's own path and, when a canary serves part of its requests, the canary's. A canary at 0%
 * serves nothing and is no path. The canary shares the stage's export when it serves the same
 * deployment; another deployment cannot be exported (GetExport takes a stage, not a deployment).
 */
function restStagePaths(
  own: StagePath,
  settings: StageSettings,
  integrationsWith: (variables: Record<string, string>) => Collected<IntegrationFacts[]>,
): StagePath[] {
  const { canary } = settings;
  if (!canary || canary.percentTraffic <= 0) return [own];
  const share = Math.min(canary.percentTraffic, 100) / 100;
  const variables = canaryVariables(settings, canary);
  const sameDeployment = canary.deploymentId !== undefined && canary.deploymentId === settings.deploymentId;
  const canaryPath: StagePath = {
    stage: own.stage,
    settings: collected({ ...settings, stageVariables: variables }),
    integrations: integrationsWith(variables),
    ...(sameDeployment && own.deployed ? { deployed: own.deployed } : {}),
    variant: 'canary',
    share,
    ...(canary.deploymentId ? { deploymentId: canary.deploymentId } : {}),
  };
  return [{ ...own, variant: 'primary', share: 1 - share }, canaryPath];
}

export function restStagePathReader(clients: AwsClients): StagePathReader {
  const methodIntegrations = new Memo<string, Collected<RestMethodIntegration[]>>();
  const exports = new DeploymentExports((apiId, stage) =>
    readRestStageExport(clients.apiGateway, apiId, stage),
  );
  return {
    readSettings: (stage) => readRestStageSettings(clients.apiGateway, stage.apiId, stage.stage),
    readPaths: async (stage, settingsRead) => {
      const deployedRead: Promise<ServedIntegrations> = settingsRead.then((settings) =>
        exports.of(stage.apiId, stage.stage, settings.ok ? settings.value.deploymentId : undefined),
      );
      const [settings, configured, deployed] = await Promise.all([
        settingsRead,
        methodIntegrations.get(stage.apiId, (id) => readRestMethodIntegrations(clients.apiGateway, id)),
        deployedRead,
      ]);
      const integrationsWith = (variables: Record<string, string>): Collected<IntegrationFacts[]> =>
        configured.ok
          ? collected(
              configured.value.map((method) =>
                blameUnreadStage(
                  restIntegrationFacts(clients.region, stage.apiId, method, variables),
                  settings,
                ),
              ),
            )
          : configured;
      const deploymentId = settings.ok ? settings.value.deploymentId : undefined;
      const own: StagePath = {
        stage,
        settings,
        integrations: integrationsWith(settings.ok ? settings.value.stageVariables : {}),
        deployed,
        ...(deploymentId ? { deploymentId } : {}),
      };
      return settings.ok ? restStagePaths(own, settings.value, integrationsWith) : [own];
    },
  };
}
