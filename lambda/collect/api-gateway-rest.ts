/** REST API (API Gateway v1) reads: stage settings, every method's integration, VPC links. */
import {
  type APIGatewayClient,
  GetStageCommand,
  type Integration,
  paginateGetResources,
  paginateGetVpcLinks,
  type CanarySettings as SdkCanarySettings,
} from '@aws-sdk/client-api-gateway';
import { restIntegrationArn, vpcLinkArn } from '../domain/arns';
import type {
  CanarySettings,
  Collected,
  IntegrationFacts,
  StageSettings,
  VpcLinkFacts,
} from '../domain/types';
import { attempt } from './collect-error';
import { resolveIntegrationTarget } from './integration-uri';

/** API Gateway authorises every read (GetStage, GetResources, GetVpcLinks...) as `apigateway:GET`. */
export const IAM_ACTIONS = ['apigateway:GET'] as const;

/** REST integrations time out after 29 s unless configured otherwise. */
export const REST_DEFAULT_TIMEOUT_MS = 29_000;

const LOGGING_LEVELS = ['OFF', 'ERROR', 'INFO'] as const;
type LoggingLevel = (typeof LOGGING_LEVELS)[number];
const asLoggingLevel = (value: string | undefined): LoggingLevel =>
  LOGGING_LEVELS.find((level) => level === value) ?? 'OFF';

export function readRestStageSettings(
  client: APIGatewayClient,
  apiId: string,
  stage: string,
): Promise<Collected<StageSettings>> {
  return attempt('apigateway:GetStage', async () => {
    const output = await client.send(new GetStageCommand({ restApiId: apiId, stageName: stage }));
    const { '*/*': stageWide, ...perMethod } = output.methodSettings ?? {};
    const accessLog = output.accessLogSettings;
    return {
      accessLog: accessLog?.destinationArn
        ? { destinationArn: accessLog.destinationArn, format: accessLog.format ?? '' }
        : null,
      executionLogging: {
        loggingLevel: asLoggingLevel(stageWide?.loggingLevel),
        dataTraceEnabled: stageWide?.dataTraceEnabled ?? false,
      },
      methodLogging: Object.fromEntries(
        Object.entries(perMethod).map(([key, settings]) => [
          key,
          {
            ...(settings.loggingLevel !== undefined
              ? { loggingLevel: asLoggingLevel(settings.loggingLevel) }
              : {}),
            ...(settings.dataTraceEnabled !== undefined
              ? { dataTraceEnabled: settings.dataTraceEnabled }
              : {}),
          },
        ]),
      ),
      stageVariables: output.variables ?? {},
      ...(output.deploymentId ? { deploymentId: output.deploymentId } : {}),
      ...(output.canarySettings ? { canary: canaryOf(output.canarySettings) } : {}),
    };
  });
}

/** GetStage `canarySettings`; a canary without a percentage is sent nothing. */
const canaryOf = (settings: SdkCanarySettings): CanarySettings => ({
  percentTraffic: settings.percentTraffic ?? 0,
  ...(settings.deploymentId ? { deploymentId: settings.deploymentId } : {}),
  stageVariableOverrides: settings.stageVariableOverrides ?? {},
  useStageCache: settings.useStageCache ?? false,
});

/** One method's integration as configured, before the stage's variables are applied. */
export interface RestMethodIntegration {
  resourceId: string;
  path: string;
  method: string;
  integration: Integration;
}

/** One GetResources listing per API (embed=methods returns each method's integration inline). */
export function readRestMethodIntegrations(
  client: APIGatewayClient,
  apiId: string,
): Promise<Collected<RestMethodIntegration[]>> {
  return attempt('apigateway:GetResources', async () => {
    const found: RestMethodIntegration[] = [];
    const pages = paginateGetResources({ client }, { restApiId: apiId, embed: ['methods'], limit: 500 });
    for await (const page of pages) {
      for (const resource of page.items ?? []) {
        for (const [method, details] of Object.entries(resource.resourceMethods ?? {})) {
          if (!details.methodIntegration || !resource.id) continue;
          found.push({
            resourceId: resource.id,
            path: resource.path ?? resource.id,
            method,
            integration: details.methodIntegration,
          });
        }
      }
    }
    return found.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
  });
}

/** Applies the stage's variables to one REST integration (connection id and URI may use them). */
export function restIntegrationFacts(
  region: string,
  apiId: string,
  configured: RestMethodIntegration,
  stageVariables: Record<string, string>,
): IntegrationFacts {
  const { integration } = configured;
  const viaVpcLink = integration.connectionType === 'VPC_LINK';
  const facts: IntegrationFacts = {
    id: `${configured.resourceId}/${configured.method}`,
    arn: restIntegrationArn(region, apiId, configured.resourceId, configured.method),
    label: `${configured.method} ${configured.path}`,
    method: { path: configured.path, httpMethod: configured.method },
    type: integration.type ?? 'UNKNOWN',
    connectionType: viaVpcLink ? 'VPC_LINK' : 'INTERNET',
    timeoutMs: integration.timeoutInMillis ?? REST_DEFAULT_TIMEOUT_MS,
    loadBalancerArns: [],
    // A REST integration on a V2 link names its load balancer; one on a V1 link does not.
    ...(viaVpcLink ? { vpcLinkVersion: integration.integrationTarget ? 'V2' : 'V1' } : {}),
    ...(viaVpcLink && integration.integrationTarget
      ? { integrationTarget: integration.integrationTarget }
      : {}),
  };
  return {
    ...facts,
    ...resolveIntegrationTarget(
      {
        ...(integration.uri ? { uri: integration.uri } : {}),
        ...(integration.connectionId ? { connectionId: integration.connectionId } : {}),
        label: facts.label,
      },
      stageVariables,
    ),
  };
}

export function listRestVpcLinks(
  client: APIGatewayClient,
  region: string,
): Promise<Collected<VpcLinkFacts[]>> {
  return attempt('apigateway:GetVpcLinks', async () => {
    const links: VpcLinkFacts[] = [];
    for await (const page of paginateGetVpcLinks({ client }, { limit: 500 })) {
      for (const link of page.items ?? []) {
        if (!link.id) continue;
        links.push({
          id: link.id,
          arn: vpcLinkArn(region, link.id),
          name: link.name ?? link.id,
          version: 'V1',
          status: link.status ?? 'UNKNOWN',
          ...(link.statusMessage ? { statusMessage: link.statusMessage } : {}),
          targetArns: link.targetArns ?? [],
          subnetIds: [],
          securityGroupIds: [],
        });
      }
    }
    return links;
  });
}
