/**
 * Builds an account in the local emulator from a declarative spec: network, instances, load
 * balancers, VPC links, REST and HTTP APIs with their stages, and the CloudWatch series the triage
 * and the checks read, timed inside the audit window that ends at `now`. Shared by the integration
 * tests, the demo and the benchmark.
 */
import {
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  CreateVpcLinkCommand as CreateRestVpcLinkCommand,
  GetResourcesCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import {
  CreateApiCommand,
  CreateVpcLinkCommand as CreateHttpVpcLinkCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { type MetricDatum, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateFlowLogsCommand,
  CreateNetworkInterfaceCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  RunInstancesCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  ModifyLoadBalancerAttributesCommand,
  ModifyTargetGroupAttributesCommand,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { AwsClients } from '../../lambda/collect/clients';
import { loadBalancerMetricDimension } from '../../lambda/collect/load-balancers';
import { targetGroupMetricDimension } from '../../lambda/collect/path-metrics';
import { ELB_NAMESPACES } from '../../lambda/domain/load-balancer-series';
import type { AuditWindow } from '../../lambda/domain/types';

/** Per-period values, oldest first; the last value falls in the window's last period. */
export interface TrafficSpec {
  requests: number[];
  errors5xx: number[];
  /** Maximum IntegrationLatency (ms) reported in every period with requests. */
  integrationLatencyMaxMs?: number;
  /** Maximum IntegrationLatency (ms) per period, instead of one value for every period. */
  integrationLatencyByPeriodMs?: number[];
}

/** A load balancer's own series (its namespace by type): of a target group (and zone) when named. */
export interface LoadBalancerSeriesSpec {
  metricName: string;
  /** A target group name of the spec. */
  targetGroup?: string;
  zone?: string;
  values: number[];
}

export interface AccessLogSpec {
  logGroup: string;
  format: string;
}

export interface IngressSpec {
  port: number;
  toPort?: number;
  /** @default 'tcp' */
  protocol?: string;
  cidr?: string;
  /** Name of another security group of the spec. */
  fromGroup?: string;
}

export interface AccountSpec {
  /** @default 300 */
  periodSeconds?: number;
  vpcCidr: string;
  subnets: { name: string; cidr: string; zone: string }[];
  securityGroups: { name: string; ingress: IngressSpec[] }[];
  instances: { name: string; subnet: string; securityGroups: string[]; stopped?: boolean }[];
  targetGroups: {
    name: string;
    protocol: 'TCP' | 'HTTP';
    port: number;
    /** Instance names. */
    targets: string[];
    crossZone?: 'true' | 'false' | 'use_load_balancer_configuration';
    healthCheck?: { protocol: 'TCP' | 'HTTP'; port?: string };
    /** Other target group attributes, e.g. `proxy_protocol_v2.enabled`. */
    attributes?: Record<string, string>;
  }[];
  loadBalancers: {
    name: string;
    type: 'network' | 'application';
    subnets: string[];
    securityGroups?: string[];
    /** @default 'internal' */
    scheme?: 'internal' | 'internet-facing';
    crossZone?: boolean;
    listeners: {
      port: number;
      protocol: 'TCP' | 'HTTP' | 'HTTPS' | 'TLS';
      targetGroup: string;
      /** HTTPS and TLS: the ACM certificate (the emulator needs one in its ACM). */
      certificateArn?: string;
    }[];
    /** NLB `TCP_Target_Reset_Count` per period. */
    resets?: number[];
    /** Other series of the load balancer and its target groups, per period. */
    series?: LoadBalancerSeriesSpec[];
  }[];
  /** A VPC-level flow log (ACTIVE) when true. */
  flowLogs: boolean;
  httpApis: {
    name: string;
    stage: string;
    vpcLink: { name: string; subnets: string[]; securityGroups?: string[] };
    integrations: { loadBalancer: string; port: number; timeoutMs?: number }[];
    accessLog?: AccessLogSpec;
    traffic: TrafficSpec;
  }[];
  restApis: {
    name: string;
    stage: string;
    /** Load balancer names the REST VPC link targets. */
    vpcLinkTargets: string[];
    methods: {
      path: string;
      method: string;
      loadBalancer: string;
      port: number;
      timeoutMs?: number;
      /**
       * Through the API's VPC link (the emulator drops the link's id: the path is then found by the
       * load balancer's DNS name only). @default true
       */
      viaVpcLink?: boolean;
    }[];
    executionLogging?: { level: 'INFO' | 'ERROR'; dataTrace: boolean };
    accessLog?: AccessLogSpec;
    traffic: TrafficSpec;
  }[];
}

export interface SeededLoadBalancer {
  arn: string;
  dnsName: string;
  type: 'network' | 'application';
}

export interface SeededAccount {
  window: AuditWindow;
  vpcId: string;
  subnets: Record<string, string>;
  securityGroups: Record<string, string>;
  instances: Record<string, string>;
  targetGroups: Record<string, string>;
  loadBalancers: Record<string, SeededLoadBalancer>;
  /** Keyed `<load balancer name>:<port>`. */
  listeners: Record<string, string>;
  vpcLinks: Record<string, string>;
  httpApis: Record<string, string>;
  restApis: Record<string, string>;
}

/** The emulator does not validate AMIs (listing its catalogue costs seconds): any well-formed id runs. */
const EMULATOR_IMAGE_ID = 'ami-0123456789abcdef0';

const must = <T>(value: T | undefined | null, what: string): T => {
  if (value === undefined || value === null) throw new Error(`seed: ${what} is missing`);
  return value;
};

/** The audit window ends at the last full period before `now` (as `auditWindow` in lambda/audit.ts). */
export function seedWindow(now: Date, periods: number, periodSeconds: number): AuditWindow {
  const periodMs = periodSeconds * 1000;
  const end = Math.floor(now.getTime() / periodMs) * periodMs;
  return {
    start: new Date(end - periods * periodMs).toISOString(),
    end: new Date(end).toISOString(),
    periodSeconds,
  };
}

/** Mid-period timestamps of a series that ends in the window's last period. */
function periodTimestamps(window: AuditWindow, count: number): Date[] {
  const periodMs = window.periodSeconds * 1000;
  const end = Date.parse(window.end);
  return Array.from({ length: count }, (_, i) => new Date(end - (count - i) * periodMs + periodMs / 2));
}

function seriesData(
  window: AuditWindow,
  metricName: string,
  dimensions: Record<string, string>,
  values: number[],
): MetricDatum[] {
  const timestamps = periodTimestamps(window, values.length);
  return values.map((value, i) => ({
    MetricName: metricName,
    Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })),
    Timestamp: timestamps[i],
    Value: value,
    Unit: metricName.includes('Latency') ? 'Milliseconds' : 'Count',
  }));
}

async function putMetrics(clients: AwsClients, namespace: string, data: MetricDatum[]): Promise<void> {
  for (let i = 0; i < data.length; i += 500) {
    await clients.cloudWatch.send(
      new PutMetricDataCommand({ Namespace: namespace, MetricData: data.slice(i, i + 500) }),
    );
  }
}

function apiTrafficData(
  window: AuditWindow,
  dimensions: Record<string, string>,
  errorsMetric: string,
  traffic: TrafficSpec,
): MetricDatum[] {
  const latency = traffic.integrationLatencyMaxMs;
  const byPeriod = traffic.integrationLatencyByPeriodMs;
  return [
    ...seriesData(window, 'Count', dimensions, traffic.requests),
    ...seriesData(window, errorsMetric, dimensions, traffic.errors5xx),
    ...(byPeriod ? seriesData(window, 'IntegrationLatency', dimensions, byPeriod) : []),
    ...(latency === undefined
      ? []
      : seriesData(
          window,
          'IntegrationLatency',
          dimensions,
          traffic.requests.filter((requests) => requests > 0).map(() => latency),
        ).map((datum, i) => ({
          ...datum,
          Timestamp: periodTimestamps(window, traffic.requests.length).filter(
            (_, j) => (traffic.requests[j] ?? 0) > 0,
          )[i],
        }))),
  ];
}

async function seedNetwork(clients: AwsClients, spec: AccountSpec, seeded: SeededAccount): Promise<void> {
  const vpc = await clients.ec2.send(new CreateVpcCommand({ CidrBlock: spec.vpcCidr }));
  seeded.vpcId = must(vpc.Vpc?.VpcId, 'VPC id');
  for (const subnet of spec.subnets) {
    const created = await clients.ec2.send(
      new CreateSubnetCommand({ VpcId: seeded.vpcId, CidrBlock: subnet.cidr, AvailabilityZone: subnet.zone }),
    );
    seeded.subnets[subnet.name] = must(created.Subnet?.SubnetId, `subnet ${subnet.name}`);
  }
  for (const group of spec.securityGroups) {
    const created = await clients.ec2.send(
      new CreateSecurityGroupCommand({ GroupName: group.name, Description: group.name, VpcId: seeded.vpcId }),
    );
    seeded.securityGroups[group.name] = must(created.GroupId, `security group ${group.name}`);
  }
  for (const group of spec.securityGroups) {
    if (group.ingress.length === 0) continue;
    await clients.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: seeded.securityGroups[group.name],
        IpPermissions: group.ingress.map((rule) => ({
          IpProtocol: rule.protocol ?? 'tcp',
          FromPort: rule.port,
          ToPort: rule.toPort ?? rule.port,
          ...(rule.cidr ? { IpRanges: [{ CidrIp: rule.cidr }] } : {}),
          ...(rule.fromGroup
            ? { UserIdGroupPairs: [{ GroupId: must(seeded.securityGroups[rule.fromGroup], rule.fromGroup) }] }
            : {}),
        })),
      }),
    );
  }
  if (spec.instances.length > 0) {
    for (const instance of spec.instances) {
      const run = await clients.ec2.send(
        new RunInstancesCommand({
          ImageId: EMULATOR_IMAGE_ID,
          InstanceType: 't3.micro',
          MinCount: 1,
          MaxCount: 1,
          SubnetId: must(seeded.subnets[instance.subnet], instance.subnet),
          SecurityGroupIds: instance.securityGroups.map((name) => must(seeded.securityGroups[name], name)),
          TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: instance.name }] }],
        }),
      );
      seeded.instances[instance.name] = must(run.Instances?.[0]?.InstanceId, `instance ${instance.name}`);
    }
  }
  if (spec.flowLogs) {
    await clients.ec2.send(
      new CreateFlowLogsCommand({
        ResourceType: 'VPC',
        ResourceIds: [seeded.vpcId],
        TrafficType: 'ALL',
        LogDestinationType: 'cloud-watch-logs',
        LogGroupName: 'vpc-flow-logs',
        DeliverLogsPermissionArn: 'arn:aws:iam::123456789012:role/flow-logs',
      }),
    );
  }
}

async function seedLoadBalancers(
  clients: AwsClients,
  spec: AccountSpec,
  seeded: SeededAccount,
): Promise<void> {
  for (const group of spec.targetGroups) {
    const created = await clients.elb.send(
      new CreateTargetGroupCommand({
        Name: group.name,
        Protocol: group.protocol,
        Port: group.port,
        VpcId: seeded.vpcId,
        TargetType: 'instance',
        ...(group.healthCheck
          ? {
              HealthCheckProtocol: group.healthCheck.protocol,
              ...(group.healthCheck.port ? { HealthCheckPort: group.healthCheck.port } : {}),
            }
          : {}),
      }),
    );
    const arn = must(created.TargetGroups?.[0]?.TargetGroupArn, `target group ${group.name}`);
    seeded.targetGroups[group.name] = arn;
    if (group.targets.length > 0) {
      await clients.elb.send(
        new RegisterTargetsCommand({
          TargetGroupArn: arn,
          Targets: group.targets.map((name) => ({
            Id: must(seeded.instances[name], name),
            Port: group.port,
          })),
        }),
      );
    }
    const attributes = {
      ...(group.crossZone ? { 'load_balancing.cross_zone.enabled': group.crossZone } : {}),
      ...group.attributes,
    };
    if (Object.keys(attributes).length > 0) {
      await clients.elb.send(
        new ModifyTargetGroupAttributesCommand({
          TargetGroupArn: arn,
          Attributes: Object.entries(attributes).map(([Key, Value]) => ({ Key, Value })),
        }),
      );
    }
  }
  for (const lb of spec.loadBalancers) {
    const created = await clients.elb.send(
      new CreateLoadBalancerCommand({
        Name: lb.name,
        Type: lb.type,
        Scheme: lb.scheme ?? 'internal',
        Subnets: lb.subnets.map((name) => must(seeded.subnets[name], name)),
        ...(lb.securityGroups
          ? { SecurityGroups: lb.securityGroups.map((name) => must(seeded.securityGroups[name], name)) }
          : {}),
      }),
    );
    const description = must(created.LoadBalancers?.[0], `load balancer ${lb.name}`);
    const seededLb: SeededLoadBalancer = {
      arn: must(description.LoadBalancerArn, 'load balancer ARN'),
      dnsName: must(description.DNSName, 'load balancer DNS name'),
      type: lb.type,
    };
    seeded.loadBalancers[lb.name] = seededLb;
    if (lb.crossZone !== undefined) {
      await clients.elb.send(
        new ModifyLoadBalancerAttributesCommand({
          LoadBalancerArn: seededLb.arn,
          Attributes: [{ Key: 'load_balancing.cross_zone.enabled', Value: String(lb.crossZone) }],
        }),
      );
    }
    for (const listener of lb.listeners) {
      const createdListener = await clients.elb.send(
        new CreateListenerCommand({
          LoadBalancerArn: seededLb.arn,
          Protocol: listener.protocol,
          Port: listener.port,
          ...(listener.certificateArn ? { Certificates: [{ CertificateArn: listener.certificateArn }] } : {}),
          DefaultActions: [
            {
              Type: 'forward',
              TargetGroupArn: must(seeded.targetGroups[listener.targetGroup], listener.targetGroup),
            },
          ],
        }),
      );
      seeded.listeners[`${lb.name}:${listener.port}`] = must(
        createdListener.Listeners?.[0]?.ListenerArn,
        `listener ${lb.name}:${listener.port}`,
      );
    }
    // The emulator creates no interfaces for load balancers: make the ones AWS would.
    const dimension = loadBalancerMetricDimension(seededLb);
    for (const subnet of lb.subnets) {
      await clients.ec2.send(
        new CreateNetworkInterfaceCommand({
          SubnetId: seeded.subnets[subnet],
          Description: `ELB ${dimension}`,
        }),
      );
    }
  }
}

async function seedApis(clients: AwsClients, spec: AccountSpec, seeded: SeededAccount): Promise<void> {
  const { window } = seeded;
  const apiData: MetricDatum[] = [];
  for (const api of spec.httpApis) {
    const link = await clients.apiGatewayV2.send(
      new CreateHttpVpcLinkCommand({
        Name: api.vpcLink.name,
        SubnetIds: api.vpcLink.subnets.map((name) => must(seeded.subnets[name], name)),
        SecurityGroupIds: (api.vpcLink.securityGroups ?? []).map((name) =>
          must(seeded.securityGroups[name], name),
        ),
      }),
    );
    seeded.vpcLinks[api.vpcLink.name] = must(link.VpcLinkId, `VPC link ${api.vpcLink.name}`);
    const created = await clients.apiGatewayV2.send(
      new CreateApiCommand({ Name: api.name, ProtocolType: 'HTTP' }),
    );
    const apiId = must(created.ApiId, `HTTP API ${api.name}`);
    seeded.httpApis[api.name] = apiId;
    for (const [index, integration] of api.integrations.entries()) {
      const createdIntegration = await clients.apiGatewayV2.send(
        new CreateIntegrationCommand({
          ApiId: apiId,
          IntegrationType: 'HTTP_PROXY',
          IntegrationMethod: 'ANY',
          ConnectionType: 'VPC_LINK',
          ConnectionId: link.VpcLinkId,
          IntegrationUri: must(
            seeded.listeners[`${integration.loadBalancer}:${integration.port}`],
            `listener ${integration.loadBalancer}:${integration.port}`,
          ),
          PayloadFormatVersion: '1.0',
          ...(integration.timeoutMs ? { TimeoutInMillis: integration.timeoutMs } : {}),
        }),
      );
      await clients.apiGatewayV2.send(
        new CreateRouteCommand({
          ApiId: apiId,
          RouteKey: index === 0 ? 'ANY /{proxy+}' : `ANY /route${index}`,
          Target: `integrations/${createdIntegration.IntegrationId}`,
        }),
      );
    }
    await clients.apiGatewayV2.send(
      new CreateStageCommand({
        ApiId: apiId,
        StageName: api.stage,
        AutoDeploy: true,
        ...(api.accessLog
          ? {
              AccessLogSettings: {
                DestinationArn: `arn:aws:logs:${clients.region}:123456789012:log-group:${api.accessLog.logGroup}`,
                Format: api.accessLog.format,
              },
            }
          : {}),
      }),
    );
    apiData.push(...apiTrafficData(window, { ApiId: apiId, Stage: api.stage }, '5xx', api.traffic));
  }
  for (const api of spec.restApis) {
    const link = await clients.apiGateway.send(
      new CreateRestVpcLinkCommand({
        name: `${api.name}-link`,
        targetArns: api.vpcLinkTargets.map((name) => must(seeded.loadBalancers[name], name).arn),
      }),
    );
    seeded.vpcLinks[`${api.name}-link`] = must(link.id, `VPC link of ${api.name}`);
    const created = await clients.apiGateway.send(new CreateRestApiCommand({ name: api.name }));
    const apiId = must(created.id, `REST API ${api.name}`);
    seeded.restApis[api.name] = apiId;
    const resources = await clients.apiGateway.send(new GetResourcesCommand({ restApiId: apiId }));
    const rootId = must(resources.items?.find((resource) => resource.path === '/')?.id, 'root resource');
    for (const method of api.methods) {
      const resource = await clients.apiGateway.send(
        new CreateResourceCommand({
          restApiId: apiId,
          parentId: rootId,
          pathPart: method.path.replace(/^\//, ''),
        }),
      );
      const resourceId = must(resource.id, `resource ${method.path}`);
      await clients.apiGateway.send(
        new PutMethodCommand({
          restApiId: apiId,
          resourceId,
          httpMethod: method.method,
          authorizationType: 'NONE',
        }),
      );
      const lb = must(seeded.loadBalancers[method.loadBalancer], method.loadBalancer);
      await clients.apiGateway.send(
        new PutIntegrationCommand({
          restApiId: apiId,
          resourceId,
          httpMethod: method.method,
          type: 'HTTP_PROXY',
          integrationHttpMethod: method.method,
          uri: `http://${lb.dnsName}:${method.port}${method.path}`,
          ...(method.viaVpcLink === false
            ? {}
            : { connectionType: 'VPC_LINK' as const, connectionId: link.id }),
          ...(method.timeoutMs ? { timeoutInMillis: method.timeoutMs } : {}),
        }),
      );
    }
    await clients.apiGateway.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: api.stage }));
    const patches = [
      ...(api.executionLogging
        ? [
            { op: 'replace' as const, path: '/*/*/logging/loglevel', value: api.executionLogging.level },
            {
              op: 'replace' as const,
              path: '/*/*/logging/dataTrace',
              value: String(api.executionLogging.dataTrace),
            },
          ]
        : []),
      ...(api.accessLog
        ? [
            {
              op: 'replace' as const,
              path: '/accessLogSettings/destinationArn',
              value: `arn:aws:logs:${clients.region}:123456789012:log-group:${api.accessLog.logGroup}`,
            },
            { op: 'replace' as const, path: '/accessLogSettings/format', value: api.accessLog.format },
          ]
        : []),
    ];
    if (patches.length > 0) {
      await clients.apiGateway.send(
        new UpdateStageCommand({ restApiId: apiId, stageName: api.stage, patchOperations: patches }),
      );
    }
    apiData.push(...apiTrafficData(window, { ApiName: api.name, Stage: api.stage }, '5XXError', api.traffic));
  }
  await putMetrics(clients, 'AWS/ApiGateway', apiData);
  const resetData = spec.loadBalancers.flatMap((lb) => {
    const seededLb = seeded.loadBalancers[lb.name];
    return lb.resets && seededLb
      ? seriesData(
          window,
          'TCP_Target_Reset_Count',
          { LoadBalancer: loadBalancerMetricDimension(seededLb) },
          lb.resets,
        )
      : [];
  });
  if (resetData.length > 0) await putMetrics(clients, 'AWS/NetworkELB', resetData);
  for (const lb of spec.loadBalancers) {
    const seededLb = must(seeded.loadBalancers[lb.name], lb.name);
    const data = (lb.series ?? []).flatMap((series) =>
      seriesData(
        window,
        series.metricName,
        {
          LoadBalancer: loadBalancerMetricDimension(seededLb),
          ...(series.targetGroup
            ? {
                TargetGroup: targetGroupMetricDimension(
                  must(seeded.targetGroups[series.targetGroup], series.targetGroup),
                ),
              }
            : {}),
          ...(series.zone ? { AvailabilityZone: series.zone } : {}),
        },
        series.values,
      ),
    );
    if (data.length > 0) await putMetrics(clients, ELB_NAMESPACES[lb.type], data);
  }
}

/** The number of periods the spec's longest series spans (the window the seeded data fills). */
function seriesLength(spec: AccountSpec): number {
  return Math.max(
    1,
    ...spec.httpApis.map((api) => api.traffic.requests.length),
    ...spec.restApis.map((api) => api.traffic.requests.length),
    ...spec.loadBalancers.map((lb) => lb.resets?.length ?? 0),
    ...spec.loadBalancers.flatMap((lb) => (lb.series ?? []).map((series) => series.values.length)),
  );
}

export async function seedAccount(clients: AwsClients, spec: AccountSpec, now: Date): Promise<SeededAccount> {
  const seeded: SeededAccount = {
    window: seedWindow(now, seriesLength(spec), spec.periodSeconds ?? 300),
    vpcId: '',
    subnets: {},
    securityGroups: {},
    instances: {},
    targetGroups: {},
    loadBalancers: {},
    listeners: {},
    vpcLinks: {},
    httpApis: {},
    restApis: {},
  };
  await seedNetwork(clients, spec, seeded);
  await seedLoadBalancers(clients, spec, seeded);
  // Stopped only once registered: a target group refuses instances that are not running.
  const stopped = spec.instances.filter((i) => i.stopped).map((i) => seeded.instances[i.name] as string);
  if (stopped.length > 0) await clients.ec2.send(new StopInstancesCommand({ InstanceIds: stopped }));
  await seedApis(clients, spec, seeded);
  return seeded;
}
