/**
 * The Cloud Map services behind HTTP API private integrations (`IntegrationUri` = a service ARN),
 * read only for the failing stages' paths. API Gateway "uses DiscoverInstances to identify
 * resources", and "the registered resources' attributes must include IP addresses and ports" (API
 * Gateway guide, "Create a private integration using AWS Cloud Map service discovery"): so each
 * service's health-check configuration (GetService), its instances' `AWS_INSTANCE_IPV4` and
 * `AWS_INSTANCE_PORT` (ListInstances), which of them are healthy where a health check filters them
 * (GetInstancesHealthStatus), and the network interface that holds each address in the VPC
 * link's VPC (one DescribeNetworkInterfaces per 200 addresses), whose groups and subnet decide
 * whether the link's connections are let in.
 */
import {
  GetServiceCommand,
  type InstanceSummary,
  paginateGetInstancesHealthStatus,
  paginateListInstances,
  type ServiceDiscoveryClient,
} from '@aws-sdk/client-servicediscovery';
import ipaddr from 'ipaddr.js';
import {
  type CloudMapInstanceFacts,
  type CloudMapServiceFacts,
  type Collected,
  type CollectionError,
  collected,
  failed,
  type IntegrationFacts,
  type IpTargetInterfaceFacts,
  ipTargetKey,
  isCloudMapServiceArn,
  type SubnetFacts,
  type VpcLinkFacts,
} from '../domain/types';
import type { AwsClients } from './clients';
import { attempt } from './collect-error';
import { mapBounded, unique } from './memo';
import { describeInterfacesByPrivateIp, describeSubnets } from './network';

export const IAM_ACTIONS = [
  'servicediscovery:GetInstancesHealthStatus',
  'servicediscovery:GetService',
  'servicediscovery:ListInstances',
] as const;

/** Services read at a time (each is two or three calls; the SDK retries a throttled one). */
const SERVICES_IN_FLIGHT = 3;

/** `AWS_INSTANCE_PORT` as a port number; anything else is no port. */
export function instancePort(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,5}$/.test(value)) return undefined;
  const port = Number(value);
  return port >= 1 && port <= 65535 ? port : undefined;
}

/** ListInstances' `InstanceSummary` (Cloud Map API reference): `Id` and the `Attributes` map. */
export function cloudMapInstance(summary: InstanceSummary): CloudMapInstanceFacts {
  const attributes = summary.Attributes ?? {};
  // A free-text attribute in an HTTP namespace: only a dotted quad is an address API Gateway can use.
  const ipv4 = attributes.AWS_INSTANCE_IPV4;
  const address = ipv4 && ipaddr.IPv4.isValidFourPartDecimal(ipv4) ? ipv4 : undefined;
  const port = instancePort(attributes.AWS_INSTANCE_PORT);
  return {
    id: summary.Id ?? 'unknown',
    ...(address ? { ipv4: address } : {}),
    ...(port !== undefined ? { port } : {}),
  };
}

async function readService(
  client: ServiceDiscoveryClient,
  arn: string,
): Promise<Collected<CloudMapServiceFacts>> {
  const id = arn.slice(arn.lastIndexOf('/') + 1);
  const service = await attempt('servicediscovery:GetService', () =>
    client.send(new GetServiceCommand({ Id: id })),
  );
  if (!service.ok) return service;
  const facts = service.value.Service;
  // GetService returns the member only when configured (moto writes null for an absent one).
  const healthCheck = facts?.HealthCheckConfig
    ? 'route53'
    : facts?.HealthCheckCustomConfig
      ? 'custom'
      : 'none';
  const [instances, instanceHealth] = await Promise.all([
    listInstances(client, id),
    healthCheck === 'none' ? undefined : readInstanceHealth(client, id),
  ]);
  const base = { arn, id, name: facts?.Name ?? id, healthCheck, instances } as const;
  return collected(instanceHealth ? { ...base, instanceHealth } : base);
}

/** ListInstances (Cloud Map API reference): each instance's `Id` and `Attributes`. */
function listInstances(
  client: ServiceDiscoveryClient,
  serviceId: string,
): Promise<Collected<CloudMapInstanceFacts[]>> {
  return attempt('servicediscovery:ListInstances', async () => {
    const listed: CloudMapInstanceFacts[] = [];
    for await (const page of paginateListInstances({ client }, { ServiceId: serviceId, MaxResults: 100 })) {
      listed.push(...(page.Instances ?? []).map(cloudMapInstance));
    }
    return listed;
  });
}

/** GetInstancesHealthStatus (Cloud Map API reference): `Status` maps instance id to its health. */
function readInstanceHealth(
  client: ServiceDiscoveryClient,
  serviceId: string,
): Promise<Collected<Record<string, string>>> {
  return attempt('servicediscovery:GetInstancesHealthStatus', async () => {
    const health: Record<string, string> = {};
    for await (const page of paginateGetInstancesHealthStatus(
      { client },
      { ServiceId: serviceId, MaxResults: 100 },
    )) {
      Object.assign(health, page.Status ?? {});
    }
    return health;
  });
}

/** The links that reach a service: those read, and the first error of one that could not be. */
interface LinksToService {
  links: VpcLinkFacts[];
  unreadable?: CollectionError;
}

/** The Cloud Map service each V2-link integration sends to, with the links that reach it. */
function servicesReached(
  integrations: readonly IntegrationFacts[],
  vpcLinks: Record<string, Collected<VpcLinkFacts>>,
): Map<string, LinksToService> {
  const reached = new Map<string, LinksToService>();
  for (const integration of integrations) {
    if (!integration.vpcLinkId || !integration.uri || !isCloudMapServiceArn(integration.uri)) continue;
    const link = vpcLinks[integration.vpcLinkId];
    const known = reached.get(integration.uri) ?? { links: [] };
    if (link?.ok && !known.links.some((kept) => kept.id === link.value.id)) known.links.push(link.value);
    if (link && !link.ok) known.unreadable ??= link.error;
    reached.set(integration.uri, known);
  }
  return reached;
}

/** The VPC a link's interfaces are in, from its subnets: where its instances' addresses are looked up. */
function vpcOfLinks(
  { links, unreadable }: LinksToService,
  subnets: Record<string, Collected<SubnetFacts>>,
): Collected<string> {
  const subnetIds = links.flatMap((link) => link.subnetIds);
  for (const subnetId of subnetIds) {
    const subnet = subnets[subnetId];
    if (subnet?.ok && subnet.value.vpcId) return collected(subnet.value.vpcId);
  }
  const unread = subnetIds.map((id) => subnets[id]).find((subnet) => subnet && !subnet.ok);
  if (unread && !unread.ok) return unread;
  if (unreadable) return failed(unreadable);
  return failed({
    action: 'ec2:DescribeSubnets',
    code: 'NotCollected',
    message: `the VPC of VPC link ${links.map((link) => link.name).join(', ')} is unknown: it lists no subnet`,
  });
}

/**
 * Reads every Cloud Map service the integrations send to, by service ARN, with each instance's
 * network interface. A service, its instances or an interface that cannot be read is that item's
 * error (never an empty list).
 */
export async function readCloudMapServices(
  clients: AwsClients,
  integrations: readonly IntegrationFacts[],
  vpcLinks: Record<string, Collected<VpcLinkFacts>>,
): Promise<Record<string, Collected<CloudMapServiceFacts>>> {
  const reached = servicesReached(integrations, vpcLinks);
  if (reached.size === 0) return {};
  const linkSubnets = unique(
    [...reached.values()].flatMap(({ links }) => links.flatMap((link) => link.subnetIds)),
  );
  const [subnets, services] = await Promise.all([
    linkSubnets.length > 0 ? describeSubnets(clients.ec2, linkSubnets) : Promise.resolve({}),
    mapBounded([...reached.keys()], SERVICES_IN_FLIGHT, (arn) => readService(clients.serviceDiscovery, arn)),
  ]);
  const read = [...reached].map(([arn, links], index) => ({
    arn,
    service: services[index] as Collected<CloudMapServiceFacts>,
    vpc: vpcOfLinks(links, subnets),
  }));
  const addressesByVpc = new Map<string, string[]>();
  for (const { service, vpc } of read) {
    if (!service.ok || !vpc.ok || !service.value.instances.ok) continue;
    const addresses = service.value.instances.value.flatMap((instance) => instance.ipv4 ?? []);
    addressesByVpc.set(vpc.value, unique([...(addressesByVpc.get(vpc.value) ?? []), ...addresses]));
  }
  const interfaces: Record<string, Collected<IpTargetInterfaceFacts | null>> = Object.fromEntries(
    (
      await Promise.all(
        [...addressesByVpc].map(async ([vpcId, addresses]) =>
          Object.entries(await describeInterfacesByPrivateIp(clients.ec2, vpcId, addresses)).map(
            ([address, eni]) => [ipTargetKey(vpcId, address), eni] as const,
          ),
        ),
      )
    ).flat(),
  );
  return Object.fromEntries(
    read.map(({ arn, service, vpc }) => {
      if (!service.ok || !service.value.instances.ok) return [arn, service];
      const instances = service.value.instances.value.map((instance) =>
        withInterface(instance, vpc, interfaces),
      );
      return [arn, collected({ ...service.value, instances: collected(instances) })];
    }),
  );
}

function withInterface(
  instance: CloudMapInstanceFacts,
  vpc: Collected<string>,
  interfaces: Record<string, Collected<IpTargetInterfaceFacts | null>>,
): CloudMapInstanceFacts {
  if (!instance.ipv4) return instance;
  if (!vpc.ok) return { ...instance, networkInterface: vpc };
  const eni = interfaces[ipTargetKey(vpc.value, instance.ipv4)] ?? collected(null);
  return { ...instance, networkInterface: eni };
}

/** The instances' interfaces, filed as `ip` targets' are, so their groups and subnets are read with the path's network. */
export function cloudMapInterfaces(
  services: Record<string, Collected<CloudMapServiceFacts>>,
): Record<string, Collected<IpTargetInterfaceFacts | null>> {
  const filed: Record<string, Collected<IpTargetInterfaceFacts | null>> = {};
  for (const service of Object.values(services)) {
    if (!service.ok || !service.value.instances.ok) continue;
    for (const instance of service.value.instances.value) {
      const eni = instance.networkInterface;
      if (eni?.ok && eni.value) filed[`cloud-map|${service.value.id}|${instance.id}`] = eni;
    }
  }
  return filed;
}
