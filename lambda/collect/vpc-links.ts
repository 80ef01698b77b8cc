/** The VPC links the integrations use, each read from the API that lists its kind. */
import {
  type Collected,
  collected,
  failed,
  type IntegrationFacts,
  type VpcLinkFacts,
  type VpcLinkVersion,
} from '../domain/types';
import { listHttpVpcLinks } from './api-gateway-http';
import { listRestVpcLinks } from './api-gateway-rest';
import type { AwsClients } from './clients';
import { notFound } from './collect-error';
import { unique } from './memo';

/**
 * The VPC links the integrations use, each looked up where its kind lives: V1 links (REST
 * integrations without `integrationTarget`) among GetVpcLinks of API Gateway, V2 links (HTTP APIs,
 * and REST integrations that name their load balancer) among those of apigatewayv2.
 */
export async function readVpcLinks(
  clients: AwsClients,
  integrations: IntegrationFacts[],
): Promise<Record<string, Collected<VpcLinkFacts>>> {
  const wanted = (version: VpcLinkVersion) =>
    unique(
      integrations.flatMap((integration) =>
        integration.vpcLinkId && integration.vpcLinkVersion === version ? [integration.vpcLinkId] : [],
      ),
    );
  const vpcLinks: Record<string, Collected<VpcLinkFacts>> = {};
  const file = (ids: string[], listing: Collected<VpcLinkFacts[]>, action: string) => {
    for (const id of ids) {
      const link = listing.ok ? listing.value.find((candidate) => candidate.id === id) : undefined;
      vpcLinks[id] = !listing.ok
        ? listing
        : link
          ? collected(link)
          : failed(notFound(action, `VPC link ${id}`));
    }
  };
  const v1Ids = wanted('V1');
  const v2Ids = wanted('V2');
  const [v1Links, v2Links] = await Promise.all([
    v1Ids.length > 0 ? listRestVpcLinks(clients.apiGateway, clients.region) : collected([]),
    v2Ids.length > 0 ? listHttpVpcLinks(clients.apiGatewayV2, clients.region) : collected([]),
  ]);
  file(v1Ids, v1Links, 'apigateway:GetVpcLinks');
  file(v2Ids, v2Links, 'apigateway:GetVpcLinks');
  return vpcLinks;
}
