/**
 * What each stage's deployment serves and its canary, as the collector reads them. SDK recordings,
 * not the emulator: moto's GetExport writes no integration extensions, its ExportApi is not
 * implemented, and its CreateStage/UpdateStage ignore `canarySettings` (notes/emulator.md; moto
 * 5.2's apigateway Stage has no canary field).
 */
import {
  GetExportCommand,
  GetResourcesCommand,
  GetStageCommand,
  GetVpcLinksCommand,
  type Stage,
} from '@aws-sdk/client-api-gateway';
import {
  ExportApiCommand,
  GetStageCommand as GetHttpStageCommand,
  type GetStageCommandOutput as GetHttpStageOutput,
  GetIntegrationsCommand,
  GetRoutesCommand,
} from '@aws-sdk/client-apigatewayv2';
import { DescribeLoadBalancersCommand, type LoadBalancer } from '@aws-sdk/client-elastic-load-balancing-v2';
import { collectInventory } from '../../../lambda/collect/inventory';
import { deployedIntegrationsOf } from '../../../lambda/collect/stage-exports';
import { readStagePaths } from '../../../lambda/collect/stage-reads';
import type { ClassifiedStage } from '../../../lambda/domain/types';
import {
  exportBody,
  HTTP_ROUTE_KEYS,
  httpCurrentDefinition,
  httpStageExport,
  LAMBDA_INVOCATION_URI,
  NLB_DNS,
  REST_STAGE_VARIABLES,
  restCurrentDefinition,
  restStageExport,
  VARIABLE,
} from './export-fixtures';
import { ACCOUNT, stage } from './real-account';
import { recordedClients, WINDOW } from './recorded-clients';

const ELB = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}`;
const NLB = { arn: `${ELB}:loadbalancer/net/orders-nlb/50dc6c495c0c9188`, link: 'vl1a2b3' };
const CANARY_NLB = { arn: `${ELB}:loadbalancer/net/orders-v2-nlb/6e1f0a9b8c7d6e5f`, link: 'vl9z8y7' };

/** A load balancer as DescribeLoadBalancers returns it (ELB API reference, LoadBalancer). */
const nlb = (LoadBalancerArn: string, name: string): LoadBalancer => ({
  LoadBalancerArn,
  LoadBalancerName: name,
  DNSName: `${name}-50dc6c495c0c9188.elb.us-east-1.amazonaws.com`,
  Scheme: 'internal',
  VpcId: 'vpc-3ac0fb5f',
  State: { Code: 'active' },
  Type: 'network',
  AvailabilityZones: [{ ZoneName: 'us-east-1a', SubnetId: 'subnet-8360a9e7' }],
  IpAddressType: 'ipv4',
});

/**
 * The REST API of export-fixtures.ts: GetStage (API Gateway API reference, Stage, with
 * `canarySettings` as CanarySettings documents it), GetResources, both V1 links, both NLBs.
 */
function recordRestAccount(canarySettings?: Stage['canarySettings']) {
  const recorded = recordedClients();
  const { mocks } = recorded;
  mocks.apiGateway.on(GetStageCommand).resolves({
    stageName: 'prod',
    deploymentId: 'd1e2f3',
    variables: REST_STAGE_VARIABLES,
    ...(canarySettings ? { canarySettings } : {}),
  });
  mocks.apiGateway.on(GetResourcesCommand).resolves({
    items: restCurrentDefinition().map(({ resourceId, path, method, integration }) => ({
      id: resourceId,
      path,
      resourceMethods: { [method]: { httpMethod: method, methodIntegration: integration } },
    })),
  });
  mocks.apiGateway.on(GetExportCommand).resolves({
    contentType: 'application/json',
    body: exportBody(restStageExport()) as never,
  });
  mocks.apiGateway.on(GetVpcLinksCommand).resolves({
    items: [NLB, CANARY_NLB].map(({ arn, link }) => ({
      id: link,
      name: link,
      targetArns: [arn],
      status: 'AVAILABLE',
      statusMessage: 'Your vpc link is ready for use',
    })),
  });
  const described = [nlb(NLB.arn, 'orders-nlb'), nlb(CANARY_NLB.arn, 'orders-v2-nlb')];
  mocks.elb.on(DescribeLoadBalancersCommand).callsFake(({ LoadBalancerArns }) => ({
    LoadBalancers: described.filter((lb) => LoadBalancerArns?.includes(lb.LoadBalancerArn)),
  }));
  return recorded;
}

const CANARY = {
  percentTraffic: 10,
  deploymentId: 'c4n4ry',
  stageVariableOverrides: { vpcLinkId: CANARY_NLB.link },
  useStageCache: false,
};

const ordersIntegration = (integrations: { ok: boolean; value?: { label: string }[] } | undefined) =>
  integrations?.ok
    ? integrations.value?.find((integration) => integration.label === 'GET /orders')
    : undefined;

describe('a REST stage’s canary is a second path with its share of the requests', () => {
  it('follows a canary whose variable override points at another VPC link to that link’s load balancer', async () => {
    // Arrange
    const recorded = recordRestAccount(CANARY);

    // Act
    const inventory = await collectInventory(recorded.clients, [stage({})], WINDOW, ACCOUNT);

    // Assert: the stage's own path goes through vl1a2b3, the canary's (10%) through vl9z8y7.
    const [audited] = inventory.stages;
    expect(ordersIntegration(audited?.integrations)).toMatchObject({
      vpcLinkId: NLB.link,
      loadBalancerArns: [NLB.arn],
    });
    expect(audited?.canary).toMatchObject({
      share: 0.1,
      deploymentId: 'c4n4ry',
      stageVariables: { vpcLinkId: CANARY_NLB.link, catalogHost: REST_STAGE_VARIABLES.catalogHost },
    });
    expect(ordersIntegration(audited?.canary?.integrations)).toMatchObject({
      vpcLinkId: CANARY_NLB.link,
      loadBalancerArns: [CANARY_NLB.arn],
    });
    expect(Object.keys(inventory.vpcLinks).sort()).toEqual([NLB.link, CANARY_NLB.link].sort());
    expect(inventory.loadBalancers[CANARY_NLB.arn]?.ok).toBe(true);
    // A canary on another deployment shows in no export (GetExport takes a stage): one export, for the stage.
    expect(audited?.canary?.deployedIntegrations).toBeUndefined();
    expect(recorded.mocks.apiGateway.commandCalls(GetExportCommand)).toHaveLength(1);
  });

  it('healthy twin: without a canary the stage has one path, through its own link only', async () => {
    const recorded = recordRestAccount();

    const inventory = await collectInventory(recorded.clients, [stage({})], WINDOW, ACCOUNT);

    expect(inventory.stages).toHaveLength(1);
    expect(inventory.stages[0]?.canary).toBeUndefined();
    expect(Object.keys(inventory.vpcLinks)).toEqual([NLB.link]);
    expect(inventory.loadBalancers[CANARY_NLB.arn]).toBeUndefined();
  });

  it('a canary at 0% carries no traffic and is no path; one on the stage’s deployment shares its export', async () => {
    const idle = await readStagePaths(
      recordRestAccount({ ...CANARY, percentTraffic: 0 }).clients,
      [stage({})],
      WINDOW,
      undefined,
    );
    expect(idle.paths.map((path) => path.variant ?? 'all')).toEqual(['all']);

    const sameDeployment = await readStagePaths(
      recordRestAccount({ ...CANARY, deploymentId: 'd1e2f3' }).clients,
      [stage({})],
      WINDOW,
      undefined,
    );
    const [own, canary] = sameDeployment.paths;
    expect([own?.variant, own?.share, canary?.variant, canary?.share]).toEqual([
      'primary',
      0.9,
      'canary',
      0.1,
    ]);
    expect(canary?.deployed).toBe(own?.deployed);
  });
});

describe('one export per deployment', () => {
  it('reads one GetExport for two stages that serve the same deployment, and one per other deployment', async () => {
    // Arrange: prod and beta serve d1e2f3, dev serves another deployment.
    const recorded = recordRestAccount();
    recorded.mocks.apiGateway
      .on(GetStageCommand, { stageName: 'dev' })
      .resolves({ stageName: 'dev', deploymentId: 'a9b8c7', variables: REST_STAGE_VARIABLES });
    const stages: ClassifiedStage[] = ['prod', 'beta', 'dev'].map((name) => stage({ stage: name }));

    // Act
    const read = await readStagePaths(recorded.clients, stages, WINDOW, undefined);

    // Assert
    const exported = recorded.mocks.apiGateway
      .commandCalls(GetExportCommand)
      .map((call) => call.args[0].input);
    expect(exported.map((input) => input.stageName).sort()).toEqual(['dev', 'prod']);
    expect(exported[0]).toMatchObject({ exportType: 'oas30', parameters: { extensions: 'integrations' } });
    expect(read.paths.map((path) => path.deploymentId)).toEqual(['d1e2f3', 'd1e2f3', 'a9b8c7']);
    expect(read.paths[1]?.deployed).toBe(read.paths[0]?.deployed);
  });
});

describe('HTTP API stages: ExportApi with the stage', () => {
  /** GetStage (API Gateway V2 API reference, Stage), GetIntegrations, GetRoutes and the stage's export. */
  function recordHttpAccount(deploymentId?: string, autoDeploy: Partial<GetHttpStageOutput> = {}) {
    const recorded = recordedClients();
    const { mocks } = recorded;
    mocks.apiGatewayV2.on(GetHttpStageCommand).resolves({
      StageName: 'prod',
      AutoDeploy: false,
      ...(deploymentId ? { DeploymentId: deploymentId } : {}),
      ...autoDeploy,
    });
    mocks.apiGatewayV2.on(GetIntegrationsCommand).resolves({ Items: httpCurrentDefinition() });
    mocks.apiGatewayV2.on(GetRoutesCommand).resolves({
      Items: Object.entries(HTTP_ROUTE_KEYS).map(([integrationId, [RouteKey]], index) => ({
        RouteId: `rt${index}`,
        RouteKey,
        Target: `integrations/${integrationId}`,
      })),
    });
    mocks.apiGatewayV2.on(ExportApiCommand).resolves({ body: exportBody(httpStageExport()) as never });
    return recorded;
  }
  const httpStage = stage({ apiType: 'HTTP', apiId: 'h1t2t3p4q5', apiName: 'orders-http' });

  it('reads what the stage’s deployment serves, keyed by route', async () => {
    const recorded = recordHttpAccount('dep1');

    const read = await readStagePaths(recorded.clients, [httpStage], WINDOW, undefined);

    expect(recorded.mocks.apiGatewayV2.commandCalls(ExportApiCommand)[0]?.args[0].input).toEqual({
      ApiId: 'h1t2t3p4q5',
      StageName: 'prod',
      Specification: 'OAS30',
      OutputType: 'JSON',
      IncludeExtensions: true,
    });
    const deployed = read.paths[0]?.deployed;
    expect(deployed?.ok && deployed.value && Object.keys(deployed.value).sort()).toEqual([
      'ANY $default',
      'GET /orders',
    ]);
  });

  it('reads no export for a stage that deployed every change itself, and one when that is not known', async () => {
    // GetStage of an auto-deployed stage (AWS CLI reference, apigatewayv2 get-stages example).
    const deployed = recordHttpAccount('dty748', {
      AutoDeploy: true,
      LastDeploymentStatusMessage: "Successfully deployed stage with deployment ID 'dty748'",
    });
    const noStatus = recordHttpAccount('dty748', { AutoDeploy: true });

    const [read, unknown] = await Promise.all([
      readStagePaths(deployed.clients, [httpStage], WINDOW, undefined),
      readStagePaths(noStatus.clients, [httpStage], WINDOW, undefined),
    ]);

    expect(deployed.mocks.apiGatewayV2.commandCalls(ExportApiCommand)).toHaveLength(0);
    expect(read.paths[0]?.settings).toMatchObject({ ok: true, value: { autoDeployed: true } });
    expect(read.paths[0]?.deployed).toBeUndefined();
    expect(noStatus.mocks.apiGatewayV2.commandCalls(ExportApiCommand)).toHaveLength(1);
    expect(unknown.paths[0]?.settings.ok && unknown.paths[0].settings.value.autoDeployed).toBeUndefined();
  });

  it('reads no export for a stage with no deployment', async () => {
    const recorded = recordHttpAccount();

    const read = await readStagePaths(recorded.clients, [httpStage], WINDOW, undefined);

    expect(recorded.mocks.apiGatewayV2.commandCalls(ExportApiCommand)).toHaveLength(0);
    expect(read.paths[0]?.deployed).toEqual({ ok: true, value: null });
  });
});

describe('deployedIntegrationsOf', () => {
  it('keeps each integration as the export writes it, keyed METHOD /path, ANY for any-method', () => {
    expect(deployedIntegrationsOf(restStageExport())).toEqual({
      'OPTIONS /{proxy+}': { type: 'mock' },
      'ANY /{proxy+}': { type: 'aws_proxy', uri: LAMBDA_INVOCATION_URI },
      'GET /orders': {
        type: 'http_proxy',
        uri: `http://${NLB_DNS}/orders`,
        connectionType: 'VPC_LINK',
        connectionId: VARIABLE.vpcLinkId,
      },
      'GET /catalog': { type: 'http_proxy', uri: VARIABLE.catalogUri },
    });
    expect(deployedIntegrationsOf(httpStageExport())?.['ANY $default']).toEqual({
      type: 'aws_proxy',
      uri: LAMBDA_INVOCATION_URI,
      connectionType: 'INTERNET',
      timeoutInMillis: 30000,
    });
  });

  it('is null for an export without integration extensions, or no document', () => {
    expect(deployedIntegrationsOf({ openapi: '3.0.1', paths: { '/orders': { get: {} } } })).toBeNull();
    expect(deployedIntegrationsOf(null)).toBeNull();
  });
});
