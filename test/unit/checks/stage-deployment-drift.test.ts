import { stageDeploymentDrift } from '../../../lambda/checks/stage-deployment-drift';
import { httpIntegrationFacts } from '../../../lambda/collect/api-gateway-http';
import { restIntegrationFacts } from '../../../lambda/collect/api-gateway-rest';
import { deployedIntegrationsOf } from '../../../lambda/collect/stage-exports';
import {
  type CanaryInventory,
  type CheckResult,
  collected,
  failed,
  type IntegrationFacts,
  type StageInventory,
} from '../../../lambda/domain/types';
import {
  accessDenied,
  albScenario,
  aStageSettings,
  nlbScenario,
  onlyResult,
} from '../../support/inventory-builders';
import {
  HTTP_ROUTE_KEYS,
  httpCurrentDefinition,
  httpStageExport,
  REST_STAGE_VARIABLES,
  restCurrentDefinition,
  restStageExport,
  VARIABLE,
} from '../collect/export-fixtures';

const REST_API = 'a1b2c3';
const HTTP_API = 'h1t2t3p4q5';

/** The current definition as the collector makes it: stage variables applied (`uri` resolved). */
const restIntegrations = (definition = restCurrentDefinition()): IntegrationFacts[] =>
  definition.map((method) => restIntegrationFacts('us-east-1', REST_API, method, REST_STAGE_VARIABLES));

const httpIntegrations = (definition = httpCurrentDefinition()): IntegrationFacts[] =>
  definition.map((integration) => ({
    ...httpIntegrationFacts('us-east-1', HTTP_API, integration, {}),
    routeKeys: HTTP_ROUTE_KEYS[integration.IntegrationId ?? ''] ?? [],
  }));

function drift(
  stage: Partial<Omit<StageInventory, 'stage'>>,
  apiType: 'REST' | 'HTTP' = 'REST',
): CheckResult {
  const inventory = nlbScenario({
    stage: {
      ...stage,
      stage: { apiType, apiId: apiType === 'REST' ? REST_API : HTTP_API },
      settings: stage.settings ?? collected(aStageSettings({ deploymentId: 'd1e2f3' })),
    },
  }).build();
  return onlyResult(stageDeploymentDrift, inventory);
}

const restStage = (exported: unknown, definition = restCurrentDefinition()) =>
  drift({
    integrations: collected(restIntegrations(definition)),
    deployedIntegrations: collected(deployedIntegrationsOf(exported)),
  });

describe('stage-deployment-drift on REST stages: what the export means, not how it is written', () => {
  it('passes a healthy stage whose export omits the defaults and keeps stage variables unresolved', () => {
    // Arrange: the export (lower-case types, no INTERNET connectionType, no timeout, `${stageVariables.x}`
    // in a URI and a connection id) and the current definition (INTERNET, 29000, resolved URIs).
    const result = restStage(restStageExport());

    // Assert: the CORS OPTIONS mock, the Lambda proxy, the HTTP proxy and the private integration all match.
    expect(result).toMatchObject({
      status: 'PASS',
      message: "orders/prod serves the API's current integrations (4 compared)",
      evidence: { compared: 4, drifted: [] },
    });
  });

  it('fails a stage whose deployment still sends to another VPC link than the definition now names', () => {
    // Arrange: the definition now names link vl9z8y7 itself; the deployment uses the stage variable.
    const definition = restCurrentDefinition({ orders: { connectionId: 'vl9z8y7' } });

    // Act
    const result = restStage(restStageExport(), definition);

    // Assert
    expect(result.status).toBe('FAIL');
    expect(result.message).toBe(
      `orders/prod still serves an older deployment: GET /orders (connectionId: deployed ${VARIABLE.vpcLinkId}, current vl9z8y7)`,
    );
  });

  it('fails a stage whose deployment still sends to another URI, and one whose timeout changed', () => {
    const moved = restCurrentDefinition({
      catalog: { uri: VARIABLE.catalogUri.replace('/catalog', '/v2/catalog'), timeoutInMillis: 10_000 },
    });

    const result = restStage(restStageExport(), moved);

    expect(result.status).toBe('FAIL');
    expect(result.evidence).toEqual({
      compared: 4,
      drifted: [
        `GET /catalog (uri: deployed ${VARIABLE.catalogUri}, current ${VARIABLE.catalogUri.replace('/catalog', '/v2/catalog')}; timeoutInMillis: deployed 29000, current 10000)`,
      ],
    });
  });

  it('fails a method the deployment lacks and a method it still serves that the definition removed', () => {
    const exported = restStageExport();
    const { '/catalog': _catalog, ...withoutCatalog } = exported.paths;
    const onlyDeployed = { ...exported, paths: { ...withoutCatalog, '/legacy': exported.paths['/catalog'] } };

    const result = restStage(onlyDeployed);

    expect(result.status).toBe('FAIL');
    expect(result.evidence).toMatchObject({
      drifted: ['GET /catalog is not deployed', 'GET /legacy is served but no longer defined'],
    });
  });

  it('compares the connection only for VPC links: INTERNET stated or omitted means the same', () => {
    const exported = restStageExport();
    const explicit = {
      ...exported,
      paths: {
        ...exported.paths,
        '/catalog': {
          get: {
            'x-amazon-apigateway-integration': {
              ...exported.paths['/catalog'].get['x-amazon-apigateway-integration'],
              connectionType: 'INTERNET',
              timeoutInMillis: 29000,
            },
          },
        },
      },
    };

    expect(restStage(explicit).status).toBe('PASS');
  });

  it('cannot compare, and never passes, when the export carries no integration or could not be read', () => {
    expect(restStage({ openapi: '3.0.1', paths: { '/orders': { get: {} } } }).status).toBe('SKIPPED');
    const unreadable = drift({ deployedIntegrations: failed(accessDenied('apigateway:GetExport')) });
    expect(unreadable).toMatchObject({ status: 'ERROR', evidence: { action: 'apigateway:GetExport' } });
    expect(onlyResult(stageDeploymentDrift, albScenario().build()).status).toBe('SKIPPED');
  });
});

describe('stage-deployment-drift on HTTP API stages (ExportApi with the stage)', () => {
  const httpStage = (exported: unknown, definition = httpCurrentDefinition()) =>
    drift(
      {
        integrations: collected(httpIntegrations(definition)),
        deployedIntegrations: collected(deployedIntegrationsOf(exported)),
      },
      'HTTP',
    );

  it('passes a healthy stage: the private integration and the $default Lambda route match', () => {
    expect(httpStage(httpStageExport())).toMatchObject({
      status: 'PASS',
      evidence: { compared: 2, drifted: [] },
    });
  });

  it('fails a stage whose deployment still sends to another listener', () => {
    const oldListener =
      'arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/net/orders-nlb/50dc6c495c0c9188/0467ef3c8400ae65';

    const result = httpStage(httpStageExport(oldListener));

    expect(result.status).toBe('FAIL');
    expect(result.message).toContain(
      `GET /orders (uri: deployed ${oldListener}, current arn:aws:elasticloadbalancing`,
    );
  });

  it('passes a stage that deployed every change itself, without an export', () => {
    const result = drift(
      {
        integrations: collected(httpIntegrations()),
        settings: collected(
          aStageSettings({ executionLogging: null, deploymentId: 'dty748', autoDeployed: true }),
        ),
      },
      'HTTP',
    );
    expect(result).toMatchObject({
      status: 'PASS',
      message:
        'orders/prod deploys every change to the API (AutoDeploy) and its last deployment, dty748, succeeded: it serves the current definition',
    });
  });

  it('says a stage with no deployment serves nothing to compare (never PASS)', () => {
    const result = drift(
      {
        integrations: collected(httpIntegrations()),
        settings: collected(aStageSettings({ executionLogging: null })),
        deployedIntegrations: collected(null),
      },
      'HTTP',
    );
    expect(result).toMatchObject({
      status: 'SKIPPED',
      message: 'orders/prod has no deployment: it serves nothing to compare with the current definition',
    });
  });
});

describe('stage-deployment-drift with a REST canary', () => {
  const canary = (overrides: Partial<CanaryInventory> = {}): CanaryInventory => ({
    share: 0.1,
    deploymentId: 'c4n4ry',
    stageVariables: { ...REST_STAGE_VARIABLES, vpcLinkId: 'vl9z8y7' },
    integrations: collected(restIntegrations()),
    ...overrides,
  });
  const withCanary = (inventory: CanaryInventory) =>
    drift({
      integrations: collected(restIntegrations()),
      deployedIntegrations: collected(deployedIntegrationsOf(restStageExport())),
      canary: inventory,
    });

  it('says the canary on the same deployment is compared with it', () => {
    const sameDeployment = canary({
      deploymentId: 'd1e2f3',
      deployedIntegrations: collected(deployedIntegrationsOf(restStageExport())),
    });

    const result = withCanary(sameDeployment);

    expect(result.status).toBe('PASS');
    expect(result.message).toContain('its canary (10% of requests) serves the same deployment');
    expect(result.evidence).toMatchObject({ canaryShare: 0.1, canaryCompared: true });
  });

  it('says a canary on another deployment is not compared, which no export can show', () => {
    const result = withCanary(canary());

    expect(result.message).toContain(
      "its canary (10% of requests) serves deployment c4n4ry, which no export shows (GetExport exports a stage's main deployment only): not compared",
    );
    expect(result.evidence).toMatchObject({ canaryCompared: false });
  });
});
