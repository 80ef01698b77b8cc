/** Which load balancers each integration leads to, and which of their listeners it uses. */
import { integrationEntry, type ListenerEntry, loadBalancerArnOfListener } from '../domain/path';
import {
  type Collected,
  type CollectionError,
  collected,
  type IntegrationFacts,
  type VpcLinkFacts,
} from '../domain/types';
import type { AwsClients } from './clients';
import { loadBalancerDnsName, uriHostAndPort } from './integration-uri';
import { type LoadBalancerDescription, listLoadBalancers } from './load-balancers';
import { unique } from './memo';
import { allIntegrations, type StagePath } from './stage-path';

/**
 * Fills each integration's load balancers: a V1 link's targets, a V2 REST integration's
 * `integrationTarget`, an HTTP integration's listener (its load balancer is in the listener's ARN,
 * so a deleted listener still leads there), or a URI host that is a load balancer's DNS name.
 */
export async function linkLoadBalancers(
  clients: AwsClients,
  paths: StagePath[],
  vpcLinks: Record<string, Collected<VpcLinkFacts>>,
): Promise<{ paths: StagePath[]; listed: LoadBalancerDescription[] }> {
  const integrations = allIntegrations(paths);
  const hostOf = (integration: IntegrationFacts) => {
    const target = integration.uri ? uriHostAndPort(integration.uri) : null;
    return target ? loadBalancerDnsName(target.host) : null;
  };
  const listing = integrations.some((i) => !i.pathError && hostOf(i) !== null)
    ? await listLoadBalancers(clients.elb)
    : collected<LoadBalancerDescription[]>([]);
  const byDnsName = new Map((listing.ok ? listing.value : []).map((lb) => [lb.dnsName, lb.arn]));

  const link = (integration: IntegrationFacts): IntegrationFacts => {
    if (integration.pathError) return integration;
    const arns: string[] = [];
    let pathError: CollectionError | undefined;
    if (integration.vpcLinkVersion === 'V1' && integration.vpcLinkId) {
      const vpcLink = vpcLinks[integration.vpcLinkId];
      if (vpcLink?.ok) arns.push(...vpcLink.value.targetArns);
      else if (vpcLink) pathError = vpcLink.error;
    }
    if (integration.integrationTarget) arns.push(integration.integrationTarget);
    if (integration.listenerArn) {
      const owner = loadBalancerArnOfListener(integration.listenerArn);
      if (owner) arns.push(owner);
    }
    const host = hostOf(integration);
    if (host && arns.length === 0) {
      const arn = byDnsName.get(host);
      if (arn) arns.push(arn);
      else if (!listing.ok) pathError = listing.error;
    }
    return {
      ...integration,
      loadBalancerArns: unique(arns),
      ...(pathError && arns.length === 0 ? { pathError } : {}),
    };
  };
  return {
    paths: paths.map((path) => ({
      ...path,
      integrations: path.integrations.ok ? collected(path.integrations.value.map(link)) : path.integrations,
    })),
    listed: listing.ok ? listing.value : [],
  };
}

/** Load balancer ARN -> the entries (listener ARN or port) the integrations use on it. */
export function entriesByLoadBalancer(integrations: IntegrationFacts[]): Map<string, ListenerEntry[]> {
  const entries = new Map<string, ListenerEntry[]>();
  for (const integration of integrations) {
    const entry = integrationEntry(integration);
    for (const arn of integration.loadBalancerArns) {
      entries.set(arn, [...(entries.get(arn) ?? []), ...(entry ? [entry] : [])]);
    }
  }
  return entries;
}
