/**
 * The hops behind a VPC link V2 that leads to a Cloud Map service instead of a load balancer (HTTP
 * API private integrations). API Gateway "uses DiscoverInstances to identify resources", the
 * instances' attributes "must include IP addresses and ports", and it "distributes requests across
 * healthy resources that are returned from DiscoverInstances" (API Gateway guide, "Create a private
 * integration using AWS Cloud Map service discovery"). DiscoverInstances ignores health for a service
 * without a health check and returns every instance (Cloud Map API reference, DiscoverInstances
 * `HealthStatus`); with one, its healthy instances ("returns healthy resources by default", Cloud Map
 * guide). So every registered instance with an address and a port, and not UNHEALTHY under a health
 * check, is where the link's interfaces connect: their own security groups must let that out, the
 * instance's must let it in.
 */

import { networkInterfaceArn } from '../domain/arns';
import {
  type CheckResult,
  type CloudMapInstanceFacts,
  type CloudMapServiceFacts,
  type Collected,
  type CollectionError,
  collected,
  type IntegrationFacts,
  type Inventory,
  type IpTargetInterfaceFacts,
  isCloudMapServiceArn,
  type StageInventory,
  type StageKey,
  type VpcLinkFacts,
} from '../domain/types';
import { explained } from './explanations';
import { lookup, notApplicable, type Resource, stageLabel, stageResource } from './resources';

export const CLOUD_MAP_SERVICE_TYPE = 'AWS::ServiceDiscovery::Service';

/** A Cloud Map service on a stage's path, reached through the V2 links of its integrations. */
export interface CloudMapPath {
  serviceArn: string;
  /** GetService and ListInstances, with each instance's network interface; the error when unreadable. */
  service: Collected<CloudMapServiceFacts>;
  integrations: IntegrationFacts[];
  /** The links those integrations go through (read ones; vpc-link-status reports the others). */
  vpcLinks: VpcLinkFacts[];
  /** The links that could not be read: their interfaces, the senders, are unknown. */
  unreadableVpcLinks: CollectionError[];
  apis: StageKey[];
}

/** An instance API Gateway can send to, with the interface that holds its address in the link's VPC (null: none there). */
export interface CloudMapDestination {
  instance: CloudMapInstanceFacts & { ipv4: string; port: number };
  networkInterface: Collected<IpTargetInterfaceFacts | null>;
}

export const isCloudMapIntegration = (integration: IntegrationFacts): boolean =>
  integration.vpcLinkId !== undefined && !!integration.uri && isCloudMapServiceArn(integration.uri);

export const cloudMapResource = (serviceArn: string): Resource => ({
  resourceArn: serviceArn,
  resourceType: CLOUD_MAP_SERVICE_TYPE,
});

/** `Cloud Map service orders (srv-...)`, or the ARN while the service is unread. */
export const describeCloudMapService = (path: Pick<CloudMapPath, 'service' | 'serviceArn'>): string =>
  path.service.ok
    ? `Cloud Map service ${path.service.value.name} (${path.service.value.id})`
    : `Cloud Map service ${path.serviceArn}`;

/** The Cloud Map services the integrations send to, each with the links that reach it. */
export function followToCloudMap(
  integrations: Collected<IntegrationFacts[]>,
  inventory: Inventory,
  apis: StageKey[],
): CloudMapPath[] {
  const byService = new Map<string, CloudMapPath>();
  for (const integration of integrations.ok ? integrations.value.filter(isCloudMapIntegration) : []) {
    const serviceArn = integration.uri ?? '';
    const path = byService.get(serviceArn) ?? {
      serviceArn,
      service: lookup(inventory.cloudMapServices ?? {}, serviceArn, 'servicediscovery:GetService'),
      integrations: [],
      vpcLinks: [],
      unreadableVpcLinks: [],
      apis,
    };
    path.integrations.push(integration);
    const link = lookup(inventory.vpcLinks, integration.vpcLinkId ?? '', 'apigateway:GetVpcLinks');
    if (!link.ok) path.unreadableVpcLinks.push(link.error);
    else if (!path.vpcLinks.some((known) => known.id === link.value.id)) path.vpcLinks.push(link.value);
    byService.set(serviceArn, path);
  }
  return [...byService.values()];
}

/**
 * SKIPPED on the stage for the load balancer checks: its links lead to Cloud Map services, which the
 * Cloud Map checks judge, and no load balancer stands on the path.
 */
export function cloudMapInsteadOfLoadBalancer(
  stage: StageInventory,
  described: readonly string[],
  apis: StageKey[],
): CheckResult {
  const reason = `the integrations of ${stageLabel(stage.stage)} go through a VPC link to a Cloud Map service, not to a load balancer (${described.join(', ')}): cloud-map-instance-security-groups, sender-security-group-egress and subnet-network-acls judge the link's connections to its instances`;
  return explained('CLOUD_MAP_BEHIND_LINK', notApplicable(stageResource(stage.stage), apis, reason));
}

/**
 * An instance's hop is the network interface that holds its address, where its security-group
 * verdict is filed (so a report marks the blocking hop); the service and instance id without one.
 */
export function instanceHopId(
  serviceArn: string,
  instance: CloudMapInstanceFacts,
  { region, account }: Pick<Inventory, 'region' | 'account'>,
): string {
  const eni = instance.networkInterface;
  return eni?.ok && eni.value
    ? networkInterfaceArn(region, account, eni.value.id)
    : `${serviceArn}/${instance.id}`;
}

/** The instances of a service, sorted by what API Gateway does with them. */
export interface ServiceInstances {
  /** Those it can send to: an address, a port, and not UNHEALTHY where a health check filters. */
  destinations: CloudMapDestination[];
  /** Missing `AWS_INSTANCE_IPV4` or `AWS_INSTANCE_PORT`. */
  unaddressed: CloudMapInstanceFacts[];
  /** UNHEALTHY under the service's health check: DiscoverInstances leaves them out, they get no traffic. */
  unhealthy: CloudMapInstanceFacts[];
}

/**
 * What DiscoverInstances hands API Gateway: for a service with a health check, its healthy
 * instances (the Cloud Map guide: "returns healthy resources by default"); without one, all of them.
 * An instance whose health could not be read is kept: it may receive traffic.
 */
export function destinationsOf(
  service: Pick<CloudMapServiceFacts, 'instanceHealth'>,
  instances: readonly CloudMapInstanceFacts[],
): ServiceInstances {
  const sorted: ServiceInstances = { destinations: [], unaddressed: [], unhealthy: [] };
  const health = service.instanceHealth?.ok ? service.instanceHealth.value : {};
  for (const instance of instances) {
    const { ipv4, port } = instance;
    if (ipv4 === undefined || port === undefined) sorted.unaddressed.push(instance);
    else if (health[instance.id] === 'UNHEALTHY') sorted.unhealthy.push(instance);
    else
      sorted.destinations.push({
        instance: { ...instance, ipv4, port },
        networkInterface: instance.networkInterface ?? collected(null),
      });
  }
  return sorted;
}

/** The instances of a readable service, sorted; none when it or its instances could not be read. */
export const instancesOf = (path: CloudMapPath): ServiceInstances =>
  path.service.ok && path.service.value.instances.ok
    ? destinationsOf(path.service.value, path.service.value.instances.value)
    : { destinations: [], unaddressed: [], unhealthy: [] };

/** `Cloud Map instance i-1 10.0.1.5:8080`. */
export const describeInstance = (instance: CloudMapDestination['instance']): string =>
  `Cloud Map instance ${instance.id} ${instance.ipv4}:${instance.port}`;
