/**
 * What each stage's deployment serves, read from the emulator over HTTP: one GetExport per
 * deployment, however many stages serve it, and no ExportApi for an HTTP stage with no deployment.
 * moto's GetExport writes no integration extensions, so `stage-deployment-drift` must say it cannot
 * compare (never PASS); the comparison itself is tested on real export shapes in
 * test/unit/checks/stage-deployment-drift.test.ts. moto ignores `canarySettings`, so the canary's
 * path is tested with SDK recordings (test/unit/collect/stage-exports.test.ts).
 */
import { CreateDeploymentCommand, CreateStageCommand, GetStagesCommand } from '@aws-sdk/client-api-gateway';
import { CreateApiCommand, CreateStageCommand as CreateHttpStageCommand } from '@aws-sdk/client-apigatewayv2';
import { stageDeploymentDrift } from '../../lambda/checks/stage-deployment-drift';
import { CallStats, createClients } from '../../lambda/collect/clients';
import { collectInventory } from '../../lambda/collect/inventory';
import type { ApiType, ClassifiedStage } from '../../lambda/domain/types';
import { must, useEmulator } from '../support/emulator';
import { deployMockRestApi } from '../support/emulator-apis';
import { aClassifiedStage } from '../support/inventory-builders';

const WINDOW = {
  start: new Date(Date.now() - 3_600_000).toISOString(),
  end: new Date().toISOString(),
  periodSeconds: 300,
};

const failing = (apiType: ApiType, apiId: string, apiName: string, stage: string): ClassifiedStage =>
  aClassifiedStage({ region: 'us-east-1', apiType, apiId, apiName, stage });

describe('stage exports on the emulator', () => {
  const aws = useEmulator();

  it('reads one export per deployment and never passes a stage whose export shows no integration', async () => {
    // Arrange: prod and beta serve one deployment, dev another; an HTTP stage has no deployment.
    const setup = aws.clients();
    const restApiId = await deployMockRestApi(setup, 'orders', 'prod');
    const stages = await setup.apiGateway.send(new GetStagesCommand({ restApiId }));
    const deploymentId = must(stages.item?.[0]?.deploymentId, 'prod deployment');
    await setup.apiGateway.send(new CreateStageCommand({ restApiId, stageName: 'beta', deploymentId }));
    await setup.apiGateway.send(new CreateDeploymentCommand({ restApiId, stageName: 'dev' }));
    const http = await setup.apiGatewayV2.send(
      new CreateApiCommand({ Name: 'orders-http', ProtocolType: 'HTTP' }),
    );
    const httpApiId = must(http.ApiId, 'HTTP API');
    await setup.apiGatewayV2.send(new CreateHttpStageCommand({ ApiId: httpApiId, StageName: 'prod' }));
    const stats = new CallStats();
    const clients = createClients(aws.target(), stats);

    // Act
    const inventory = await collectInventory(
      clients,
      [
        failing('REST', restApiId, 'orders', 'prod'),
        failing('REST', restApiId, 'orders', 'beta'),
        failing('REST', restApiId, 'orders', 'dev'),
        failing('HTTP', httpApiId, 'orders-http', 'prod'),
      ],
      WINDOW,
      '123456789012',
    );
    const results = stageDeploymentDrift.evaluate({ stages: inventory.stages });

    // Assert
    expect(stats.calls['APIGateway.GetExport']).toBe(2);
    expect(stats.calls['ApiGatewayV2.ExportApi']).toBeUndefined();
    expect(results.map((result) => [result.status, result.message])).toEqual([
      [
        'SKIPPED',
        'the export of orders/prod carries no integration extension: its deployment cannot be compared with the current definition',
      ],
      [
        'SKIPPED',
        'the export of orders/beta carries no integration extension: its deployment cannot be compared with the current definition',
      ],
      [
        'SKIPPED',
        'the export of orders/dev carries no integration extension: its deployment cannot be compared with the current definition',
      ],
      [
        'SKIPPED',
        'orders-http/prod has no deployment: it serves nothing to compare with the current definition',
      ],
    ]);
    expect(inventory.stages.map((stage) => stage.canary)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  }, 60_000);
});
