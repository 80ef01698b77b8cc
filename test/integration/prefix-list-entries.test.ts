/**
 * Managed prefix lists read from the emulator, and judged: a security group rule that names a
 * prefix list admits the senders its entries hold, and a list that cannot be read is a gap.
 */
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateManagedPrefixListCommand,
  CreateSecurityGroupCommand,
  CreateVpcCommand,
} from '@aws-sdk/client-ec2';
import { evaluateSecurityGroups } from '../../lambda/checks/security-group-rules';
import { describeManagedPrefixListEntries, describeSecurityGroups } from '../../lambda/collect/network';
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
});
