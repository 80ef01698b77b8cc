/**
 * Who connects to an NLB's `ip` targets (Fargate tasks), and the leg from a V2 VPC link's subnets
 * to the load balancer, on the emulator: task interfaces with their own security groups and
 * subnets, network ACLs swapped with ReplaceNetworkAclAssociation, an ip target outside the VPC.
 * Each HTTP API has its own VPC link and NLB (TCP:80 -> ip target group TCP:8080, client IP
 * preservation off, the default for ip targets over TCP), so each finding belongs to one case:
 *   fargate-healthy  tasks-ok (default ACL), group admits the NLB subnets, link in link-ok -> PASS
 *   fargate-denied   tasks-denied (deny-all ACL), group admits an office range only   -> FAIL both
 *   fargate-peered   ip target 192.168.7.7, outside the VPC                           -> SKIPPED
 *   link-denied      link in link-denied (ACL denies outbound tcp/80), tasks-ok       -> FAIL
 */
import { CreateVpcLinkCommand } from '@aws-sdk/client-apigatewayv2';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateNetworkAclCommand,
  CreateNetworkAclEntryCommand,
  CreateNetworkInterfaceCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeNetworkAclsCommand,
  ReplaceNetworkAclAssociationCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  ModifyLoadBalancerAttributesCommand,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { runAudit } from '../../lambda/audit';
import type { AwsClients } from '../../lambda/collect/clients';
import { loadBalancerMetricDimension } from '../../lambda/collect/load-balancers';
import type { Finding, Report } from '../../lambda/domain/types';
import { must, useEmulator } from '../support/emulator';
import { createPrivateHttpApi, putFailingHttpStageTraffic } from '../support/emulator-apis';

const TIMEOUT_MS = 90_000;

const SUBNETS = {
  'lb-a': { cidr: '10.0.1.0/24', zone: 'us-east-1a' },
  'lb-b': { cidr: '10.0.2.0/24', zone: 'us-east-1b' },
  'tasks-ok': { cidr: '10.0.12.0/24', zone: 'us-east-1b' },
  'tasks-denied': { cidr: '10.0.13.0/24', zone: 'us-east-1b' },
  'link-ok': { cidr: '10.0.21.0/24', zone: 'us-east-1a' },
  'link-denied': { cidr: '10.0.22.0/24', zone: 'us-east-1a' },
} as const;
type SubnetName = keyof typeof SUBNETS;

interface Network {
  vpcId: string;
  subnets: Record<SubnetName, string>;
}

interface ApiSpec {
  name: string;
  linkSubnet: SubnetName;
  /** The task's subnet and the CIDRs its group admits on 8080; or an address outside the VPC. */
  target: { subnet: SubnetName; admits: string[] } | { outside: string };
}

async function buildNetwork(clients: AwsClients): Promise<Network> {
  const vpc = await clients.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
  const vpcId = must(vpc.Vpc?.VpcId, 'vpc');
  const subnets = {} as Record<SubnetName, string>;
  for (const [name, { cidr, zone }] of Object.entries(SUBNETS) as [
    SubnetName,
    (typeof SUBNETS)[SubnetName],
  ][]) {
    const created = await clients.ec2.send(
      new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr, AvailabilityZone: zone }),
    );
    subnets[name] = must(created.Subnet?.SubnetId, `subnet ${name}`);
  }
  return { vpcId, subnets };
}

/** A new ACL with `entries` (none: AWS's own deny-all rules only), associated with the subnet. */
async function replaceAcl(
  clients: AwsClients,
  network: Network,
  subnet: SubnetName,
  entries: { ruleNumber: number; egress: boolean; action: 'allow' | 'deny'; port?: number }[],
): Promise<string> {
  const acl = await clients.ec2.send(new CreateNetworkAclCommand({ VpcId: network.vpcId }));
  const aclId = must(acl.NetworkAcl?.NetworkAclId, 'network ACL');
  for (const entry of entries) {
    await clients.ec2.send(
      new CreateNetworkAclEntryCommand({
        NetworkAclId: aclId,
        RuleNumber: entry.ruleNumber,
        Egress: entry.egress,
        RuleAction: entry.action,
        CidrBlock: '0.0.0.0/0',
        Protocol: entry.port === undefined ? '-1' : '6',
        ...(entry.port === undefined ? {} : { PortRange: { From: entry.port, To: entry.port } }),
      }),
    );
  }
  const current = await clients.ec2.send(
    new DescribeNetworkAclsCommand({
      Filters: [{ Name: 'association.subnet-id', Values: [network.subnets[subnet]] }],
    }),
  );
  const association = current.NetworkAcls?.[0]?.Associations?.find(
    (candidate) => candidate.SubnetId === network.subnets[subnet],
  );
  await clients.ec2.send(
    new ReplaceNetworkAclAssociationCommand({
      AssociationId: must(association?.NetworkAclAssociationId, `ACL association of ${subnet}`),
      NetworkAclId: aclId,
    }),
  );
  return aclId;
}

interface BuiltApi {
  apiId: string;
  targetGroupArn: string;
  /** The task's interface (none for a target outside the VPC). */
  taskEni?: string;
}

/** HTTP API -> V2 link -> NLB TCP:80 (lb-a, lb-b, cross-zone on) -> ip target group TCP:8080 -> one task. */
async function buildApi(clients: AwsClients, network: Network, spec: ApiSpec, now: Date): Promise<BuiltApi> {
  const nlb = await clients.elb.send(
    new CreateLoadBalancerCommand({
      Name: `${spec.name}-nlb`,
      Type: 'network',
      Scheme: 'internal',
      Subnets: [network.subnets['lb-a'], network.subnets['lb-b']],
    }),
  );
  const lb = must(nlb.LoadBalancers?.[0], 'NLB');
  const lbArn = must(lb.LoadBalancerArn, 'NLB ARN');
  await clients.elb.send(
    new ModifyLoadBalancerAttributesCommand({
      LoadBalancerArn: lbArn,
      Attributes: [{ Key: 'load_balancing.cross_zone.enabled', Value: 'true' }],
    }),
  );
  // The emulator creates no interfaces for load balancers: make the ones AWS would.
  const dimension = loadBalancerMetricDimension({ arn: lbArn, type: 'network' });
  for (const subnet of ['lb-a', 'lb-b'] as const) {
    await clients.ec2.send(
      new CreateNetworkInterfaceCommand({
        SubnetId: network.subnets[subnet],
        Description: `ELB ${dimension}`,
      }),
    );
  }
  const group = await clients.elb.send(
    new CreateTargetGroupCommand({
      Name: `${spec.name}-tg`,
      Protocol: 'TCP',
      Port: 8080,
      VpcId: network.vpcId,
      TargetType: 'ip',
    }),
  );
  const targetGroupArn = must(group.TargetGroups?.[0]?.TargetGroupArn, 'target group');
  let taskEni: string | undefined;
  let address: string;
  if ('outside' in spec.target) {
    address = spec.target.outside;
    await clients.elb.send(
      new RegisterTargetsCommand({
        TargetGroupArn: targetGroupArn,
        Targets: [{ Id: address, Port: 8080, AvailabilityZone: 'all' }],
      }),
    );
  } else {
    const sg = await clients.ec2.send(
      new CreateSecurityGroupCommand({
        GroupName: `${spec.name}-tasks`,
        Description: 'tasks',
        VpcId: network.vpcId,
      }),
    );
    const groupId = must(sg.GroupId, 'task security group');
    await clients.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [
          {
            IpProtocol: 'tcp',
            FromPort: 8080,
            ToPort: 8080,
            IpRanges: spec.target.admits.map((CidrIp) => ({ CidrIp })),
          },
        ],
      }),
    );
    // A Fargate task's interface (awsvpc): its own groups, in its own subnet.
    const eni = await clients.ec2.send(
      new CreateNetworkInterfaceCommand({
        SubnetId: network.subnets[spec.target.subnet],
        Groups: [groupId],
        Description: `arn:aws:ecs:us-east-1:123456789012:attachment/${spec.name}`,
      }),
    );
    taskEni = must(eni.NetworkInterface?.NetworkInterfaceId, 'task interface');
    address = must(eni.NetworkInterface?.PrivateIpAddress, 'task address');
    await clients.elb.send(
      new RegisterTargetsCommand({ TargetGroupArn: targetGroupArn, Targets: [{ Id: address, Port: 8080 }] }),
    );
  }
  const listener = await clients.elb.send(
    new CreateListenerCommand({
      LoadBalancerArn: lbArn,
      Port: 80,
      Protocol: 'TCP',
      DefaultActions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }],
    }),
  );
  const link = await clients.apiGatewayV2.send(
    new CreateVpcLinkCommand({ Name: `${spec.name}-link`, SubnetIds: [network.subnets[spec.linkSubnet]] }),
  );
  const apiId = await createPrivateHttpApi(
    clients,
    spec.name,
    link.VpcLinkId,
    must(listener.Listeners?.[0]?.ListenerArn, 'listener'),
  );
  // Traffic with 5xx in the window, so the stage is audited.
  await putFailingHttpStageTraffic(clients, apiId, now);
  return { apiId, targetGroupArn, ...(taskEni ? { taskEni } : {}) };
}

const ofApi = (report: Report, apiId: string, checkId: string): Finding[] =>
  report.findings.filter(
    (finding) => finding.checkId === checkId && finding.apis.some((api) => api.apiId === apiId),
  );

const aclArn = (id: string) => `arn:aws:ec2:us-east-1:123456789012:network-acl/${id}`;
const eniArn = (id: string | undefined) => `arn:aws:ec2:us-east-1:123456789012:network-interface/${id}`;

describe('ip targets and the VPC link leg on the emulator', () => {
  const aws = useEmulator();
  const now = new Date();
  let clients: AwsClients;
  let report: Report;
  let network: Network;
  const apis: Record<string, BuiltApi> = {};
  const acls: Record<string, string> = {};

  beforeAll(async () => {
    clients = aws.clients({ rateLimits: false });
    network = await buildNetwork(clients);
    acls.tasksDenied = await replaceAcl(clients, network, 'tasks-denied', []);
    acls.linkDenied = await replaceAcl(clients, network, 'link-denied', [
      { ruleNumber: 90, egress: true, action: 'deny', port: 80 },
      { ruleNumber: 100, egress: true, action: 'allow' },
      { ruleNumber: 100, egress: false, action: 'allow' },
    ]);
    const nlbSubnets = [SUBNETS['lb-a'].cidr, SUBNETS['lb-b'].cidr];
    const specs: ApiSpec[] = [
      { name: 'fargate-healthy', linkSubnet: 'link-ok', target: { subnet: 'tasks-ok', admits: nlbSubnets } },
      {
        name: 'fargate-denied',
        linkSubnet: 'link-ok',
        target: { subnet: 'tasks-denied', admits: ['192.168.50.0/24'] },
      },
      { name: 'fargate-peered', linkSubnet: 'link-ok', target: { outside: '192.168.7.7' } },
      { name: 'link-denied', linkSubnet: 'link-denied', target: { subnet: 'tasks-ok', admits: nlbSubnets } },
    ];
    for (const spec of specs) apis[spec.name] = await buildApi(clients, network, spec, now);
    report = await runAudit(aws.auditRequest(now));
  }, TIMEOUT_MS);

  const api = (name: string): BuiltApi => must(apis[name], name);

  it('fails a Fargate task whose group admits only an unrelated CIDR, naming the blocked NLB nodes and zones', () => {
    const [finding, ...rest] = ofApi(report, api('fargate-denied').apiId, 'nlb-target-security-groups');
    expect(rest).toEqual([]);
    // One finding on the root cause, the task's security group, listing the task it blocks.
    expect(finding).toMatchObject({ status: 'FAIL', resourceType: 'AWS::EC2::SecurityGroup' });
    expect(finding?.message).toMatch(/NLB fargate-denied-nlb node in us-east-1a 10\.0\.1\.\d+/);
    expect(finding?.evidence).toMatchObject({
      targets: [eniArn(api('fargate-denied').taskEni)],
      blockedZones: ['us-east-1a', 'us-east-1b'],
    });
  });

  it('passes a Fargate task whose group admits the NLB subnets (its twin)', () => {
    const findings = ofApi(report, api('fargate-healthy').apiId, 'nlb-target-security-groups');
    expect(findings.map((finding) => `${finding.status} ${finding.resourceArn}`)).toEqual([
      `PASS ${eniArn(api('fargate-healthy').taskEni)}`,
    ]);
  });

  it('fails the deny-all ACL of the Fargate subnet, naming the subnet and the blocked direction', () => {
    const denied = ofApi(report, api('fargate-denied').apiId, 'subnet-network-acls').find(
      (finding) => finding.resourceArn === aclArn(must(acls.tasksDenied, 'ACL')),
    );
    expect(denied?.status).toBe('FAIL');
    expect(denied?.message).toContain(
      `inbound tcp/8080 from 10.0.1.0/24 in ${network.subnets['tasks-denied']} (load balancer to target)`,
    );
  });

  it('passes every ACL on the healthy Fargate path, the task and link subnets’ default ACL included (its twin)', () => {
    // One finding per ACL, shared by every API whose path crosses it: here the VPC's default ACL.
    const findings = ofApi(report, api('fargate-healthy').apiId, 'subnet-network-acls');
    expect(findings.map((finding) => finding.status)).toEqual(['PASS']);
    expect(findings[0]?.resourceArn).not.toBe(aclArn(must(acls.tasksDenied, 'ACL')));
  });

  it('skips an ip target outside the VPC, at that target group, never passing it', () => {
    const findings = ofApi(report, api('fargate-peered').apiId, 'nlb-target-security-groups');
    expect(findings.map((finding) => `${finding.status} ${finding.resourceArn}`)).toEqual([
      `SKIPPED ${api('fargate-peered').targetGroupArn}`,
    ]);
    expect(findings[0]?.message).toContain(
      `ip target 192.168.7.7 of target group fargate-peered-tg lies outside ${network.vpcId}`,
    );
  });

  it('fails the link subnet ACL that denies outbound to the listener port, naming subnet, ACL and peers', () => {
    const denied = ofApi(report, api('link-denied').apiId, 'subnet-network-acls').find(
      (finding) => finding.resourceArn === aclArn(must(acls.linkDenied, 'ACL')),
    );
    expect(denied?.status).toBe('FAIL');
    expect(denied?.message).toContain(`network ACL ${acls.linkDenied} (${network.subnets['link-denied']})`);
    for (const peer of ['10.0.1.0/24', '10.0.2.0/24']) {
      expect(denied?.message).toContain(
        `outbound tcp/80 to ${peer} in ${network.subnets['link-denied']} (VPC link link-denied-link to NLB link-denied-nlb)`,
      );
    }
  });

  it('reads the task interfaces with one batched call per VPC, beside the one for the load balancers', () => {
    expect(report.stats.awsCalls['EC2.DescribeNetworkInterfaces']).toBe(2);
  });
});
