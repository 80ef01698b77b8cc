/**
 * The path phase: for the stages the triage selected, follow integration -> VPC link -> load
 * balancer -> listeners -> target groups -> targets -> instances, security groups, subnets, ACLs,
 * VPCs, flow logs, and read the stages' latency and log evidence. Every shared resource is read
 * once per call, describe calls are batched, and a failed read is recorded against what it was for.
 */
import type { TargetGroup } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  type AuditWindow,
  type ClassifiedStage,
  type Collected,
  type CollectionError,
  collected,
  failed,
  type IntegrationFacts,
  type Inventory,
  type LoadBalancerFacts,
  type StageInventory,
  type StageSettings,
  type SubnetFacts,
  type TargetFacts,
  type TargetGroupFacts,
  type VpcLinkFacts,
} from '../domain/types';
import {
  httpIntegrationFacts,
  listHttpVpcLinks,
  readHttpIntegrations,
  readHttpStageSettings,
} from './api-gateway-http';
import {
  listRestVpcLinks,
  readRestMethodIntegrations,
  readRestStageSettings,
  restIntegrationFacts,
} from './api-gateway-rest';
import type { AwsClients } from './clients';
import { notFound, toCollectionError } from './collect-error';
import { limitConcurrency, mapInLanes } from './concurrency';
import { looksLikeLoadBalancerHost, uriHostAndPort, usesStageVariables } from './integration-uri';
import {
  describeListenerOwners,
  describeLoadBalancers,
  type LoadBalancerDescription,
  listLoadBalancers,
  loadBalancerMetricDimension,
  readListeners,
  readLoadBalancerAttributes,
  readTargetGroupAttributes,
  readTargetGroupsOf,
  readTargetHealth,
} from './load-balancers';
import { countNetworkErrorLines, executionLogGroup, type LogEvidence, logGroupName } from './log-evidence';
import { Memo, mapBounded, unique } from './memo';
import { hasData, type MetricRequest, type PeriodSeries, readMetricSeries } from './metrics';
import {
  describeFlowLogs,
  describeInstances,
  describeInterfacesByDescription,
  describeNetworkAclsBySubnet,
  describeSecurityGroups,
  describeSubnets,
  describeSubnetsOfVpcs,
  describeVpcs,
} from './network';

/** Calls in flight per service: API Gateway allows 10 requests per second, ELB refills 10 per second. */
const CONCURRENCY = 5;

const stageKey = (stage: ClassifiedStage) => `${stage.apiType}|${stage.apiId}|${stage.stage}`;

interface StagePath {
  stage: ClassifiedStage;
  settings: Collected<StageSettings>;
  integrations: Collected<IntegrationFacts[]>;
}

interface StageReads {
  paths: StagePath[];
  /** Each stage's log evidence, in the order of `paths`; the queries run while the paths are read. */
  evidence: Promise<Collected<LogEvidence | null>[]>;
}

/**
 * Reads each stage's settings and integrations, REST and HTTP stages in separate lanes: REST stages
 * wait on `GetResources` (2.5/s), and in one lane they would leave the shared API Gateway quota
 * (10/s) half idle. Each stage's log query starts as soon as its settings are known.
 */
async function readStagePaths(
  clients: AwsClients,
  stages: ClassifiedStage[],
  window: AuditWindow,
): Promise<StageReads> {
  const restIntegrations = new Memo<string, Awaited<ReturnType<typeof readRestMethodIntegrations>>>();
  const httpIntegrations = new Memo<string, Awaited<ReturnType<typeof readHttpIntegrations>>>();
  const queryLogs = limitConcurrency(CONCURRENCY);
  const evidenceOf = new Map<ClassifiedStage, Promise<Collected<LogEvidence | null>>>();
  const paths = await mapInLanes(stages, laneOf, CONCURRENCY, async (stage) => {
    const rest = stage.apiType === 'REST';
    const settingsRead = rest
      ? readRestStageSettings(clients.apiGateway, stage.apiId, stage.stage)
      : readHttpStageSettings(clients.apiGatewayV2, stage.apiId, stage.stage);
    evidenceOf.set(
      stage,
      settingsRead
        .then((settings) => queryLogs(() => readLogEvidence(clients, stage, settings, window)))
        .catch((error: unknown) => failed(toCollectionError('logs:StartQuery', error))),
    );
    const [settings, facts] = await Promise.all([
      settingsRead,
      rest
        ? restIntegrations.get(stage.apiId, (id) => readRestMethodIntegrations(clients.apiGateway, id))
        : httpIntegrations.get(stage.apiId, (id) => readHttpIntegrations(clients.apiGatewayV2, id)),
    ]);
    const variables = settings.ok ? settings.value.stageVariables : {};
    const toFacts = (configured: unknown): IntegrationFacts =>
      rest
        ? restIntegrationFacts(clients.region, stage.apiId, configured as never, variables)
        : httpIntegrationFacts(clients.region, stage.apiId, configured as never, variables);
    const integrations: Collected<IntegrationFacts[]> = facts.ok
      ? collected((facts.value as unknown[]).map(toFacts).map((f) => blameUnreadStage(f, settings)))
      : facts;
    return { stage, settings, integrations };
  });
  const evidence = Promise.all(
    stages.map((stage) => evidenceOf.get(stage) ?? Promise.resolve(collected(null))),
  );
  return { paths, evidence };
}

/** REST stages wait on `GetResources`; HTTP stages only on the shared quota. */
const laneOf = (stage: ClassifiedStage): string => stage.apiType;

/** When the stage could not be read, an integration that depends on its variables cannot be followed. */
function blameUnreadStage(facts: IntegrationFacts, settings: Collected<StageSettings>): IntegrationFacts {
  if (settings.ok) return facts;
  const dependsOnStage = [facts.rawConnectionId, facts.uri].some(
    (value) => value && usesStageVariables(value),
  );
  return dependsOnStage ? { ...facts, pathError: settings.error } : facts;
}

const allIntegrations = (paths: StagePath[]): IntegrationFacts[] =>
  paths.flatMap((path) => (path.integrations.ok ? path.integrations.value : []));

async function readVpcLinks(
  clients: AwsClients,
  paths: StagePath[],
): Promise<Record<string, Collected<VpcLinkFacts>>> {
  const wanted = (apiType: 'REST' | 'HTTP') =>
    unique(
      paths
        .filter((path) => path.stage.apiType === apiType)
        .flatMap((path) => (path.integrations.ok ? path.integrations.value : []))
        .filter((integration) => integration.connectionType === 'VPC_LINK' && integration.vpcLinkId)
        .map((integration) => integration.vpcLinkId as string),
    );
  const vpcLinks: Record<string, Collected<VpcLinkFacts>> = {};
  const file = (ids: string[], listing: Collected<VpcLinkFacts[]>) => {
    for (const id of ids) {
      const link = listing.ok ? listing.value.find((candidate) => candidate.id === id) : undefined;
      vpcLinks[id] = !listing.ok
        ? listing
        : link
          ? collected(link)
          : failed(notFound('apigateway:GetVpcLinks', `VPC link ${id}`));
    }
  };
  const restIds = wanted('REST');
  const httpIds = wanted('HTTP');
  const [restLinks, httpLinks] = await Promise.all([
    restIds.length > 0 ? listRestVpcLinks(clients.apiGateway, clients.region) : collected([]),
    httpIds.length > 0 ? listHttpVpcLinks(clients.apiGatewayV2, clients.region) : collected([]),
  ]);
  file(restIds, restLinks);
  file(httpIds, httpLinks);
  return vpcLinks;
}

/** Fills each integration's load balancers (REST VPC link targets, HTTP listener owner, LB DNS host). */
async function linkLoadBalancers(
  clients: AwsClients,
  paths: StagePath[],
  vpcLinks: Record<string, Collected<VpcLinkFacts>>,
): Promise<{ paths: StagePath[]; listed: LoadBalancerDescription[] }> {
  const integrations = allIntegrations(paths);
  const listenerArns = unique(
    integrations.flatMap((i) => (i.listenerArn && !i.pathError ? [i.listenerArn] : [])),
  );
  const lbHosts = integrations.some((i) => {
    const target = i.uri ? uriHostAndPort(i.uri) : null;
    return target !== null && looksLikeLoadBalancerHost(target.host);
  });
  const [owners, listing] = await Promise.all([
    listenerArns.length > 0
      ? describeListenerOwners(clients.elb, listenerArns)
      : ({} as Record<string, Collected<string>>),
    lbHosts ? listLoadBalancers(clients.elb) : collected<LoadBalancerDescription[]>([]),
  ]);
  const byDnsName = new Map((listing.ok ? listing.value : []).map((lb) => [lb.dnsName, lb.arn]));

  const link = (integration: IntegrationFacts, apiType: 'REST' | 'HTTP'): IntegrationFacts => {
    if (integration.pathError) return integration;
    const arns: string[] = [];
    let pathError: CollectionError | undefined;
    if (integration.connectionType === 'VPC_LINK' && integration.vpcLinkId && apiType === 'REST') {
      const vpcLink = vpcLinks[integration.vpcLinkId];
      if (vpcLink?.ok) arns.push(...vpcLink.value.targetArns);
      else if (vpcLink) pathError = vpcLink.error;
    }
    if (integration.listenerArn) {
      const owner = owners[integration.listenerArn];
      if (owner?.ok) arns.push(owner.value);
      else if (owner) pathError = owner.error;
    }
    const host = integration.uri ? uriHostAndPort(integration.uri)?.host : undefined;
    if (host && looksLikeLoadBalancerHost(host)) {
      const arn = byDnsName.get(host.replace(/^dualstack\./, ''));
      if (arn) arns.push(arn);
      else if (!listing.ok && arns.length === 0) pathError = listing.error;
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
      integrations: path.integrations.ok
        ? collected(path.integrations.value.map((i) => link(i, path.stage.apiType)))
        : path.integrations,
    })),
    listed: listing.ok ? listing.value : [],
  };
}

function targetGroupFacts(group: TargetGroup): Omit<TargetGroupFacts, 'attributes' | 'targets'> {
  const targetType = group.TargetType;
  return {
    arn: group.TargetGroupArn ?? '',
    name: group.TargetGroupName ?? '',
    port: group.Port ?? 0,
    protocol: group.Protocol ?? '',
    targetType:
      targetType === 'ip' || targetType === 'lambda' || targetType === 'alb' ? targetType : 'instance',
    vpcId: group.VpcId ?? '',
    loadBalancerArns: group.LoadBalancerArns ?? [],
  };
}

/** Whether an IPv4 address lies in a CIDR block. */
export function ipInCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const toNumber = (address: string) =>
    address.split('.').reduce((value, octet) => (value << 8) + Number(octet), 0) >>> 0;
  const prefix = Number(bits);
  if (!base || !Number.isInteger(prefix) || !/^\d+\.\d+\.\d+\.\d+$/.test(ip)) return false;
  const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
  return (toNumber(ip) & mask) >>> 0 === (toNumber(base) & mask) >>> 0;
}

function stageMetricRequests(stages: ClassifiedStage[]): MetricRequest[] {
  return stages.map(
    (stage): MetricRequest => ({
      key: `latency|${stageKey(stage)}`,
      namespace: 'AWS/ApiGateway',
      metricName: 'IntegrationLatency',
      dimensions:
        stage.apiType === 'REST'
          ? { ApiName: stage.apiName, Stage: stage.stage }
          : { ApiId: stage.apiId, Stage: stage.stage },
      stat: 'Maximum' as const,
    }),
  );
}

function resetMetricRequests(lbs: LoadBalancerDescription[]): MetricRequest[] {
  return lbs
    .filter((lb) => lb.type === 'network')
    .map((lb) => ({
      key: `resets|${lb.arn}`,
      namespace: 'AWS/NetworkELB',
      metricName: 'TCP_Target_Reset_Count',
      dimensions: { LoadBalancer: loadBalancerMetricDimension(lb) },
      stat: 'Sum' as const,
    }));
}

const seriesOrNull = (series: PeriodSeries): number[] | null =>
  hasData(series) ? series.map((value) => value ?? 0) : null;

/** A REST stage whose execution logging is off writes no execution log lines: nothing to query. */
export const executionLoggingOff = (settings: Collected<StageSettings>): boolean =>
  settings.ok && (settings.value.executionLogging?.loggingLevel ?? 'OFF') === 'OFF';

function readLogEvidence(
  clients: AwsClients,
  stage: ClassifiedStage,
  settings: Collected<StageSettings>,
  window: AuditWindow,
): Promise<Collected<LogEvidence | null>> {
  if (stage.apiType === 'REST') {
    // Settings that could not be read do not prove logging is off: the group is still searched.
    if (executionLoggingOff(settings)) return Promise.resolve(collected(null));
    return countNetworkErrorLines(clients.logs, executionLogGroup(stage.apiId, stage.stage), window);
  }
  if (!settings.ok) return Promise.resolve(failed(settings.error));
  const destination = settings.value.accessLog?.destinationArn;
  const group = destination ? logGroupName(destination) : null;
  return group ? countNetworkErrorLines(clients.logs, group, window) : Promise.resolve(collected(null));
}

export async function collectInventory(
  clients: AwsClients,
  stages: ClassifiedStage[],
  window: AuditWindow,
  account: string | null,
): Promise<Inventory> {
  const { ec2, elb } = clients;
  const { paths: stagePaths, evidence } = await readStagePaths(clients, stages, window);
  const vpcLinks = await readVpcLinks(clients, stagePaths);
  const { paths, listed } = await linkLoadBalancers(clients, stagePaths, vpcLinks);

  // Load balancers: those already listed (DNS-name lookup) are not described again.
  const lbArns = unique(allIntegrations(paths).flatMap((integration) => integration.loadBalancerArns));
  const listedByArn = new Map(listed.map((lb) => [lb.arn, lb]));
  const described = await describeLoadBalancers(
    elb,
    lbArns.filter((arn) => !listedByArn.has(arn)),
  );
  const lbDescriptions: Record<string, Collected<LoadBalancerDescription>> = Object.fromEntries(
    lbArns.map((arn) => {
      const known = listedByArn.get(arn);
      return [
        arn,
        known
          ? collected(known)
          : (described[arn] ?? failed(notFound('elasticloadbalancing:DescribeLoadBalancers', arn))),
      ];
    }),
  );
  const lbs = Object.values(lbDescriptions).flatMap((lb) => (lb.ok ? [lb.value] : []));

  const metrics = readMetricSeries(
    clients.cloudWatch,
    [...stageMetricRequests(stages), ...resetMetricRequests(lbs)],
    window,
  );
  const interfaces = describeInterfacesByDescription(
    ec2,
    lbs.map((lb) => `ELB ${loadBalancerMetricDimension(lb)}`),
  );
  const perLoadBalancer = await mapBounded(lbs, CONCURRENCY, async (lb) => {
    const [attributes, listeners, groups] = await Promise.all([
      readLoadBalancerAttributes(elb, lb.arn),
      readListeners(elb, lb.arn),
      readTargetGroupsOf(elb, lb.arn),
    ]);
    return { lb, attributes, listeners, groups };
  });

  // Target groups, each read once however many load balancers share it.
  const groupsByArn = new Map<string, TargetGroup>();
  for (const { groups } of perLoadBalancer) {
    for (const group of groups.ok ? groups.value : []) {
      if (group.TargetGroupArn) groupsByArn.set(group.TargetGroupArn, group);
    }
  }
  const groupReads = await mapBounded([...groupsByArn.values()], CONCURRENCY, async (group) => {
    const arn = group.TargetGroupArn ?? '';
    const [attributes, targets] = await Promise.all([
      readTargetGroupAttributes(elb, arn),
      readTargetHealth(elb, arn),
    ]);
    return { facts: targetGroupFacts(group), attributes, targets };
  });

  const instanceIds = unique(
    groupReads
      .filter((read) => read.facts.targetType === 'instance')
      .flatMap((read) => (read.targets.ok ? read.targets.value.map((target) => target.id) : [])),
  );
  const ipTargetVpcs = unique(
    groupReads
      .filter((read) => read.facts.targetType === 'ip' && read.targets.ok && read.targets.value.length > 0)
      .map((read) => read.facts.vpcId),
  );
  const [instances, vpcSubnets] = await Promise.all([
    describeInstances(ec2, instanceIds),
    ipTargetVpcs.length > 0
      ? describeSubnetsOfVpcs(ec2, ipTargetVpcs)
      : ({} as Record<string, Collected<SubnetFacts[]>>),
  ]);
  const knownSubnets: SubnetFacts[] = Object.values(vpcSubnets).flatMap((r) => (r.ok ? r.value : []));
  const zoneOf = (target: TargetFacts, targetType: string): string | undefined => {
    if (target.availabilityZone) return target.availabilityZone;
    if (targetType === 'instance') {
      const instance = instances[target.id];
      return instance?.ok ? instance.value.availabilityZone : undefined;
    }
    return knownSubnets.find((subnet) => ipInCidr(target.id, subnet.cidr))?.availabilityZone;
  };

  const targetGroups: Record<string, Collected<TargetGroupFacts>> = {};
  for (const read of groupReads) {
    const targets: Collected<TargetFacts[]> = read.targets.ok
      ? collected(
          read.targets.value.map((target) => {
            const zone = zoneOf(target, read.facts.targetType);
            return zone ? { ...target, availabilityZone: zone } : target;
          }),
        )
      : read.targets;
    targetGroups[read.facts.arn] = collected({ ...read.facts, attributes: read.attributes, targets });
  }

  const instanceFacts = Object.values(instances).flatMap((r) => (r.ok ? [r.value] : []));
  const securityGroupIds = unique([
    ...instanceFacts.flatMap((instance) => instance.securityGroupIds),
    ...lbs.flatMap((lb) => lb.securityGroupIds),
  ]);
  const subnetIds = unique([
    ...lbs.flatMap((lb) => lb.zones.map((zone) => zone.subnetId)),
    ...instanceFacts.map((instance) => instance.subnetId),
  ]).filter(Boolean);
  const vpcIds = unique([...lbs.map((lb) => lb.vpcId), ...groupReads.map((read) => read.facts.vpcId)]).filter(
    Boolean,
  );
  const lbInterfaces = await interfaces;

  // Flow logs may sit on the VPC, a subnet or an interface: file each under its VPC.
  const vpcOfResource = new Map<string, string>();
  for (const vpcId of vpcIds) vpcOfResource.set(vpcId, vpcId);
  for (const lb of lbs) {
    for (const zone of lb.zones) vpcOfResource.set(zone.subnetId, lb.vpcId);
    const enis = lbInterfaces[`ELB ${loadBalancerMetricDimension(lb)}`];
    for (const eni of enis?.ok ? enis.value : []) vpcOfResource.set(eni.id, lb.vpcId);
  }
  for (const read of groupReads) {
    for (const target of read.targets.ok ? read.targets.value : []) {
      const instance = instances[target.id];
      if (instance?.ok) vpcOfResource.set(instance.value.subnetId, read.facts.vpcId);
    }
  }

  const [securityGroups, subnets, networkAclsBySubnet, vpcs, flowLogs] = await Promise.all([
    describeSecurityGroups(ec2, securityGroupIds),
    describeSubnets(ec2, subnetIds),
    describeNetworkAclsBySubnet(ec2, subnetIds),
    describeVpcs(ec2, vpcIds),
    describeFlowLogs(ec2, [...vpcOfResource.keys()]),
  ]);
  const flowLogsByVpc: Inventory['flowLogsByVpc'] = {};
  for (const vpcId of vpcIds) {
    const results = [...vpcOfResource.entries()]
      .filter(([, vpc]) => vpc === vpcId)
      .map(([resource]) => flowLogs[resource] ?? collected([]));
    const failure = results.find((result) => !result.ok);
    flowLogsByVpc[vpcId] = failure ?? collected(results.flatMap((result) => (result.ok ? result.value : [])));
  }

  const series = await metrics;
  const loadBalancers: Inventory['loadBalancers'] = {};
  for (const [arn, description] of Object.entries(lbDescriptions)) {
    if (!description.ok) {
      loadBalancers[arn] = description;
      continue;
    }
    const read = perLoadBalancer.find((candidate) => candidate.lb.arn === arn);
    const lb = description.value;
    const resets = series.get(`resets|${arn}`);
    const facts: LoadBalancerFacts = {
      ...lb,
      attributes:
        read?.attributes ?? failed(notFound('elasticloadbalancing:DescribeLoadBalancerAttributes', arn)),
      listeners: read?.listeners ?? failed(notFound('elasticloadbalancing:DescribeListeners', arn)),
      targetGroupArns: read
        ? read.groups.ok
          ? collected(
              read.groups.value.flatMap((group) => (group.TargetGroupArn ? [group.TargetGroupArn] : [])),
            )
          : read.groups
        : failed(notFound('elasticloadbalancing:DescribeTargetGroups', arn)),
      networkInterfaces: lbInterfaces[`ELB ${loadBalancerMetricDimension(lb)}`] ?? collected([]),
      tcpTargetResets:
        lb.type !== 'network' || !resets
          ? collected(null)
          : resets.ok
            ? collected(seriesOrNull(resets.value))
            : resets,
    };
    loadBalancers[arn] = collected(facts);
  }

  const logEvidence = await evidence;
  const stageInventories: StageInventory[] = paths.map((path, index) => {
    const latency = series.get(`latency|${stageKey(path.stage)}`);
    const maxLatency: Collected<number | null> = !latency
      ? collected(null)
      : latency.ok
        ? collected(hasData(latency.value) ? Math.max(...latency.value.map((value) => value ?? 0)) : null)
        : latency;
    return {
      stage: path.stage,
      settings: path.settings,
      integrations: path.integrations,
      integrationLatencyMaxMs: maxLatency,
      networkErrorLogLines: logEvidence[index] ?? collected(null),
    };
  });

  return {
    region: clients.region,
    account,
    window,
    stages: stageInventories,
    vpcLinks,
    loadBalancers,
    targetGroups,
    instances,
    securityGroups,
    subnets,
    networkAclsBySubnet,
    vpcs,
    flowLogsByVpc,
  };
}
