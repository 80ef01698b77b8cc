/**
 * The path phase: for the stages the triage selected, follow integration -> VPC link -> load
 * balancer -> listeners -> target groups -> targets -> instances, security groups, subnets, ACLs,
 * VPCs, flow logs, and read the stages' latency and log evidence. Every shared resource is read
 * once per call, describe calls are batched, and a failed read is recorded against what it was for.
 *
 * Loaded on first use only (`loadCollector` in lambda/audit.ts): nothing on the triage side imports
 * this module or the steps below, so the EC2, ELB and Logs SDK packages load only when a path is followed.
 */
import {
  type AuditWindow,
  type ClassifiedStage,
  collected,
  type Inventory,
  type StageInventory,
} from '../domain/types';
import { readCertificates } from './certificates';
import type { AwsClients } from './clients';
import { cloudMapInterfaces, readCloudMapServices } from './cloud-map';
import { entriesByLoadBalancer, linkLoadBalancers } from './integration-load-balancers';
import { loadBalancerFacts } from './load-balancer-facts';
import { followLoadBalancerHops, type LoadBalancerHops } from './load-balancer-hops';
import { interfaceDescriptionOf } from './load-balancers';
import { readMetricSeries } from './metrics';
import { describeInterfacesByDescription } from './network';
import { readNetworkFacts } from './network-facts';
import { loadBalancerSeries, pathMetricRequests, stageLatency } from './path-metrics';
import { allIntegrations, canaryOf, isPrimary } from './stage-path';
import { readStagePaths } from './stage-reads';
import { readTargetHosts } from './target-hosts';
import { readVpcLinks } from './vpc-links';

export interface CollectOptions {
  /** Access-log groups are searched only when their name starts with this (`accessLogGroupPrefix`). */
  accessLogGroupPrefix?: string;
  /** Search REST execution logs (they can hold request bodies). @default true */
  executionLogs?: boolean;
}

/** The certificates of the listeners of the load balancers on a path (HTTPS and TLS listeners), SNI ones included. */
function listenerCertificateArns(loadBalancers: LoadBalancerHops['loadBalancers']): string[] {
  return Object.values(loadBalancers).flatMap((lb) =>
    lb.ok && lb.value.listeners.ok
      ? lb.value.listeners.value.flatMap((l) => [
          ...(l.certificateArns ?? []),
          ...(l.certificates?.ok ? l.certificates.value.map((certificate) => certificate.arn) : []),
        ])
      : [],
  );
}

export async function collectInventory(
  clients: AwsClients,
  stages: ClassifiedStage[],
  window: AuditWindow,
  account: string | null,
  options: CollectOptions = {},
): Promise<Inventory> {
  const { ec2 } = clients;
  const read = await readStagePaths(clients, stages, window, options.accessLogGroupPrefix, {
    executionLogs: options.executionLogs ?? true,
  });
  const vpcLinks = await readVpcLinks(clients, allIntegrations(read.paths));
  // HTTP API private integrations to a Cloud Map service, read while the load balancers are.
  const cloudMap = readCloudMapServices(clients, allIntegrations(read.paths), vpcLinks);
  const { paths, listed } = await linkLoadBalancers(clients, read.paths, vpcLinks);
  const hops = await followLoadBalancerHops(clients, entriesByLoadBalancer(allIntegrations(paths)), listed);
  const lbs = Object.values(hops.loadBalancers).flatMap((lb) => (lb.ok ? [lb.value.description] : []));
  // One per stage, in the stages' order; a canary's path rides along with its stage's.
  const ownPaths = paths.filter(isPrimary);

  // The series and the load balancers' interfaces are read while the targets and their network are.
  const metricRequests = pathMetricRequests(stages, ownPaths, lbs, hops.targetGroups);
  const metrics = readMetricSeries(clients.cloudWatch, metricRequests, window);
  const interfaces = describeInterfacesByDescription(ec2, lbs.map(interfaceDescriptionOf));
  const certificates = readCertificates(clients.acm, listenerCertificateArns(hops.loadBalancers));
  const { targetGroups, instances, ipTargetInterfaces } = await readTargetHosts(ec2, hops.targetGroups);
  const lbInterfaces = await interfaces;
  const cloudMapServices = await cloudMap;
  const network = await readNetworkFacts(ec2, {
    loadBalancers: lbs,
    loadBalancerInterfaces: lbInterfaces,
    vpcLinks,
    targetGroups: Object.values(targetGroups).flatMap((group) => (group.ok ? [group.value] : [])),
    instances,
    ipTargetInterfaces: { ...ipTargetInterfaces, ...cloudMapInterfaces(cloudMapServices) },
  });

  const series = await metrics;
  const logEvidence = await read.evidence;
  const stageInventories: StageInventory[] = ownPaths.map((path, index) => ({
    stage: path.stage,
    settings: path.settings,
    integrations: path.integrations,
    ...stageLatency(series, path),
    ...(path.deployed ? { deployedIntegrations: path.deployed } : {}),
    ...canaryOf(paths, path),
    networkErrorLogLines: logEvidence[index] ?? collected(null),
  }));

  return {
    region: clients.region,
    account,
    window,
    stages: stageInventories,
    vpcLinks,
    loadBalancers: loadBalancerFacts(hops.loadBalancers, lbInterfaces, series),
    targetGroups,
    instances,
    ipTargetInterfaces,
    securityGroups: network.securityGroups,
    subnets: network.subnets,
    networkAclsBySubnet: network.networkAclsBySubnet,
    vpcs: network.vpcs,
    flowLogsByVpc: network.flowLogsByVpc,
    prefixLists: network.prefixLists,
    loadBalancerSeries: loadBalancerSeries(series, metricRequests),
    certificates: await certificates,
    ...(Object.keys(cloudMapServices).length > 0 ? { cloudMapServices } : {}),
  };
}
