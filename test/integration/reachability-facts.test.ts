/**
 * Facts that decide who may connect, read from the emulator and judged: a security group rule that
 * names a managed prefix list admits the senders its entries hold; a network ACL's IPv6 rules apply
 * to IPv6 peers only.
 */
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateManagedPrefixListCommand,
  CreateNetworkAclCommand,
  CreateNetworkAclEntryCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeNetworkAclsCommand,
  ReplaceNetworkAclAssociationCommand,
} from '@aws-sdk/client-ec2';
import {
  describeManagedPrefixListEntries,
  describeNetworkAclsBySubnet,
  describeSecurityGroups,
} from '../../lambda/collect/network';
import { EPHEMERAL_PORTS, judgeReturnTraffic } from '../../lambda/path/network-acls';
import { evaluateSecurityGroups } from '../../lambda/path/security-groups';
import { useEmulator } from '../support/emulator';

describe('managed prefix list entries', () => {
  const aws = useEmulator();

  async function createPrefixList(name: string, cidrs: string[]): Promise<string> {
    const { ec2 } = aws.clients();
    const created = await ec2.send(
      new CreateManagedPrefixListCommand({
        PrefixListName: name,
        AddressFamily: 'IPv4',
        MaxEntries: 10,
        Entries: cidrs.map((Cidr) => ({ Cidr, Description: name })),
      }),
    );
    const id = created.PrefixList?.PrefixListId;
    if (!id) throw new Error('the emulator returned no prefix list id');
    return id;
  }

  // The emulator answers an unknown id with no entries (AWS: InvalidPrefixListID.NotFound) and
  // never pages: errors and pagination are tested with recorded responses (test/unit/collect).
  it('reads the entries of each list once, an empty list as no entries', async () => {
    // Arrange
    const offices = await createPrefixList('offices', ['10.8.0.0/16', '192.168.10.0/24', '172.16.0.0/12']);
    const empty = await createPrefixList('empty', []);
    const { ec2 } = aws.clients();

    // Act
    const entries = await describeManagedPrefixListEntries(ec2, [offices, empty, offices]);

    // Assert
    expect(Object.keys(entries).sort()).toEqual([offices, empty].sort());
    const officeEntries = entries[offices];
    expect(officeEntries?.ok && [...officeEntries.value].sort()).toEqual([
      '10.8.0.0/16',
      '172.16.0.0/12',
      '192.168.10.0/24',
    ]);
    expect(entries[empty]).toEqual({ ok: true, value: [] });
  }, 30_000);

  it('admits the senders a prefix list holds and blocks the others, per zone', async () => {
    // Arrange: the target's group admits tcp/8080 from a prefix list holding one zone's subnet only
    const { ec2 } = aws.clients();
    const zoneA = await createPrefixList('nlb-zone-a', ['10.0.1.0/24']);
    const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
    const group = await ec2.send(
      new CreateSecurityGroupCommand({ GroupName: 'targets', Description: 'targets', VpcId: vpc.Vpc?.VpcId }),
    );
    const groupId = group.GroupId as string;
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, PrefixListIds: [{ PrefixListId: zoneA }] },
        ],
      }),
    );

    // Act
    const groups = await describeSecurityGroups(ec2, [groupId]);
    const read = groups[groupId];
    if (!read?.ok) throw new Error('the security group could not be read');
    const prefixLists = await describeManagedPrefixListEntries(
      ec2,
      read.value.inbound.flatMap((rule) => rule.prefixListIds),
    );
    const verdict = evaluateSecurityGroups({
      groups: [read.value],
      traffic: { protocol: 'tcp', port: 8080 },
      prefixLists,
      sources: [
        {
          label: 'NLB node in us-east-1a 10.0.1.23',
          zone: 'us-east-1a',
          cidr: '10.0.1.23',
          securityGroupIds: [],
        },
        {
          label: 'NLB node in us-east-1b 10.0.2.45',
          zone: 'us-east-1b',
          cidr: '10.0.2.45',
          securityGroupIds: [],
        },
      ],
    });

    // Assert
    expect(verdict.status).toBe('some-blocked');
    expect(verdict.sources[0]).toMatchObject({
      status: 'allowed',
      rule: { description: `${groupId} allows ${zoneA} (10.0.1.0/24) tcp/8080` },
    });
    expect(verdict.blockedZones).toEqual(['us-east-1b']);
  }, 30_000);

  it('reads an ACL with IPv4 and IPv6 rules and judges return traffic of each family by its own rules', async () => {
    // Arrange: the targets' subnet denies replies to 10.0.1.23 and to 2001:db8::/64 port 3389 only
    const { ec2 } = aws.clients();
    const vpc = await ec2.send(
      new CreateVpcCommand({ CidrBlock: '10.1.0.0/16', AmazonProvidedIpv6CidrBlock: true }),
    );
    const vpcId = vpc.Vpc?.VpcId as string;
    const subnet = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.1.2.0/24' }));
    const subnetId = subnet.Subnet?.SubnetId as string;
    const acl = await ec2.send(new CreateNetworkAclCommand({ VpcId: vpcId }));
    const aclId = acl.NetworkAcl?.NetworkAclId as string;
    const entries = [
      { RuleNumber: 80, RuleAction: 'deny', CidrBlock: '10.0.1.23/32', Protocol: '-1' },
      {
        RuleNumber: 90,
        RuleAction: 'deny',
        Ipv6CidrBlock: '::/0',
        Protocol: '6',
        PortRange: { From: 3389, To: 3389 },
      },
      { RuleNumber: 100, RuleAction: 'allow', CidrBlock: '0.0.0.0/0', Protocol: '-1' },
      { RuleNumber: 101, RuleAction: 'allow', Ipv6CidrBlock: '::/0', Protocol: '-1' },
    ] as const;
    for (const entry of entries) {
      await ec2.send(new CreateNetworkAclEntryCommand({ NetworkAclId: aclId, Egress: true, ...entry }));
    }
    const current = await ec2.send(
      new DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.subnet-id', Values: [subnetId] }] }),
    );
    const association = current.NetworkAcls?.[0]?.Associations?.find((item) => item.SubnetId === subnetId);
    await ec2.send(
      new ReplaceNetworkAclAssociationCommand({
        AssociationId: association?.NetworkAclAssociationId,
        NetworkAclId: aclId,
      }),
    );

    // Act
    const read = (await describeNetworkAclsBySubnet(ec2, [subnetId]))[subnetId];
    if (!read?.ok) throw new Error('the network ACL could not be read');
    const reply = { egress: true, ephemeralPorts: EPHEMERAL_PORTS.elasticLoadBalancing };
    const otherNode = judgeReturnTraffic(read.value.entries, { ...reply, peerCidr: '10.0.1.99' });
    const deniedNode = judgeReturnTraffic(read.value.entries, { ...reply, peerCidr: '10.0.1.23' });
    const ipv6Peer = judgeReturnTraffic(read.value.entries, { ...reply, peerCidr: '2001:db8::/64' });

    // Assert
    expect(read.value.id).toBe(aclId);
    expect(otherNode.status).toBe('allowed');
    expect(deniedNode).toMatchObject({
      status: 'blocked',
      denied: [expect.objectContaining({ ruleNumber: 80 })],
    });
    expect(ipv6Peer).toMatchObject({
      status: 'allowed-with-notes',
      denied: [expect.objectContaining({ ruleNumber: 90, fromPort: 3389, toPort: 3389 })],
    });
  }, 30_000);
});
