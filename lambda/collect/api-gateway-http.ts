/** HTTP API (API Gateway v2) reads: stage settings, integrations, VPC links. apigatewayv2 has no paginators. */
import {
  type ApiGatewayV2Client,
  GetIntegrationsCommand,
  GetRoutesCommand,
  GetStageCommand,
  type GetStageCommandOutput,
  GetVpcLinksCommand,
  type Integration,
} from '@aws-sdk/client-apigatewayv2';
import { httpIntegrationArn, vpcLinkArn } from '../domain/arns';
import type { Collected, IntegrationFacts, StageSettings, VpcLinkFacts } from '../domain/types';
import { attempt } from './collect-error';
import { resolveIntegrationTarget } from './integration-uri';

export const IAM_ACTIONS = ['apigateway:GET'] as const;

/** HTTP API integrations time out after 30 s at most (the default). */
export const HTTP_DEFAULT_TIMEOUT_MS = 30_000;

export function readHttpStageSettings(
  client: ApiGatewayV2Client,
  apiId: string,
  stage: string,
): Promise<Collected<StageSettings>> {
  return attempt('apigateway:GetStage', async () => {
    const output = await client.send(new GetStageCommand({ ApiId: apiId, StageName: stage }));
    const accessLog = output.AccessLogSettings;
    return {
      accessLog: accessLog?.DestinationArn
        ? { destinationArn: accessLog.DestinationArn, format: accessLog.Format ?? '' }
        : null,
      executionLogging: null,
      stageVariables: output.StageVariables ?? {},
      ...(output.DeploymentId ? { deploymentId: output.DeploymentId } : {}),
      ...(autoDeployed(output) ? { autoDeployed: true as const } : {}),
    };
  });
}

/**
 * Whether the stage deploys every change and its last automatic deployment succeeded: GetStage then
 * says `Successfully deployed stage with deployment ID '<DeploymentId>'` (AWS CLI reference,
 * apigatewayv2 get-stages example); a failed one leaves another message and the older deployment.
 */
const autoDeployed = (stage: GetStageCommandOutput): boolean =>
  stage.AutoDeploy === true &&
  !!stage.DeploymentId &&
  stage.LastDeploymentStatusMessage ===
    `Successfully deployed stage with deployment ID '${stage.DeploymentId}'`;

export function readHttpIntegrations(
  client: ApiGatewayV2Client,
  apiId: string,
): Promise<Collected<Integration[]>> {
  return attempt('apigateway:GetIntegrations', async () => {
    return listAll((nextToken) =>
      client.send(
        new GetIntegrationsCommand({
          ApiId: apiId,
          MaxResults: '500',
          ...(nextToken ? { NextToken: nextToken } : {}),
        }),
      ),
    );
  });
}

/** Follows NextToken through an apigatewayv2 listing (the client ships no paginators). */
async function listAll<T>(
  readPage: (
    nextToken: string | undefined,
  ) => Promise<{ Items?: T[] | undefined; NextToken?: string | undefined }>,
): Promise<T[]> {
  const items: T[] = [];
  let nextToken: string | undefined;
  do {
    const page = await readPage(nextToken);
    items.push(...(page.Items ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return items;
}

/**
 * Integration id -> the route keys that send to it. A route targets `integrations/<id>`; an
 * integration no route targets receives no traffic.
 */
export function readHttpRouteKeys(
  client: ApiGatewayV2Client,
  apiId: string,
): Promise<Collected<Record<string, string[]>>> {
  return attempt('apigateway:GetRoutes', async () => {
    const routes = await listAll((nextToken) =>
      client.send(
        new GetRoutesCommand({
          ApiId: apiId,
          MaxResults: '500',
          ...(nextToken ? { NextToken: nextToken } : {}),
        }),
      ),
    );
    const byIntegration: Record<string, string[]> = {};
    for (const route of routes) {
      const integrationId = /^integrations\/(.+)$/.exec(route.Target ?? '')?.[1];
      if (integrationId && route.RouteKey) {
        byIntegration[integrationId] = [...(byIntegration[integrationId] ?? []), route.RouteKey].sort();
      }
    }
    return byIntegration;
  });
}

export function httpIntegrationFacts(
  region: string,
  apiId: string,
  integration: Integration,
  stageVariables: Record<string, string>,
): IntegrationFacts {
  const id = integration.IntegrationId ?? 'unknown';
  const facts: IntegrationFacts = {
    id,
    arn: httpIntegrationArn(region, apiId, id),
    label: `${id} ${integration.IntegrationUri ?? ''}`.trim(),
    type: integration.IntegrationType ?? 'UNKNOWN',
    connectionType: integration.ConnectionType === 'VPC_LINK' ? 'VPC_LINK' : 'INTERNET',
    ...(integration.ConnectionType === 'VPC_LINK' ? { vpcLinkVersion: 'V2' as const } : {}),
    timeoutMs: integration.TimeoutInMillis ?? HTTP_DEFAULT_TIMEOUT_MS,
    loadBalancerArns: [],
  };
  return {
    ...facts,
    ...resolveIntegrationTarget(
      {
        ...(integration.IntegrationUri ? { uri: integration.IntegrationUri } : {}),
        ...(integration.ConnectionId ? { connectionId: integration.ConnectionId } : {}),
        label: `integration ${id}`,
      },
      stageVariables,
    ),
  };
}

export function listHttpVpcLinks(
  client: ApiGatewayV2Client,
  region: string,
): Promise<Collected<VpcLinkFacts[]>> {
  return attempt('apigateway:GetVpcLinks', async () => {
    const listed = await listAll((nextToken) =>
      client.send(
        new GetVpcLinksCommand({ MaxResults: '500', ...(nextToken ? { NextToken: nextToken } : {}) }),
      ),
    );
    const links: VpcLinkFacts[] = [];
    for (const link of listed) {
      if (!link.VpcLinkId) continue;
      links.push({
        id: link.VpcLinkId,
        arn: vpcLinkArn(region, link.VpcLinkId),
        name: link.Name ?? link.VpcLinkId,
        version: 'V2',
        status: link.VpcLinkStatus ?? 'UNKNOWN',
        ...(link.VpcLinkStatusMessage ? { statusMessage: link.VpcLinkStatusMessage } : {}),
        targetArns: [],
        subnetIds: link.SubnetIds ?? [],
        securityGroupIds: link.SecurityGroupIds ?? [],
      });
    }
    return links;
  });
}
