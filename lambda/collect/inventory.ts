/**
 * The path phase: for the stages the triage selected, follow integration -> VPC link -> load
 * balancer -> listeners -> target groups -> targets -> instances, security groups, subnets, ACLs,
 * VPCs, flow logs, and read the stages' latency and log evidence. Every shared resource is read
 * once per call, describe calls are batched, and a failed read is recorded against what it was for.
 */
import type { Integration as HttpIntegration } from '@aws-sdk/client-apigatewayv2';
import { integrationEntry, type ListenerEntry, loadBalancerArnOfListener } from '../domain/path';
import {
  type AccessLogSettings,
  type AuditWindow,
  type ClassifiedStage,
  type Collected,
  type CollectionError,
  collected,
  type DeployedIntegration,
  failed,
  type IntegrationFacts,
  type Inventory,
  type IpTargetInterfaceFacts,
  ipTargetKey,
  type LoadBalancerFacts,
  type LogEvidence,
  type StageInventory,
  type StageSettings,
  type SubnetFacts,
  type TargetFacts,
  type TargetGroupFacts,
  type VpcLinkFacts,
  type VpcLinkVersion,
} from '../domain/types';
import { accessLogFormat, ERROR_TEXT_VARIABLES, errorTextVariablesIn } from './access-log-format';
import {
  httpIntegrationFacts,
  listHttpVpcLinks,
  readHttpIntegrations,
  readHttpRouteKeys,
  readHttpStageSettings,
} from './api-gateway-http';
import {
  listRestVpcLinks,
  readDeployedIntegrations,
  readRestMethodIntegrations,
  readRestStageSettings,
  restIntegrationFacts,
} from './api-gateway-rest';
import type { AwsClients } from './clients';
import { notFound, toCollectionError } from './collect-error';
import { limitConcurrency, mapInLanes } from './concurrency';
import { loadBalancerDnsName, uriHostAndPort, usesStageVariables } from './integration-uri';
import { followLoadBalancerHops } from './load-balancer-hops';
import {
  type LoadBalancerDescription,
  listLoadBalancers,
  loadBalancerMetricDimension,
} from './load-balancers';
import { countErrorLines } from './log-evidence';
import { accessLogGroupToSearch, executionLogGroup } from './log-groups';
import { Memo, unique } from './memo';
import { hasData, type MetricRequest, type PeriodSeries, readMetricSeries } from './metrics';
import {
  describeFlowLogs,
  describeInstances,
  describeInterfacesByDescription,
  describeInterfacesByPrivateIp,
  describeManagedPrefixListEntries,
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
  /** REST only: what the stage's deployment serves. */
  deployed?: Collected<Record<string, DeployedIntegration> | null>;
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
  options: CollectOptions,
): Promise<StageReads> {
  const restIntegrations = new Memo<string, Awaited<ReturnType<typeof readRestMethodIntegrations>>>();
  const httpIntegrations = new Memo<string, Collected<RoutedHttpIntegration[]>>();
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
        .then((settings) =>
          queryLogs(() => readLogEvidence(clients, stage, settings, window, options.accessLogGroupPrefix)),
        )
        .catch((error: unknown) => failed(toCollectionError('logs:FilterLogEvents', error))),
    );
    const [settings, facts, deployed] = await Promise.all([
      settingsRead,
      rest
        ? restIntegrations.get(stage.apiId, (id) => readRestMethodIntegrations(clients.apiGateway, id))
        : httpIntegrations.get(stage.apiId, (id) => readRoutedHttpIntegrations(clients, id)),
      rest ? readDeployedIntegrations(clients.apiGateway, stage.apiId, stage.stage) : undefined,
    ]);
    const variables = settings.ok ? settings.value.stageVariables : {};
    const toFacts = (configured: unknown): IntegrationFacts => {
      if (rest) return restIntegrationFacts(clients.region, stage.apiId, configured as never, variables);
      const { integration, routeKeys } = configured as RoutedHttpIntegration;
      return { ...httpIntegrationFacts(clients.region, stage.apiId, integration, variables), routeKeys };
    };
    const integrations: Collected<IntegrationFacts[]> = facts.ok
      ? collected((facts.value as unknown[]).map(toFacts).map((f) => blameUnreadStage(f, settings)))
      : facts;
    return { stage, settings, integrations, ...(deployed ? { deployed } : {}) };
  });
  const evidence = Promise.all(
    stages.map((stage) => evidenceOf.get(stage) ?? Promise.resolve(collected(null))),
  );
  return { paths, evidence };
}

interface RoutedHttpIntegration {
  integration: HttpIntegration;
  routeKeys: string[];
}

/** An HTTP API's integrations that a route sends to; the others receive no traffic and are not on any path. */
async function readRoutedHttpIntegrations(
  clients: AwsClients,
  apiId: string,
): Promise<Collected<RoutedHttpIntegration[]>> {
  const [integrations, routeKeys] = await Promise.all([
    readHttpIntegrations(clients.apiGatewayV2, apiId),
    readHttpRouteKeys(clients.apiGatewayV2, apiId),
  ]);
  if (!integrations.ok) return integrations;
  if (!routeKeys.ok) return routeKeys;
  return collected(
    integrations.value.flatMap((integration) => {
      const keys = routeKeys.value[integration.IntegrationId ?? ''];
      return keys ? [{ integration, routeKeys: keys }] : [];
    }),
  );
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

/**
 * The VPC links the integrations use, each looked up where its kind lives: V1 links (REST
 * integrations without `integrationTarget`) among GetVpcLinks of API Gateway, V2 links (HTTP APIs,
 * and REST integrations that name their load balancer) among those of apigatewayv2.
 */
async function readVpcLinks(
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

/**
 * Fills each integration's load balancers: a V1 link's targets, a V2 REST integration's
 * `integrationTarget`, an HTTP integration's listener (its load balancer is in the listener's ARN,
 * so a deleted listener still leads there), or a URI host that is a load balancer's DNS name.
 */
async function linkLoadBalancers(
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
function entriesByLoadBalancer(integrations: IntegrationFacts[]): Map<string, ListenerEntry[]> {
  const entries = new Map<string, ListenerEntry[]>();
  for (const integration of integrations) {
    const entry = integrationEntry(integration);
    for (const arn of integration.loadBalancerArns) {
      entries.set(arn, [...(entries.get(arn) ?? []), ...(entry ? [entry] : [])]);
    }
  }
  return entries;
}

/** VPC id -> the addresses of the `ip` targets on the path in it (an address is unique within its VPC only). */
function ipTargetAddressesByVpc(groups: TargetGroupFacts[]): Map<string, string[]> {
  const byVpc = new Map<string, string[]>();
  for (const group of groups) {
    if (group.targetType !== 'ip' || !group.targets.ok || group.targets.value.length === 0) continue;
    const addresses = group.targets.value.map((target) => target.id);
    byVpc.set(group.vpcId, unique([...(byVpc.get(group.vpcId) ?? []), ...addresses]));
  }
  return byVpc;
}

/** The interfaces of the `ip` targets, one batched call per VPC, filed by `ipTargetKey`. */
async function describeIpTargetInterfaces(
  ec2: AwsClients['ec2'],
  addressesByVpc: Map<string, string[]>,
): Promise<Record<string, Collected<IpTargetInterfaceFacts | null>>> {
  const perVpc = await Promise.all(
    [...addressesByVpc].map(async ([vpcId, addresses]) => {
      const found = await describeInterfacesByPrivateIp(ec2, vpcId, addresses);
      return Object.entries(found).map(([address, eni]) => [ipTargetKey(vpcId, address), eni] as const);
    }),
  );
  return Object.fromEntries(perVpc.flat());
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

/**
 * Per-integration latency, from the series detailed metrics write: REST `ApiName, Method, Resource,
 * Stage`; HTTP `ApiId, Stage, Route` (an integration may serve several routes).
 */
function integrationLatencyDimensions(
  stage: ClassifiedStage,
  integration: IntegrationFacts,
): Record<string, string>[] {
  if (stage.apiType === 'HTTP') {
    return (integration.routeKeys ?? []).map((route) => ({
      ApiId: stage.apiId,
      Stage: stage.stage,
      Route: route,
    }));
  }
  const { method } = integration;
  return method
    ? [{ ApiName: stage.apiName, Method: method.httpMethod, Resource: method.path, Stage: stage.stage }]
    : [];
}

const integrationLatencyKey = (stage: ClassifiedStage, integration: IntegrationFacts, index: number) =>
  `latency|${stageKey(stage)}|${integration.id}|${index}`;

function integrationLatencyRequests(paths: StagePath[]): MetricRequest[] {
  return paths.flatMap(({ stage, integrations }) =>
    (integrations.ok ? integrations.value : []).flatMap((integration) =>
      integrationLatencyDimensions(stage, integration).map(
        (dimensions, index): MetricRequest => ({
          key: integrationLatencyKey(stage, integration, index),
          namespace: 'AWS/ApiGateway',
          metricName: 'IntegrationLatency',
          dimensions,
          stat: 'Maximum',
        }),
      ),
    ),
  );
}

/** The largest value over several series (null when none has data); the first failure wins. */
function maxOverSeries(series: (Collected<PeriodSeries> | undefined)[]): Collected<number | null> {
  let max: number | null = null;
  for (const one of series) {
    if (!one) continue;
    if (!one.ok) return one;
    if (hasData(one.value)) max = Math.max(max ?? 0, ...one.value.map((value) => value ?? 0));
  }
  return collected(max);
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

/**
 * A REST stage whose execution logging is off, stage-wide and in every method setting, writes no
 * execution log lines: nothing to query.
 */
export const executionLoggingOff = (settings: Collected<StageSettings>): boolean =>
  settings.ok &&
  (settings.value.executionLogging?.loggingLevel ?? 'OFF') === 'OFF' &&
  Object.values(settings.value.methodLogging ?? {}).every(
    (method) => (method.loggingLevel ?? 'OFF') === 'OFF',
  );

/**
 * A stage's evidence, from the one log group that is its own: a REST stage's execution log group
 * (named after the API and stage); an HTTP stage's access-log group, only when the format holds
 * error text and the group lies under the configured prefix, counting only the lines that name
 * this API and stage where the format holds `$context.apiId` / `$context.stage`.
 */
function readLogEvidence(
  clients: AwsClients,
  stage: ClassifiedStage,
  settings: Collected<StageSettings>,
  window: AuditWindow,
  accessLogGroupPrefix: string | undefined,
): Promise<Collected<LogEvidence | null>> {
  if (stage.apiType === 'REST') {
    // Settings that could not be read do not prove logging is off: the group is still searched.
    if (executionLoggingOff(settings)) return Promise.resolve(collected(null));
    const group = executionLogGroup(stage.apiId, stage.stage);
    return countErrorLines(clients.logs, group, window, { kind: 'whole-group' });
  }
  if (!settings.ok) return Promise.resolve(failed(settings.error));
  const accessLog = settings.value.accessLog;
  const target = accessLogGroupToSearch(accessLog?.destinationArn, accessLogGroupPrefix);
  if (!accessLog || !('search' in target)) {
    return Promise.resolve(
      collected(accessLog && 'skip' in target ? withoutErrorText(accessLog, target.skip) : null),
    );
  }
  const format = accessLogFormat(accessLog.format);
  if (format.errorVariables.length === 0) return Promise.resolve(collected(noErrorText(target.search)));
  return countErrorLines(clients.logs, target.search, window, {
    kind: 'by-format',
    attributedBy: format.attributedBy,
    attribute: format.attribute,
    stage: { apiId: stage.apiId, stage: stage.stage },
  });
}

/** An access log whose format holds no error text cannot hold the evidence, wherever it goes. */
const noErrorText = (logGroup: string): LogEvidence => ({
  logGroup,
  notSearched: `the access log format holds no error text (none of ${ERROR_TEXT_VARIABLES.join(', ')}): add $context.integrationErrorMessage to the format so its lines say why an integration failed`,
});

/** Why an access-log group outside the prefix is not searched; the format's own gap comes first. */
function withoutErrorText(accessLog: AccessLogSettings, skip: LogEvidence | null): LogEvidence | null {
  if (!skip) return null;
  return errorTextVariablesIn(accessLog.format).length === 0 ? noErrorText(skip.logGroup) : skip;
}

export interface CollectOptions {
  /** Access-log groups are searched only when their name starts with this (`accessLogGroupPrefix`). */
  accessLogGroupPrefix?: string;
}

export async function collectInventory(
  clients: AwsClients,
  stages: ClassifiedStage[],
  window: AuditWindow,
  account: string | null,
  options: CollectOptions = {},
): Promise<Inventory> {
  const { ec2 } = clients;
  const { paths: stagePaths, evidence } = await readStagePaths(clients, stages, window, options);
  const vpcLinks = await readVpcLinks(clients, allIntegrations(stagePaths));
  const { paths, listed } = await linkLoadBalancers(clients, stagePaths, vpcLinks);
  const hops = await followLoadBalancerHops(clients, entriesByLoadBalancer(allIntegrations(paths)), listed);
  const lbs = Object.values(hops.loadBalancers).flatMap((read) => (read.ok ? [read.value.description] : []));

  const metrics = readMetricSeries(
    clients.cloudWatch,
    [...stageMetricRequests(stages), ...integrationLatencyRequests(paths), ...resetMetricRequests(lbs)],
    window,
  );
  const interfaces = describeInterfacesByDescription(
    ec2,
    lbs.map((lb) => `ELB ${loadBalancerMetricDimension(lb)}`),
  );

  const groupsOnPath = Object.values(hops.targetGroups).flatMap((group) => (group.ok ? [group.value] : []));
  const instanceIds = unique(
    groupsOnPath
      .filter((group) => group.targetType === 'instance')
      .flatMap((group) => (group.targets.ok ? group.targets.value.map((target) => target.id) : [])),
  );
  const ipTargetsByVpc = ipTargetAddressesByVpc(groupsOnPath);
  const ipTargetVpcs = [...ipTargetsByVpc.keys()];
  const [instances, vpcSubnets, ipTargetInterfaces] = await Promise.all([
    describeInstances(ec2, instanceIds),
    ipTargetVpcs.length > 0
      ? describeSubnetsOfVpcs(ec2, ipTargetVpcs)
      : ({} as Record<string, Collected<SubnetFacts[]>>),
    describeIpTargetInterfaces(ec2, ipTargetsByVpc),
  ]);
  const knownSubnets: SubnetFacts[] = Object.values(vpcSubnets).flatMap((r) => (r.ok ? r.value : []));
  const zoneOf = (target: TargetFacts, group: TargetGroupFacts): string | undefined => {
    if (target.availabilityZone) return target.availabilityZone;
    if (group.targetType === 'instance') {
      const instance = instances[target.id];
      return instance?.ok ? instance.value.availabilityZone : undefined;
    }
    if (group.targetType !== 'ip') return undefined;
    const eni = ipTargetInterfaces[ipTargetKey(group.vpcId, target.id)];
    if (eni?.ok && eni.value) return eni.value.availabilityZone;
    return knownSubnets.find((subnet) => ipInCidr(target.id, subnet.cidr))?.availabilityZone;
  };
  const targetGroups: Record<string, Collected<TargetGroupFacts>> = Object.fromEntries(
    Object.entries(hops.targetGroups).map(([arn, group]) => {
      if (!group.ok || !group.value.targets.ok) return [arn, group];
      const targets = group.value.targets.value.map((target) => {
        const zone = zoneOf(target, group.value);
        return zone ? { ...target, availabilityZone: zone } : target;
      });
      return [arn, collected({ ...group.value, targets: collected(targets) })];
    }),
  );

  const instanceFacts = Object.values(instances).flatMap((r) => (r.ok ? [r.value] : []));
  const ipTargetFacts = Object.values(ipTargetInterfaces).flatMap((r) => (r.ok && r.value ? [r.value] : []));
  const securityGroupIds = unique([
    ...instanceFacts.flatMap((instance) => instance.securityGroupIds),
    ...ipTargetFacts.flatMap((eni) => eni.securityGroupIds),
    ...lbs.flatMap((lb) => lb.securityGroupIds),
  ]);
  // A V2 link's subnets are where its interfaces send from (the sources targets see with client IP preservation).
  const linkSubnetIds = Object.values(vpcLinks).flatMap((link) => (link.ok ? link.value.subnetIds : []));
  const subnetIds = unique([
    ...lbs.flatMap((lb) => lb.zones.map((zone) => zone.subnetId)),
    ...instanceFacts.map((instance) => instance.subnetId),
    ...ipTargetFacts.map((eni) => eni.subnetId),
    ...linkSubnetIds,
  ]).filter(Boolean);
  const vpcIds = unique([...lbs.map((lb) => lb.vpcId), ...groupsOnPath.map((group) => group.vpcId)]).filter(
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
  for (const group of groupsOnPath) {
    for (const target of group.targets.ok ? group.targets.value : []) {
      const instance = instances[target.id];
      if (instance?.ok) vpcOfResource.set(instance.value.subnetId, group.vpcId);
      const eni =
        group.targetType === 'ip' ? ipTargetInterfaces[ipTargetKey(group.vpcId, target.id)] : undefined;
      if (eni?.ok && eni.value) vpcOfResource.set(eni.value.subnetId, group.vpcId);
    }
  }

  const [securityGroups, subnets, networkAclsBySubnet, vpcs, flowLogs] = await Promise.all([
    describeSecurityGroups(ec2, securityGroupIds),
    describeSubnets(ec2, subnetIds),
    describeNetworkAclsBySubnet(ec2, subnetIds),
    describeVpcs(ec2, vpcIds),
    describeFlowLogs(ec2, [...vpcOfResource.keys()]),
  ]);
  const prefixListIds = unique(
    Object.values(securityGroups).flatMap((group) =>
      group.ok ? group.value.inbound.flatMap((permission) => permission.prefixListIds) : [],
    ),
  );
  const prefixLists =
    prefixListIds.length > 0 ? await describeManagedPrefixListEntries(ec2, prefixListIds) : {};
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
  for (const [arn, read] of Object.entries(hops.loadBalancers)) {
    if (!read.ok) {
      loadBalancers[arn] = read;
      continue;
    }
    const { description: lb, attributes, listeners, targetGroupArns } = read.value;
    const resets = series.get(`resets|${arn}`);
    const facts: LoadBalancerFacts = {
      ...lb,
      attributes,
      listeners,
      targetGroupArns,
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
    const byIntegration = Object.fromEntries(
      (path.integrations.ok ? path.integrations.value : []).map((integration) => {
        const mine = integrationLatencyDimensions(path.stage, integration).map((_, index) =>
          series.get(integrationLatencyKey(path.stage, integration, index)),
        );
        return [integration.id, maxOverSeries(mine)];
      }),
    );
    return {
      stage: path.stage,
      settings: path.settings,
      integrations: path.integrations,
      integrationLatencyMaxMs: maxLatency,
      integrationLatencyMaxMsByIntegration: byIntegration,
      ...(path.deployed ? { deployedIntegrations: path.deployed } : {}),
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
    ipTargetInterfaces,
    securityGroups,
    subnets,
    networkAclsBySubnet,
    vpcs,
    flowLogsByVpc,
    prefixLists,
  };
}
