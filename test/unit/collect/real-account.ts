/**
 * A real-shaped account replayed through the SDK clients, for what the emulator cannot express
 * (REST `connectionId` and `integrationTarget`, V2 links on REST APIs, NLB ARNs with `net/` and
 * NLB DNS names). Every response has the shape the AWS API reference gives for the call, named
 * beside it; ids and ARNs follow the forms of the references' examples.
 */
import {
  GetResourcesCommand,
  GetStageCommand,
  GetVpcLinksCommand,
  type MethodSetting,
} from '@aws-sdk/client-api-gateway';
import {
  GetStageCommand as GetHttpStageCommand,
  GetIntegrationsCommand,
  GetRoutesCommand,
  GetVpcLinksCommand as GetV2VpcLinksCommand,
  type Integration as HttpIntegration,
} from '@aws-sdk/client-apigatewayv2';
import {
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  type DescribeNetworkInterfacesCommandInput,
} from '@aws-sdk/client-ec2';
import {
  type Action,
  DescribeListenersCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  type Listener,
  type LoadBalancer,
  type Rule,
  type TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { collectInventory } from '../../../lambda/collect/inventory';
import type { ClassifiedStage, Inventory } from '../../../lambda/domain/types';
import { evaluateChecks } from '../../../lambda/engine/evaluate';
import { type recordedClients, WINDOW } from './recorded-clients';

export const ACCOUNT = '111122223333';
const ELB = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}`;
export const arns = {
  nlb: `${ELB}:loadbalancer/net/orders-nlb/50dc6c495c0c9188`,
  nlbListener80: `${ELB}:listener/net/orders-nlb/50dc6c495c0c9188/f2f7dc8efc522ab2`,
  alb: `${ELB}:loadbalancer/app/shared-alb/2e2a3ab2f5e2b1c5`,
  albListener443: `${ELB}:listener/app/shared-alb/2e2a3ab2f5e2b1c5/6d0ecf831eec9f09`,
  albListener8443: `${ELB}:listener/app/shared-alb/2e2a3ab2f5e2b1c5/9683b2d02a6cabee`,
  ordersTg: `${ELB}:targetgroup/orders-tg/73e2d6bc24d8a067`,
  ordersV2Tg: `${ELB}:targetgroup/orders-v2-tg/5d1d2e3c4b5a6978`,
  billingTg: `${ELB}:targetgroup/billing-tg/0a1b2c3d4e5f6a7b`,
  nlbToAlbTg: `${ELB}:targetgroup/front-to-alb/8c7b6a5d4e3f2a1b`,
  /** The default certificate of shared-alb's HTTPS listeners (an ACM ARN). */
  albCertificate: `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/12345678-1234-1234-1234-123456789012`,
};
export const dns = {
  /** NLBs: `name-id.elb.REGION.amazonaws.com` (Elastic Load Balancing API reference, DescribeLoadBalancers example). */
  nlb: 'orders-nlb-50dc6c495c0c9188.elb.us-east-1.amazonaws.com',
  /** Internal ALBs: `internal-name-id.REGION.elb.amazonaws.com`. */
  alb: 'internal-shared-alb-1234567890.us-east-1.elb.amazonaws.com',
};

export const stage = (overrides: Partial<ClassifiedStage>): ClassifiedStage => ({
  region: 'us-east-1',
  apiId: 'a1b2c3d4e5',
  apiName: 'orders',
  apiType: 'REST',
  stage: 'prod',
  requests: 6000,
  errors5xx: 1800,
  errorRatio: 0.3,
  periodsWithErrors: 12,
  periods: 12,
  classification: 'high-frequency',
  ...overrides,
});

type Recorded = ReturnType<typeof recordedClients>;

/** Target group as DescribeTargetGroups returns it (ELB API reference, TargetGroup). */
const targetGroup = (
  arn: string,
  name: string,
  port: number,
  protocol: TargetGroup['Protocol'],
  TargetType: TargetGroup['TargetType'],
  lb: string,
): TargetGroup => ({
  TargetGroupArn: arn,
  TargetGroupName: name,
  Protocol: protocol,
  Port: port,
  VpcId: 'vpc-3ac0fb5f',
  TargetType,
  LoadBalancerArns: [lb],
});

/** A listener as DescribeListeners returns it (ELB API reference, Listener). */
const forward = (TargetGroupArn: string): Action => ({ Type: 'forward', TargetGroupArn });

const listener = (
  arn: string,
  lb: string,
  Port: number,
  Protocol: Listener['Protocol'],
  targetGroupArn: string,
): Listener => ({
  ListenerArn: arn,
  LoadBalancerArn: lb,
  Port,
  Protocol,
  // HTTPS and TLS listeners: `Certificates` holds the default certificate only.
  ...(Protocol === 'HTTPS' || Protocol === 'TLS'
    ? { Certificates: [{ CertificateArn: arns.albCertificate }] }
    : {}),
  DefaultActions: [
    {
      Type: 'forward',
      TargetGroupArn: targetGroupArn,
      ForwardConfig: { TargetGroups: [{ TargetGroupArn: targetGroupArn, Weight: 1 }] },
    },
  ],
});

/** The default rule DescribeRules lists for every listener (ELB API reference, Rule). */
const defaultRule = (listenerArn: string, targetGroupArn: string): Rule => ({
  RuleArn: `${listenerArn.replace(':listener/', ':listener-rule/')}/9683b2d02a6cabee`,
  Priority: 'default',
  IsDefault: true,
  Conditions: [],
  Actions: [forward(targetGroupArn)],
});

const healthy = (Id: string, Port: number, AvailabilityZone?: string) => ({
  Target: { Id, Port, ...(AvailabilityZone ? { AvailabilityZone } : {}) },
  HealthCheckPort: String(Port),
  TargetHealth: { State: 'healthy' as const },
});

/** An instance as DescribeInstances returns it (EC2 API reference, Instance). */
const instance = (InstanceId: string, zone: string, subnet: string, ip: string) => ({
  InstanceId,
  State: { Code: 16, Name: 'running' as const },
  SubnetId: subnet,
  VpcId: 'vpc-3ac0fb5f',
  Placement: { AvailabilityZone: zone },
  PrivateIpAddress: ip,
  SecurityGroups: [{ GroupId: 'sg-0a1b2c3d', GroupName: 'orders' }],
});

/** The internal NLB `orders-nlb` in two zones of vpc-3ac0fb5f, as DescribeLoadBalancers returns it (ELB API reference, LoadBalancer); the other load balancers here share its scheme, VPC and zones. */
export const ordersNlb = (dnsName = dns.nlb): LoadBalancer => ({
  LoadBalancerArn: arns.nlb,
  DNSName: dnsName,
  LoadBalancerName: 'orders-nlb',
  Scheme: 'internal',
  VpcId: 'vpc-3ac0fb5f',
  State: { Code: 'active' },
  Type: 'network',
  AvailabilityZones: [
    { ZoneName: 'us-east-1a', SubnetId: 'subnet-8360a9e7' },
    { ZoneName: 'us-east-1b', SubnetId: 'subnet-b7d581c0' },
  ],
  IpAddressType: 'ipv4',
});

/**
 * The internal NLB `orders-nlb` in two zones, TCP:80 -> orders-tg with one healthy instance per zone.
 * `extra` adds fields of DescribeLoadBalancers' LoadBalancer (e.g. `SecurityGroups`).
 */
export function recordOrdersNlb(
  { mocks }: Recorded,
  dnsName = dns.nlb,
  extra: Partial<LoadBalancer> = {},
): void {
  mocks.elb.on(DescribeLoadBalancersCommand, { LoadBalancerArns: [arns.nlb] }).resolves({
    LoadBalancers: [{ ...ordersNlb(dnsName), ...extra }],
  });
  mocks.elb.on(DescribeLoadBalancerAttributesCommand, { LoadBalancerArn: arns.nlb }).resolves({
    Attributes: [{ Key: 'load_balancing.cross_zone.enabled', Value: 'false' }],
  });
  recordTcpForward(
    { mocks },
    {
      nlb: arns.nlb,
      listener: arns.nlbListener80,
      targetGroup: arns.ordersTg,
      name: 'orders-tg',
      port: 8080,
    },
  );
  mocks.elb.on(DescribeTargetHealthCommand, { TargetGroupArn: arns.ordersTg }).resolves({
    TargetHealthDescriptions: [healthy('i-0f76fade435676abd', 8080), healthy('i-0598c7d356eba48d7', 8080)],
  });
  mocks.ec2.on(DescribeInstancesCommand).resolves({
    Reservations: [
      {
        Instances: [
          instance('i-0f76fade435676abd', 'us-east-1a', 'subnet-8360a9e7', '10.0.1.10'),
          instance('i-0598c7d356eba48d7', 'us-east-1b', 'subnet-b7d581c0', '10.0.2.10'),
        ],
      },
    ],
  });
}

/** An NLB's TCP:80 listener whose default rule forwards to one instance target group on `port`. */
export function recordTcpForward(
  { mocks }: Pick<Recorded, 'mocks'>,
  to: { nlb: string; listener: string; targetGroup: string; name: string; port: number },
): void {
  mocks.elb.on(DescribeListenersCommand, { LoadBalancerArn: to.nlb }).resolves({
    Listeners: [listener(to.listener, to.nlb, 80, 'TCP', to.targetGroup)],
  });
  mocks.elb.on(DescribeRulesCommand, { ListenerArn: to.listener }).resolves({
    Rules: [defaultRule(to.listener, to.targetGroup)],
  });
  mocks.elb.on(DescribeTargetGroupsCommand, { LoadBalancerArn: to.nlb }).resolves({
    TargetGroups: [targetGroup(to.targetGroup, to.name, to.port, 'TCP', 'instance', to.nlb)],
  });
  mocks.elb.on(DescribeTargetGroupAttributesCommand, { TargetGroupArn: to.targetGroup }).resolves({
    Attributes: [{ Key: 'load_balancing.cross_zone.enabled', Value: 'use_load_balancer_configuration' }],
  });
}

/**
 * The internal ALB `shared-alb`, shared by two services: HTTPS:443 -> orders-tg (rule `/v2/*` ->
 * orders-v2-tg), HTTPS:8443 -> billing-tg, whose only target sits in us-east-1a while the ALB is
 * enabled in two zones. IP targets carry their zone (DescribeTargetHealth, TargetDescription).
 */
export function recordSharedAlb({ mocks }: Recorded): void {
  mocks.elb.on(DescribeLoadBalancersCommand, { LoadBalancerArns: [arns.alb] }).resolves({
    LoadBalancers: [
      {
        ...ordersNlb(),
        LoadBalancerArn: arns.alb,
        DNSName: dns.alb,
        LoadBalancerName: 'shared-alb',
        Type: 'application',
        SecurityGroups: ['sg-5943793c'],
      },
    ],
  });
  mocks.elb.on(DescribeLoadBalancerAttributesCommand, { LoadBalancerArn: arns.alb }).resolves({
    Attributes: [{ Key: 'load_balancing.cross_zone.enabled', Value: 'true' }],
  });
  mocks.elb.on(DescribeListenersCommand, { LoadBalancerArn: arns.alb }).resolves({
    Listeners: [
      listener(arns.albListener443, arns.alb, 443, 'HTTPS', arns.ordersTg),
      listener(arns.albListener8443, arns.alb, 8443, 'HTTPS', arns.billingTg),
    ],
  });
  mocks.elb.on(DescribeRulesCommand, { ListenerArn: arns.albListener443 }).resolves({
    Rules: [
      {
        RuleArn: `${arns.albListener443.replace(':listener/', ':listener-rule/')}/1a2b3c4d5e6f7a8b`,
        Priority: '10',
        IsDefault: false,
        Conditions: [{ Field: 'path-pattern', Values: ['/v2/*'] }],
        Actions: [forward(arns.ordersV2Tg)],
      },
      defaultRule(arns.albListener443, arns.ordersTg),
    ],
  });
  mocks.elb.on(DescribeRulesCommand, { ListenerArn: arns.albListener8443 }).resolves({
    Rules: [defaultRule(arns.albListener8443, arns.billingTg)],
  });
  mocks.elb.on(DescribeTargetGroupsCommand, { LoadBalancerArn: arns.alb }).resolves({
    TargetGroups: [
      targetGroup(arns.ordersTg, 'orders-tg', 8080, 'HTTP', 'ip', arns.alb),
      targetGroup(arns.ordersV2Tg, 'orders-v2-tg', 8080, 'HTTP', 'ip', arns.alb),
      targetGroup(arns.billingTg, 'billing-tg', 9000, 'HTTP', 'ip', arns.alb),
    ],
  });
  for (const arn of [arns.ordersTg, arns.ordersV2Tg]) {
    mocks.elb.on(DescribeTargetHealthCommand, { TargetGroupArn: arn }).resolves({
      TargetHealthDescriptions: [
        healthy('10.0.1.20', 8080, 'us-east-1a'),
        healthy('10.0.2.20', 8080, 'us-east-1b'),
      ],
    });
  }
  mocks.elb.on(DescribeTargetHealthCommand, { TargetGroupArn: arns.billingTg }).resolves({
    TargetHealthDescriptions: [healthy('10.0.1.30', 9000, 'us-east-1a')],
  });
  // The tasks behind the ip targets: found by address (the load balancers' own interfaces by description: none recorded).
  const tasks = [
    taskInterface('eni-0a1b2c3d4e5f60001', '10.0.1.20', 'us-east-1a', 'subnet-8360a9e7'),
    taskInterface('eni-0a1b2c3d4e5f60002', '10.0.2.20', 'us-east-1b', 'subnet-b7d581c0'),
    taskInterface('eni-0a1b2c3d4e5f60003', '10.0.1.30', 'us-east-1a', 'subnet-8360a9e7'),
  ];
  mocks.ec2.on(DescribeNetworkInterfacesCommand).callsFake((input: DescribeNetworkInterfacesCommandInput) => {
    const byAddress = input.Filters?.find((filter) => filter.Name === 'addresses.private-ip-address');
    return {
      NetworkInterfaces: byAddress
        ? tasks.filter((eni) => byAddress.Values?.includes(eni.PrivateIpAddress))
        : [],
    };
  });
}

/** An awsvpc task's interface as DescribeNetworkInterfaces returns it (EC2 API reference, NetworkInterface). */
const taskInterface = (NetworkInterfaceId: string, ip: string, zone: string, subnet: string) => ({
  NetworkInterfaceId,
  AvailabilityZone: zone,
  Groups: [{ GroupId: 'sg-0e1f2a3b', GroupName: 'orders-tasks' }],
  PrivateIpAddress: ip,
  PrivateIpAddresses: [{ Primary: true, PrivateIpAddress: ip }],
  SubnetId: subnet,
  VpcId: 'vpc-3ac0fb5f',
});

/**
 * The usual way to put an ALB behind a V1 link: the NLB's TCP:80 listener forwards to a target group
 * of type `alb` whose one target is the ALB, on port 443 (ELB guide, "Application Load Balancers as
 * targets"). DescribeTargetHealth gives the ALB's ARN as the target id, without a zone.
 */
export function recordNlbInFrontOfAlb({ mocks }: Recorded, albPort = 443): void {
  mocks.elb.on(DescribeListenersCommand, { LoadBalancerArn: arns.nlb }).resolves({
    Listeners: [listener(arns.nlbListener80, arns.nlb, 80, 'TCP', arns.nlbToAlbTg)],
  });
  mocks.elb.on(DescribeRulesCommand, { ListenerArn: arns.nlbListener80 }).resolves({
    Rules: [defaultRule(arns.nlbListener80, arns.nlbToAlbTg)],
  });
  mocks.elb.on(DescribeTargetGroupsCommand, { LoadBalancerArn: arns.nlb }).resolves({
    TargetGroups: [targetGroup(arns.nlbToAlbTg, 'front-to-alb', albPort, 'TCP', 'alb', arns.nlb)],
  });
  mocks.elb.on(DescribeTargetGroupAttributesCommand, { TargetGroupArn: arns.nlbToAlbTg }).resolves({
    Attributes: [{ Key: 'load_balancing.cross_zone.enabled', Value: 'use_load_balancer_configuration' }],
  });
  mocks.elb.on(DescribeTargetHealthCommand, { TargetGroupArn: arns.nlbToAlbTg }).resolves({
    TargetHealthDescriptions: [healthy(arns.alb, albPort)],
  });
}

/** A REST API whose GET /orders goes through a VPC link (V1: `targetArns`; V2: `integrationTarget`). */
export function recordRestApi(
  { mocks }: Recorded,
  methodIntegration: Record<string, unknown>,
  methodSettings: Record<string, MethodSetting> = {
    '*/*': { loggingLevel: 'INFO', dataTraceEnabled: false },
  },
): void {
  // GetStage (API Gateway API reference, Stage): methodSettings keyed `*/*` or `~1path/METHOD`.
  mocks.apiGateway
    .on(GetStageCommand)
    .resolves({ stageName: 'prod', deploymentId: 'd1e2f3', methodSettings });
  // GetResources with embed=methods (API Gateway API reference, Resource and Integration).
  mocks.apiGateway.on(GetResourcesCommand).resolves({
    items: [
      { id: 'x1y2z3a4b5', path: '/' },
      {
        id: 'r5s6t7',
        parentId: 'x1y2z3a4b5',
        pathPart: 'orders',
        path: '/orders',
        resourceMethods: {
          GET: {
            httpMethod: 'GET',
            authorizationType: 'NONE',
            methodIntegration: {
              type: 'HTTP_PROXY',
              httpMethod: 'GET',
              timeoutInMillis: 29_000,
              cacheNamespace: 'r5s6t7',
              ...methodIntegration,
            },
          },
        },
      },
    ],
  });
}

/** GetVpcLinks of API Gateway V1 (API reference, VpcLink): a link to the NLB. */
export function recordV1Link({ mocks }: Recorded, id: string, targetArn: string): void {
  mocks.apiGateway.on(GetVpcLinksCommand).resolves({
    items: [
      {
        id,
        name: 'orders-link',
        targetArns: [targetArn],
        status: 'AVAILABLE',
        statusMessage: 'Your vpc link is ready for use',
      },
    ],
  });
}

/** A REST method (GET /orders) on VPC link V1 `vl1a2b3` to the orders NLB TCP:80; `nlb` as in recordOrdersNlb. */
export function recordV1RestPathToNlb(recorded: Recorded, nlb: Partial<LoadBalancer> = {}): void {
  recordRestApi(recorded, {
    connectionType: 'VPC_LINK',
    connectionId: 'vl1a2b3',
    uri: `http://${dns.nlb}:80/orders`,
  });
  recordV1Link(recorded, 'vl1a2b3', arns.nlb);
  recordOrdersNlb(recorded, dns.nlb, nlb);
}

/** GetVpcLinks of apigatewayv2 (API reference, VpcLink): a V2 link with its subnets and security groups. */
export function recordV2Link({ mocks }: Recorded, VpcLinkId: string): void {
  mocks.apiGatewayV2.on(GetV2VpcLinksCommand).resolves({
    Items: [
      {
        VpcLinkId,
        Name: 'orders-v2-link',
        SecurityGroupIds: ['sg-0b1c2d3e'],
        SubnetIds: ['subnet-8360a9e7', 'subnet-b7d581c0'],
        VpcLinkStatus: 'AVAILABLE',
        VpcLinkStatusMessage: 'VPC link is ready to route traffic',
        VpcLinkVersion: 'V2',
        CreatedDate: new Date('2026-10-01T00:00:00Z'),
        Tags: {},
      },
    ],
  });
}

/** An HTTP API integration to a listener through V2 link `v2link1` (API Gateway V2 API reference, Integration). */
export const privateHttpIntegration = (IntegrationId: string, IntegrationUri: string): HttpIntegration => ({
  IntegrationId,
  IntegrationType: 'HTTP_PROXY',
  IntegrationMethod: 'ANY',
  ConnectionType: 'VPC_LINK',
  ConnectionId: 'v2link1',
  IntegrationUri,
  PayloadFormatVersion: '1.0',
  TimeoutInMillis: 30_000,
});

/** An HTTP API: integrations (API reference, Integration) and the routes that target them (Route). */
export function recordHttpApi(
  { mocks }: Recorded,
  integrations: { id: string; listenerArn: string }[],
  routes: { key: string; integrationId: string }[],
): void {
  mocks.apiGatewayV2
    .on(GetHttpStageCommand)
    .resolves({ StageName: '$default', AutoDeploy: true, DeploymentId: 'dep1' });
  mocks.apiGatewayV2.on(GetIntegrationsCommand).resolves({
    Items: integrations.map(({ id, listenerArn }) => privateHttpIntegration(id, listenerArn)),
  });
  mocks.apiGatewayV2.on(GetRoutesCommand).resolves({
    Items: routes.map(({ key, integrationId }, index) => ({
      RouteId: `rt${index}`,
      RouteKey: key,
      Target: `integrations/${integrationId}`,
      AuthorizationType: 'NONE',
    })),
  });
}

export async function audit(
  recorded: Recorded,
  stages: ClassifiedStage[],
): Promise<{
  inventory: Inventory;
  problems: string[];
  findings: ReturnType<typeof evaluateChecks>;
}> {
  const inventory = await collectInventory(recorded.clients, stages, WINDOW, ACCOUNT);
  const findings = evaluateChecks(inventory, { allChecks: false });
  const problems = findings
    .filter((finding) => finding.status === 'FAIL' || finding.status === 'ERROR' || finding.status === 'WARN')
    .map((finding) => `${finding.status} ${finding.checkId} ${finding.resourceArn}`)
    .sort();
  return { inventory, problems, findings };
}

export const statusOf = (findings: ReturnType<typeof evaluateChecks>, checkId: string, resourceArn: string) =>
  findings.find((finding) => finding.checkId === checkId && finding.resourceArn === resourceArn)?.status;
