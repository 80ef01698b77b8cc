/** API set-ups several emulator tests share. */
import {
  CreateDeploymentCommand,
  CreateRestApiCommand,
  GetResourcesCommand,
  PutIntegrationCommand,
  PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import {
  CreateApiCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { AwsClients } from '../../lambda/collect/clients';
import { must } from './emulator';

/** A REST API with GET / answered by a MOCK integration (a deployment needs a method), deployed to `stageName`. */
export async function deployMockRestApi(
  clients: AwsClients,
  name: string,
  stageName: string,
): Promise<string> {
  const api = await clients.apiGateway.send(new CreateRestApiCommand({ name }));
  const restApiId = must(api.id, `REST API ${name}`);
  const root = await clients.apiGateway.send(new GetResourcesCommand({ restApiId }));
  const resourceId = must(root.items?.[0]?.id, 'root resource');
  await clients.apiGateway.send(
    new PutMethodCommand({ restApiId, resourceId, httpMethod: 'GET', authorizationType: 'NONE' }),
  );
  await clients.apiGateway.send(
    new PutIntegrationCommand({ restApiId, resourceId, httpMethod: 'GET', type: 'MOCK' }),
  );
  await clients.apiGateway.send(new CreateDeploymentCommand({ restApiId, stageName }));
  return restApiId;
}

/**
 * An HTTP API whose one route (`ANY /{proxy+}`) sends through VPC link `vpcLinkId` to `integrationUri`
 * (a listener ARN or a Cloud Map service ARN: API Gateway guide, private integrations for HTTP APIs),
 * with an auto-deployed `prod` stage. Returns the API's id.
 */
export async function createPrivateHttpApi(
  clients: AwsClients,
  name: string,
  vpcLinkId: string | undefined,
  integrationUri: string,
): Promise<string> {
  const api = await clients.apiGatewayV2.send(new CreateApiCommand({ Name: name, ProtocolType: 'HTTP' }));
  const apiId = must(api.ApiId, `HTTP API ${name}`);
  const integration = await clients.apiGatewayV2.send(
    new CreateIntegrationCommand({
      ApiId: apiId,
      IntegrationType: 'HTTP_PROXY',
      IntegrationMethod: 'ANY',
      ConnectionType: 'VPC_LINK',
      ConnectionId: vpcLinkId,
      IntegrationUri: integrationUri,
      PayloadFormatVersion: '1.0',
    }),
  );
  await clients.apiGatewayV2.send(
    new CreateRouteCommand({
      ApiId: apiId,
      RouteKey: 'ANY /{proxy+}',
      Target: `integrations/${integration.IntegrationId}`,
    }),
  );
  await clients.apiGatewayV2.send(
    new CreateStageCommand({ ApiId: apiId, StageName: 'prod', AutoDeploy: true }),
  );
  return apiId;
}

/** One period of an HTTP API stage's traffic ten minutes before `now`, 40% of it 5xx: the triage audits it. */
export async function putFailingHttpStageTraffic(
  clients: AwsClients,
  apiId: string,
  now: Date,
): Promise<void> {
  await clients.cloudWatch.send(
    new PutMetricDataCommand({
      Namespace: 'AWS/ApiGateway',
      MetricData: (['Count', '5xx'] as const).map((MetricName) => ({
        MetricName,
        Dimensions: [
          { Name: 'ApiId', Value: apiId },
          { Name: 'Stage', Value: 'prod' },
        ],
        Timestamp: new Date(now.getTime() - 10 * 60_000),
        Value: MetricName === 'Count' ? 1000 : 400,
      })),
    }),
  );
}
