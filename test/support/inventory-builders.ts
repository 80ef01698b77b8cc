/**
 * Readable inventories for check and engine tests, no SDK involved. A scenario builds a complete,
 * healthy path (every check passes); a test overrides the one fact it is about:
 *
 *   nlbScenario({ targetGroup: { targets: collected([aTarget({ id: 'i-a', state: 'unused' })]) } }).build()
 *   nlbScenario().failing('flowLogsByVpc', 'vpc-1', 'ec2:DescribeFlowLogs').build()
 */
import { httpIntegrationArn, restIntegrationArn } from '../../lambda/domain/arns';
import type { CheckDefinition } from '../../lambda/domain/check';
import {
  type ClassifiedStage,
  type Collected,
  type CollectionError,
  collected,
  type FlowLogFacts,
  failed,
  type InstanceFacts,
  type IntegrationFacts,
  type Inventory,
  type IpPermission,
  type IpTargetInterfaceFacts,
  type LoadBalancerFacts,
  type LogLineCount,
  type NetworkAclEntry,
  type NetworkAclFacts,
  type SecurityGroupFacts,
  type StageInventory,
  type StageSettings,
  type SubnetFacts,
  type TargetFacts,
  type TargetGroupFacts,
  type VpcFacts,
  type VpcLinkFacts,
} from '../../lambda/domain/types';
import { runCheckGuarded } from '../../lambda/engine/evaluate';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
export const VPC_ID = 'vpc-1';
export const NLB_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/net/orders-nlb/50dc6c495c0c9188`;
export const ALB_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/orders-alb/80dc6c495c0c9188`;
export const TG_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/orders-tg/73e2d6bc24d8a067`;
export const LISTENER_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener/app/orders-alb/80dc6c495c0c9188/f2f7dc8efc522ab2`;

export const accessDenied = (action: string): CollectionError => ({
  action,
  code: 'AccessDenied',
  message: `User is not authorized to perform: ${action}`,
});

export const REST_ACCESS_LOG_FORMAT =
  '{"requestId":"$context.requestId","status":"$context.status","integrationError":"$context.integration.error",' +
  '"integrationLatency":"$context.integration.latency","integrationStatus":"$context.integrationStatus"}';

export function aClassifiedStage(overrides: Partial<ClassifiedStage> = {}): ClassifiedStage {
  return {
    region: REGION,
    apiId: 'a1b2c3',
    apiName: 'orders',
    apiType: 'REST',
    stage: 'prod',
    requests: 12_000,
    errors5xx: 1_200,
    errorRatio: 0.1,
    periodsWithErrors: 12,
    periods: 12,
    classification: 'high-frequency',
    ...overrides,
  };
}

export function aStageSettings(overrides: Partial<StageSettings> = {}): StageSettings {
  return {
    accessLog: {
      destinationArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:orders-access`,
      format: REST_ACCESS_LOG_FORMAT,
    },
    executionLogging: { loggingLevel: 'INFO', dataTraceEnabled: true },
    stageVariables: {},
    ...overrides,
  };
}

type OptionalKeys<T> = { [K in keyof T]-?: Partial<Pick<T, K>> extends Pick<T, K> ? K : never }[keyof T];

/**
 * A builder's overrides: an optional fact given as `undefined` is taken out of the defaults (the
 * fact is absent, as when AWS omits it); a required fact can only be replaced.
 */
export type Overrides<T> = { [K in keyof T]?: K extends OptionalKeys<T> ? T[K] | undefined : T[K] };

export function withOverrides<T extends object>(defaults: T, overrides: Overrides<T>): T {
  const built = { ...defaults, ...overrides };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) Reflect.deleteProperty(built, key);
  }
  return built;
}

export function aRestIntegration(overrides: Overrides<IntegrationFacts> = {}): IntegrationFacts {
  return withOverrides<IntegrationFacts>(
    {
      id: 'r00t/GET',
      arn: restIntegrationArn(REGION, 'a1b2c3', 'r00t', 'GET'),
      label: 'GET /orders',
      type: 'HTTP_PROXY',
      connectionType: 'VPC_LINK',
      rawConnectionId: 'vl-orders',
      vpcLinkId: 'vl-orders',
      vpcLinkVersion: 'V1',
      uri: 'http://orders-nlb-50dc6c495c0c9188.elb.us-east-1.amazonaws.com:80/orders',
      timeoutMs: 29_000,
      port: 80,
      loadBalancerArns: [],
    },
    overrides,
  );
}

export function anHttpIntegration(overrides: Overrides<IntegrationFacts> = {}): IntegrationFacts {
  return withOverrides<IntegrationFacts>(
    {
      id: 'int123',
      arn: httpIntegrationArn(REGION, 'h1t2p3', 'int123'),
      label: `int123 ${LISTENER_ARN}`,
      type: 'HTTP_PROXY',
      connectionType: 'VPC_LINK',
      rawConnectionId: 'vl-http',
      vpcLinkId: 'vl-http',
      vpcLinkVersion: 'V2',
      uri: LISTENER_ARN,
      timeoutMs: 30_000,
      listenerArn: LISTENER_ARN,
      loadBalancerArns: [ALB_ARN],
    },
    overrides,
  );
}

export function aStageInventory(
  overrides: Partial<Omit<StageInventory, 'stage'>> & { stage?: Partial<ClassifiedStage> } = {},
): StageInventory {
  const { stage, ...rest } = overrides;
  return {
    stage: aClassifiedStage(stage),
    settings: collected(aStageSettings()),
    integrations: collected([aRestIntegration()]),
    integrationLatencyMaxMs: collected(1_200),
    networkErrorLogLines: collected(aLogLineCount({ logGroup: 'API-Gateway-Execution-Logs_a1b2c3/prod' })),
    ...rest,
  };
}

/** No matching line in the stage's own log group (a REST execution log group: every line is the stage's). */
export function aLogLineCount(overrides: Partial<LogLineCount> = {}): LogLineCount {
  return {
    logGroup: 'API-Gateway-Execution-Logs_a1b2c3/prod',
    count: 0,
    byMessage: {},
    otherStages: 0,
    unattributed: 0,
    attributedBy: ['apiId', 'stage'],
    truncated: false,
    ...overrides,
  };
}

export function aVpcLink(overrides: Partial<VpcLinkFacts> = {}): VpcLinkFacts {
  return {
    id: 'vl-orders',
    arn: `arn:aws:apigateway:${REGION}::/vpclinks/vl-orders`,
    name: 'orders-link',
    version: 'V1',
    status: 'AVAILABLE',
    targetArns: [NLB_ARN],
    subnetIds: [],
    securityGroupIds: [],
    ...overrides,
  };
}

export function anNlb(overrides: Partial<LoadBalancerFacts> = {}): LoadBalancerFacts {
  return {
    arn: NLB_ARN,
    name: 'orders-nlb',
    type: 'network',
    dnsName: 'orders-nlb-50dc6c495c0c9188.elb.us-east-1.amazonaws.com',
    vpcId: VPC_ID,
    zones: [
      { zoneName: 'us-east-1a', subnetId: 'subnet-lb-a' },
      { zoneName: 'us-east-1b', subnetId: 'subnet-lb-b' },
    ],
    securityGroupIds: [],
    attributes: collected({ 'load_balancing.cross_zone.enabled': 'true' }),
    listeners: collected([
      { arn: `${NLB_ARN}/listener-80`, port: 80, protocol: 'TCP', targetGroupArns: [TG_ARN] },
    ]),
    targetGroupArns: collected([TG_ARN]),
    networkInterfaces: collected([
      { id: 'eni-lb-a', privateIp: '10.0.1.10', subnetId: 'subnet-lb-a' },
      { id: 'eni-lb-b', privateIp: '10.0.2.10', subnetId: 'subnet-lb-b' },
    ]),
    tcpTargetResets: collected([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    ...overrides,
  };
}

export function anAlb(overrides: Partial<LoadBalancerFacts> = {}): LoadBalancerFacts {
  return anNlb({
    arn: ALB_ARN,
    name: 'orders-alb',
    type: 'application',
    dnsName: 'internal-orders-alb-80dc6c495c0c9188.us-east-1.elb.amazonaws.com',
    securityGroupIds: ['sg-alb'],
    attributes: collected({}),
    listeners: collected([{ arn: LISTENER_ARN, port: 443, protocol: 'HTTPS', targetGroupArns: [TG_ARN] }]),
    tcpTargetResets: collected(null),
    ...overrides,
  });
}

export function aTarget(overrides: Overrides<TargetFacts> = {}): TargetFacts {
  return withOverrides<TargetFacts>(
    { id: 'i-0a1', port: 8080, availabilityZone: 'us-east-1a', state: 'healthy' },
    overrides,
  );
}

export function aTargetGroup(overrides: Partial<TargetGroupFacts> = {}): TargetGroupFacts {
  return {
    arn: TG_ARN,
    name: 'orders-tg',
    port: 8080,
    protocol: 'TCP',
    targetType: 'instance',
    vpcId: VPC_ID,
    loadBalancerArns: [NLB_ARN],
    attributes: collected({ 'load_balancing.cross_zone.enabled': 'use_load_balancer_configuration' }),
    targets: collected([
      aTarget({ id: 'i-0a1', availabilityZone: 'us-east-1a' }),
      aTarget({ id: 'i-0b2', availabilityZone: 'us-east-1b' }),
    ]),
    ...overrides,
  };
}

export function anInstance(overrides: Partial<InstanceFacts> = {}): InstanceFacts {
  return {
    id: 'i-0a1',
    state: 'running',
    subnetId: 'subnet-app-a',
    availabilityZone: 'us-east-1a',
    privateIp: '10.0.11.5',
    securityGroupIds: ['sg-web'],
    ...overrides,
  };
}

/** A Fargate task's interface holding an `ip` target's address, in subnet-app-b. */
export function anIpTargetInterface(overrides: Partial<IpTargetInterfaceFacts> = {}): IpTargetInterfaceFacts {
  return {
    id: 'eni-task-b',
    privateIp: '10.0.12.40',
    subnetId: 'subnet-app-b',
    availabilityZone: 'us-east-1b',
    securityGroupIds: ['sg-web'],
    ...overrides,
  };
}

export function aSecurityGroup(overrides: Partial<SecurityGroupFacts> = {}): SecurityGroupFacts {
  return {
    id: 'sg-web',
    name: 'web',
    vpcId: VPC_ID,
    inbound: [
      {
        protocol: 'tcp',
        fromPort: 8080,
        toPort: 8080,
        cidrs: ['10.0.0.0/16'],
        ipv6Cidrs: [],
        sourceSecurityGroupIds: [],
        prefixListIds: [],
      },
    ],
    ...overrides,
  };
}

export const allowAllAclEntries = (): NetworkAclEntry[] => [
  { ruleNumber: 100, egress: false, protocol: '-1', action: 'allow', cidr: '0.0.0.0/0' },
  { ruleNumber: 32767, egress: false, protocol: '-1', action: 'deny', cidr: '0.0.0.0/0' },
  { ruleNumber: 100, egress: true, protocol: '-1', action: 'allow', cidr: '0.0.0.0/0' },
  { ruleNumber: 32767, egress: true, protocol: '-1', action: 'deny', cidr: '0.0.0.0/0' },
];

export function aNetworkAcl(overrides: Partial<NetworkAclFacts> = {}): NetworkAclFacts {
  return { id: 'acl-1', entries: allowAllAclEntries(), ...overrides };
}

const SUBNETS: SubnetFacts[] = [
  { id: 'subnet-lb-a', vpcId: VPC_ID, cidr: '10.0.1.0/24', availabilityZone: 'us-east-1a' },
  { id: 'subnet-lb-b', vpcId: VPC_ID, cidr: '10.0.2.0/24', availabilityZone: 'us-east-1b' },
  { id: 'subnet-app-a', vpcId: VPC_ID, cidr: '10.0.11.0/24', availabilityZone: 'us-east-1a' },
  { id: 'subnet-app-b', vpcId: VPC_ID, cidr: '10.0.12.0/24', availabilityZone: 'us-east-1b' },
];

type CollectionName = Exclude<keyof Inventory, 'region' | 'account' | 'window' | 'stages'>;
type FactsOf<K extends CollectionName> = Inventory[K] extends Record<string, Collected<infer T>> ? T : never;

const asCollected = <T>(value: T | Collected<T>): Collected<T> =>
  typeof value === 'object' && value !== null && 'ok' in value && typeof value.ok === 'boolean'
    ? (value as Collected<T>)
    : collected(value as T);

export class InventoryBuilder {
  private readonly inventory: Inventory = {
    region: REGION,
    account: ACCOUNT,
    window: { start: '2026-11-29T11:00:00.000Z', end: '2026-11-29T12:00:00.000Z', periodSeconds: 300 },
    stages: [],
    vpcLinks: {},
    loadBalancers: {},
    targetGroups: {},
    instances: {},
    ipTargetInterfaces: {},
    securityGroups: {},
    subnets: {},
    networkAclsBySubnet: {},
    vpcs: {},
    flowLogsByVpc: {},
  };

  withStage(stage: StageInventory): this {
    this.inventory.stages.push(stage);
    return this;
  }

  withoutStages(): this {
    this.inventory.stages.length = 0;
    return this;
  }

  withAccount(account: string | null): this {
    this.inventory.account = account;
    return this;
  }

  /** Sets one collected fact by key (replacing what is there). */
  with<K extends CollectionName>(
    collection: K,
    key: string,
    value: FactsOf<K> | Collected<FactsOf<K>>,
  ): this {
    (this.inventory[collection] as Record<string, Collected<FactsOf<K>>>)[key] = asCollected(value);
    return this;
  }

  /** Makes one fact unreadable: its collector's `action` failed with AccessDenied. */
  failing(collection: CollectionName, key: string, action: string): this {
    (this.inventory[collection] as Record<string, Collected<unknown>>)[key] = failed(accessDenied(action));
    return this;
  }

  without(collection: CollectionName, key: string): this {
    delete (this.inventory[collection] as Record<string, unknown>)[key];
    return this;
  }

  build(): Inventory {
    return structuredClone(this.inventory);
  }
}

export const anInventory = (): InventoryBuilder => new InventoryBuilder();

export interface ScenarioOverrides {
  stage?: Partial<Omit<StageInventory, 'stage'>> & { stage?: Partial<ClassifiedStage> };
  vpcLink?: Partial<VpcLinkFacts>;
  loadBalancer?: Partial<LoadBalancerFacts>;
  targetGroup?: Partial<TargetGroupFacts>;
  securityGroup?: Partial<SecurityGroupFacts>;
  networkAcl?: Partial<NetworkAclFacts>;
  flowLogs?: FlowLogFacts[];
  vpc?: Partial<VpcFacts>;
}

function withTargetsAndNetwork(
  builder: InventoryBuilder,
  overrides: ScenarioOverrides,
  loadBalancerArn: string,
) {
  builder
    .with(
      'targetGroups',
      TG_ARN,
      aTargetGroup({ loadBalancerArns: [loadBalancerArn], ...overrides.targetGroup }),
    )
    .with('instances', 'i-0a1', anInstance())
    .with(
      'instances',
      'i-0b2',
      anInstance({
        id: 'i-0b2',
        subnetId: 'subnet-app-b',
        availabilityZone: 'us-east-1b',
        privateIp: '10.0.12.5',
      }),
    )
    .with('securityGroups', 'sg-web', aSecurityGroup(overrides.securityGroup))
    .with('vpcs', VPC_ID, { id: VPC_ID, cidrs: ['10.0.0.0/16'], ...overrides.vpc })
    .with(
      'flowLogsByVpc',
      VPC_ID,
      overrides.flowLogs ?? [{ id: 'fl-1', resourceId: VPC_ID, status: 'ACTIVE', trafficType: 'ALL' }],
    );
  for (const subnet of SUBNETS) {
    builder
      .with('subnets', subnet.id, subnet)
      .with('networkAclsBySubnet', subnet.id, aNetworkAcl(overrides.networkAcl));
  }
  return builder;
}

/** A REST stage -> VPC link -> NLB -> instance targets in two zones; every check passes. */
export function nlbScenario(overrides: ScenarioOverrides = {}): InventoryBuilder {
  const builder = anInventory()
    .withStage(aStageInventory(overrides.stage))
    .with('vpcLinks', 'vl-orders', aVpcLink(overrides.vpcLink))
    .with('loadBalancers', NLB_ARN, anNlb(overrides.loadBalancer));
  return withTargetsAndNetwork(builder, overrides, NLB_ARN);
}

export const HTTP_ACCESS_LOG_FORMAT =
  '$context.requestId $context.status $context.integrationErrorMessage $context.integrationLatency $context.integrationStatus';

/** The ALB's group: HTTPS 443 from anywhere. */
export function anAlbSecurityGroup(overrides: Partial<SecurityGroupFacts> = {}): SecurityGroupFacts {
  return aSecurityGroup({
    id: 'sg-alb',
    name: 'alb',
    inbound: [
      {
        protocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        cidrs: ['0.0.0.0/0'],
        ipv6Cidrs: [],
        sourceSecurityGroupIds: [],
        prefixListIds: [],
      },
    ],
    ...overrides,
  });
}

/** An HTTP API stage -> VPC link -> ALB listener -> instance targets in two zones; every check passes. */
export function albScenario(overrides: ScenarioOverrides = {}): InventoryBuilder {
  const stage = aStageInventory({
    settings: collected(
      aStageSettings({
        accessLog: {
          destinationArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:http-access`,
          format: HTTP_ACCESS_LOG_FORMAT,
        },
        executionLogging: null,
      }),
    ),
    integrations: collected([anHttpIntegration()]),
    networkErrorLogLines: collected(
      aLogLineCount({ logGroup: 'http-access', attributedBy: ['apiId', 'stage'] }),
    ),
    ...overrides.stage,
    stage: {
      apiId: 'h1t2p3',
      apiName: 'checkout',
      apiType: 'HTTP',
      stage: '$default',
      ...overrides.stage?.stage,
    },
  });
  const builder = anInventory()
    .withStage(stage)
    .with(
      'vpcLinks',
      'vl-http',
      aVpcLink({
        id: 'vl-http',
        name: 'http-link',
        version: 'V2',
        targetArns: [],
        securityGroupIds: ['sg-link'],
        ...overrides.vpcLink,
      }),
    )
    .with('loadBalancers', ALB_ARN, anAlb(overrides.loadBalancer))
    .with('securityGroups', 'sg-alb', anAlbSecurityGroup());
  return withTargetsAndNetwork(builder, overrides, ALB_ARN);
}

/** Runs one check over every stage of the inventory, as the engine would with all checks on. */
export const resultsOf = (check: CheckDefinition, inventory: Inventory) =>
  runCheckGuarded(check, inventory, inventory.stages);

/** The single result of a check for a scenario, failing the test when there is not exactly one. */
export function onlyResult(
  check: Parameters<typeof resultsOf>[0],
  inventory: Inventory,
): import('../../lambda/domain/types').CheckResult {
  const results = resultsOf(check, inventory);
  expect(results).toHaveLength(1);
  return results[0] as import('../../lambda/domain/types').CheckResult;
}

/** An inbound security-group rule: tcp/80 from no source until the overrides name one. */
export function anIpPermission(overrides: Overrides<IpPermission> = {}): IpPermission {
  return withOverrides<IpPermission>(
    {
      protocol: 'tcp',
      fromPort: 80,
      toPort: 80,
      cidrs: [],
      ipv6Cidrs: [],
      sourceSecurityGroupIds: [],
      prefixListIds: [],
    },
    overrides,
  );
}

/** Subnets of a V2 VPC link, one per zone: it has a network interface in each. */
export const V2_LINK_SUBNETS: SubnetFacts[] = [
  { id: 'subnet-link-a', vpcId: VPC_ID, cidr: '10.0.21.0/24', availabilityZone: 'us-east-1a' },
  { id: 'subnet-link-b', vpcId: VPC_ID, cidr: '10.0.22.0/24', availabilityZone: 'us-east-1b' },
];

export const withV2LinkSubnets = (builder: InventoryBuilder): InventoryBuilder =>
  V2_LINK_SUBNETS.reduce((all, subnet) => all.with('subnets', subnet.id, subnet), builder);
