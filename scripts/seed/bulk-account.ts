/**
 * Bulk seeding for the benchmark: an account at the default quotas (hundreds of REST and HTTP API
 * stages with traffic) and a few failing HTTP API stages behind network load balancers with a zone
 * that has no target. Calls go out through a small pool, and CloudWatch series are written in
 * large PutMetricData batches, so seeding 1,200 stages stays well under the time the audit takes.
 */
import {
  CreateDeploymentCommand,
  CreateRestApiCommand,
  PutIntegrationCommand,
  PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import {
  CreateApiCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
  CreateVpcLinkCommand,
} from '@aws-sdk/client-apigatewayv2';
import { type MetricDatum, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeImagesCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { AwsClients } from '../../lambda/collect/clients';
import { chunk, mapBounded } from '../../lambda/collect/memo';
import type { ApiType, AuditWindow } from '../../lambda/domain/types';

export const STAGE_NAME = 'prod';
/** PutMetricData accepts up to 1,000 datums per call. */
const DATUMS_PER_CALL = 1000;

export interface BulkStage {
  apiType: ApiType;
  apiId: string;
  apiName: string;
  stage: string;
}

export interface BulkAccountSpec {
  restApis: number;
  httpApis: number;
  /** HTTP API stages that fail (about 30% 5xx in every period) behind `loadBalancers` NLBs. */
  failing: number;
  loadBalancers: number;
  /** Calls in flight while seeding. @default 8 */
  concurrency?: number;
}

export interface BulkAccount {
  healthy: BulkStage[];
  failing: BulkStage[];
  loadBalancerArns: string[];
  calls: number;
}

export interface PeriodTraffic {
  requests: number;
  errors5xx: number;
}

const required = <T>(value: T | undefined | null, what: string): T => {
  if (value === undefined || value === null) throw new Error(`the emulator returned no ${what}`);
  return value;
};

async function createRestStage(clients: AwsClients, name: string): Promise<BulkStage> {
  const api = await clients.apiGateway.send(new CreateRestApiCommand({ name }));
  const restApiId = required(api.id, 'REST API id');
  const resourceId = required(api.rootResourceId, 'root resource id');
  await clients.apiGateway.send(
    new PutMethodCommand({ restApiId, resourceId, httpMethod: 'GET', authorizationType: 'NONE' }),
  );
  await clients.apiGateway.send(
    new PutIntegrationCommand({ restApiId, resourceId, httpMethod: 'GET', type: 'MOCK' }),
  );
  await clients.apiGateway.send(new CreateDeploymentCommand({ restApiId, stageName: STAGE_NAME }));
  return { apiType: 'REST', apiId: restApiId, apiName: name, stage: STAGE_NAME };
}

async function createHttpStage(
  clients: AwsClients,
  name: string,
  integration?: { vpcLinkId: string; listenerArn: string },
): Promise<BulkStage> {
  const api = await clients.apiGatewayV2.send(new CreateApiCommand({ Name: name, ProtocolType: 'HTTP' }));
  const ApiId = required(api.ApiId, 'HTTP API id');
  if (integration) {
    const created = await clients.apiGatewayV2.send(
      new CreateIntegrationCommand({
        ApiId,
        IntegrationType: 'HTTP_PROXY',
        IntegrationMethod: 'ANY',
        ConnectionType: 'VPC_LINK',
        ConnectionId: integration.vpcLinkId,
        IntegrationUri: integration.listenerArn,
        PayloadFormatVersion: '1.0',
      }),
    );
    await clients.apiGatewayV2.send(
      new CreateRouteCommand({
        ApiId,
        RouteKey: 'ANY /{proxy+}',
        Target: `integrations/${required(created.IntegrationId, 'integration id')}`,
      }),
    );
  }
  await clients.apiGatewayV2.send(new CreateStageCommand({ ApiId, StageName: STAGE_NAME }));
  return { apiType: 'HTTP', apiId: ApiId, apiName: name, stage: STAGE_NAME };
}

/** Start of each period of the window (the audit reads `[start, end)` in `periodSeconds` steps). */
export function periodStarts(window: AuditWindow): Date[] {
  const start = Date.parse(window.start);
  const end = Date.parse(window.end);
  const step = window.periodSeconds * 1000;
  const starts: Date[] = [];
  for (let at = start; at < end; at += step) starts.push(new Date(at));
  return starts;
}

/** The stage-level `Count` and 5xx series API Gateway would publish for this traffic. */
export function stageTrafficDatums(
  stage: BulkStage,
  window: AuditWindow,
  traffic: (period: number) => PeriodTraffic,
  /** Only these periods get datums (a missing datum is no traffic). @default every period */
  periods?: readonly number[],
): MetricDatum[] {
  const dimensions =
    stage.apiType === 'REST'
      ? [
          { Name: 'ApiName', Value: stage.apiName },
          { Name: 'Stage', Value: stage.stage },
        ]
      : [
          { Name: 'ApiId', Value: stage.apiId },
          { Name: 'Stage', Value: stage.stage },
        ];
  const errorsMetric = stage.apiType === 'REST' ? '5XXError' : '5xx';
  return periodStarts(window).flatMap((periodStart, index) => {
    if (periods && !periods.includes(index)) return [];
    const { requests, errors5xx } = traffic(index);
    const Timestamp = new Date(periodStart.getTime() + 1000);
    return [
      { MetricName: 'Count', Dimensions: dimensions, Timestamp, Value: requests, Unit: 'Count' as const },
      {
        MetricName: errorsMetric,
        Dimensions: dimensions,
        Timestamp,
        Value: errors5xx,
        Unit: 'Count' as const,
      },
    ];
  });
}

async function putDatums(clients: AwsClients, datums: MetricDatum[], concurrency: number): Promise<void> {
  await mapBounded(chunk(datums, DATUMS_PER_CALL), concurrency, (MetricData) =>
    clients.cloudWatch.send(new PutMetricDataCommand({ Namespace: 'AWS/ApiGateway', MetricData })),
  );
}

/** Network load balancers whose targets all sit in the first of two zones (the second zone is empty). */
async function createOneZoneLoadBalancers(
  clients: AwsClients,
  count: number,
): Promise<{ loadBalancerArns: string[]; listenerArns: string[]; subnetIds: string[] }> {
  const vpc = await clients.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
  const VpcId = required(vpc.Vpc?.VpcId, 'VPC id');
  const subnetIds: string[] = [];
  for (const [index, zone] of ['us-east-1a', 'us-east-1b'].entries()) {
    const subnet = await clients.ec2.send(
      new CreateSubnetCommand({ VpcId, CidrBlock: `10.0.${index + 1}.0/24`, AvailabilityZone: zone }),
    );
    subnetIds.push(required(subnet.Subnet?.SubnetId, 'subnet id'));
  }
  const images = await clients.ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }));
  const ImageId = required(images.Images?.[0]?.ImageId, 'image id');
  const loadBalancerArns: string[] = [];
  const listenerArns: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const lb = await clients.elb.send(
      new CreateLoadBalancerCommand({ Name: `bench-nlb-${i}`, Type: 'network', Subnets: subnetIds }),
    );
    const LoadBalancerArn = required(lb.LoadBalancers?.[0]?.LoadBalancerArn, 'load balancer ARN');
    const tg = await clients.elb.send(
      new CreateTargetGroupCommand({
        Name: `bench-tg-${i}`,
        Protocol: 'TCP',
        Port: 8080,
        VpcId,
        TargetType: 'instance',
      }),
    );
    const TargetGroupArn = required(tg.TargetGroups?.[0]?.TargetGroupArn, 'target group ARN');
    const instances = await clients.ec2.send(
      new RunInstancesCommand({
        ImageId,
        MinCount: 1,
        MaxCount: 1,
        InstanceType: 't3.micro',
        SubnetId: subnetIds[0],
      }),
    );
    const Id = required(instances.Instances?.[0]?.InstanceId, 'instance id');
    await clients.elb.send(new RegisterTargetsCommand({ TargetGroupArn, Targets: [{ Id, Port: 8080 }] }));
    const listener = await clients.elb.send(
      new CreateListenerCommand({
        LoadBalancerArn,
        Protocol: 'TCP',
        Port: 80,
        DefaultActions: [{ Type: 'forward', TargetGroupArn }],
      }),
    );
    loadBalancerArns.push(LoadBalancerArn);
    listenerArns.push(required(listener.Listeners?.[0]?.ListenerArn, 'listener ARN'));
  }
  return { loadBalancerArns, listenerArns, subnetIds };
}

/**
 * Healthy stages get their traffic in one period only: the emulator's ListMetrics compares every
 * datum with every series already found (quadratic), and 28,800 datums took it minutes. A stage
 * with requests and no 5xx is healthy whichever periods the requests fall in.
 */
const HEALTHY_IN_ONE_PERIOD = (period: number): PeriodTraffic =>
  period === 0 ? { requests: 12_000, errors5xx: 0 } : { requests: 0, errors5xx: 0 };
const FAILING: PeriodTraffic = { requests: 1000, errors5xx: 300 };

/** Seeds the account the benchmark audits; `window` is the audit's window, where the traffic lands. */
export async function seedBulkAccount(
  clients: AwsClients,
  spec: BulkAccountSpec,
  window: AuditWindow,
): Promise<BulkAccount> {
  const concurrency = spec.concurrency ?? 8;
  const before = clients.stats.total();
  const failingCount = Math.min(spec.failing, spec.httpApis);
  const lbCount = failingCount > 0 ? Math.max(1, spec.loadBalancers) : 0;

  const restNames = Array.from({ length: spec.restApis }, (_, i) => `bench-rest-${i}`);
  const httpNames = Array.from({ length: spec.httpApis - failingCount }, (_, i) => `bench-http-${i}`);
  const healthy = [
    ...(await mapBounded(restNames, concurrency, (name) => createRestStage(clients, name))),
    ...(await mapBounded(httpNames, concurrency, (name) => createHttpStage(clients, name))),
  ];

  let failing: BulkStage[] = [];
  let loadBalancerArns: string[] = [];
  if (failingCount > 0) {
    const network = await createOneZoneLoadBalancers(clients, lbCount);
    loadBalancerArns = network.loadBalancerArns;
    const link = await clients.apiGatewayV2.send(
      new CreateVpcLinkCommand({ Name: 'bench-link', SubnetIds: network.subnetIds }),
    );
    const vpcLinkId = required(link.VpcLinkId, 'VPC link id');
    const failingNames = Array.from({ length: failingCount }, (_, i) => `bench-failing-${i}`);
    failing = await mapBounded(failingNames, concurrency, (name) => {
      const index = Number(name.split('-').at(-1));
      const listenerArn = required(network.listenerArns[index % lbCount], 'listener ARN');
      return createHttpStage(clients, name, { vpcLinkId, listenerArn });
    });
  }

  const datums = [
    ...healthy.flatMap((stage) => stageTrafficDatums(stage, window, HEALTHY_IN_ONE_PERIOD, [0])),
    ...failing.flatMap((stage) => stageTrafficDatums(stage, window, () => FAILING)),
  ];
  await putDatums(clients, datums, concurrency);
  return { healthy, failing, loadBalancerArns, calls: clients.stats.total() - before };
}
