/** HTTP API (API Gateway v2) reads: stage settings, integrations, VPC links. apigatewayv2 has no paginators. */
import {
  type ApiGatewayV2Client,
  GetIntegrationsCommand,
  GetStageCommand,
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
    };
  });
}

export function readHttpIntegrations(
  client: ApiGatewayV2Client,
  apiId: string,
): Promise<Collected<Integration[]>> {
  return attempt('apigateway:GetIntegrations', async () => {
    const integrations: Integration[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(
        new GetIntegrationsCommand({
          ApiId: apiId,
          MaxResults: '500',
          ...(nextToken ? { NextToken: nextToken } : {}),
        }),
      );
      integrations.push(...(page.Items ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
    return integrations;
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
    const links: VpcLinkFacts[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(
        new GetVpcLinksCommand({ MaxResults: '500', ...(nextToken ? { NextToken: nextToken } : {}) }),
      );
      for (const link of page.Items ?? []) {
        if (!link.VpcLinkId) continue;
        links.push({
          id: link.VpcLinkId,
          arn: vpcLinkArn(region, link.VpcLinkId),
          name: link.Name ?? link.VpcLinkId,
          apiType: 'HTTP',
          status: link.VpcLinkStatus ?? 'UNKNOWN',
          ...(link.VpcLinkStatusMessage ? { statusMessage: link.VpcLinkStatusMessage } : {}),
          targetArns: [],
          subnetIds: link.SubnetIds ?? [],
          securityGroupIds: link.SecurityGroupIds ?? [],
        });
      }
      nextToken = page.NextToken;
    } while (nextToken);
    return links;
  });
}
