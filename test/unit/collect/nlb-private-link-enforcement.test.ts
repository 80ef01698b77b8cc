/**
 * A REST API on a VPC link V1 to an NLB with security groups, read through the collector from
 * real-shaped responses: the emulator returns no `EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic`
 * and drops a REST integration's VPC link (notes/emulator.md). DescribeLoadBalancers' LoadBalancer
 * carries the setting next to `SecurityGroups` (Elastic Load Balancing API reference, LoadBalancer).
 */
import { DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import { arns, audit, recordV1RestPathToNlb, stage } from './real-account';
import { recordedClients } from './recorded-clients';

/** The NLB's group admits the listener port from the VPC CIDR; the targets' group admits the VPC too. */
function recordV1LinkToNlbWithSecurityGroups(enforcement: 'on' | 'off') {
  const recorded = recordedClients();
  recordV1RestPathToNlb(recorded, {
    SecurityGroups: ['sg-0c1d2e3f'],
    EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic: enforcement,
  });
  // DescribeSecurityGroups (EC2 API reference, SecurityGroup with IpPermissions).
  const vpcWide = (port: number) => ({
    IpProtocol: 'tcp',
    FromPort: port,
    ToPort: port,
    IpRanges: [{ CidrIp: '10.0.0.0/16' }],
    Ipv6Ranges: [],
    PrefixListIds: [],
    UserIdGroupPairs: [],
  });
  recorded.mocks.ec2.on(DescribeSecurityGroupsCommand).resolves({
    SecurityGroups: [
      {
        GroupId: 'sg-0c1d2e3f',
        GroupName: 'orders-nlb',
        VpcId: 'vpc-3ac0fb5f',
        OwnerId: '111122223333',
        Description: 'orders NLB',
        IpPermissions: [vpcWide(80)],
      },
      {
        GroupId: 'sg-0a1b2c3d',
        GroupName: 'orders',
        VpcId: 'vpc-3ac0fb5f',
        OwnerId: '111122223333',
        Description: 'orders targets',
        IpPermissions: [vpcWide(8080)],
      },
    ],
  });
  return recorded;
}

const onNlb = (findings: Awaited<ReturnType<typeof audit>>['findings']) =>
  findings.find(
    (finding) => finding.checkId === 'nlb-target-security-groups' && finding.resourceArn === arns.nlb,
  );

describe('an NLB with security groups behind a VPC link V1', () => {
  it('fails when inbound rules are enforced on PrivateLink traffic and no rule admits API Gateway', async () => {
    // Act
    const { findings, inventory } = await audit(recordV1LinkToNlbWithSecurityGroups('on'), [stage({})]);

    // Assert
    const nlb = inventory.loadBalancers[arns.nlb];
    expect(nlb?.ok && nlb.value.privateLinkInboundRules).toBe('on');
    expect(onNlb(findings)).toMatchObject({
      status: 'FAIL',
      evidence: { privateLinkInboundRules: 'on', blockedPorts: [80] },
    });
  });

  it('passes the same NLB with enforcement off: its groups do not filter PrivateLink traffic (its twin)', async () => {
    const { findings } = await audit(recordV1LinkToNlbWithSecurityGroups('off'), [stage({})]);
    expect(onNlb(findings)).toMatchObject({ status: 'PASS', evidence: { privateLinkInboundRules: 'off' } });
    expect(onNlb(findings)?.message).toContain('is not filtered');
  });
});
