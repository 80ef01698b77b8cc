/** API set-ups several emulator tests share. */
import {
  CreateDeploymentCommand,
  CreateRestApiCommand,
  GetResourcesCommand,
  PutIntegrationCommand,
  PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
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
