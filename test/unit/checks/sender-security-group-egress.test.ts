import { senderSecurityGroupEgress } from '../../../lambda/checks/sender-security-group-egress';
import { type Collected, collected, failed, type IpPermission } from '../../../lambda/domain/types';
import {
  accessDenied,
  albScenario,
  anAlbSecurityGroup,
  anIpPermission,
  aSecurityGroup,
  nlbScenario,
  resultsOf,
  type ScenarioOverrides,
  withV2LinkSubnets,
} from '../../support/inventory-builders';

/**
 * DescribeSecurityGroups (EC2 API reference, SecurityGroup): `IpPermissionsEgress` is empty once
 * every egress rule is revoked, as Terraform does for a group it manages ("By default, AWS creates
 * an ALLOW ALL egress rule ... Terraform will remove this default rule", aws_security_group docs)
 * and CIS benchmarks do for default groups.
 */
const linkGroup = (outbound: IpPermission[] | undefined) =>
  aSecurityGroup({ id: 'sg-link', name: 'link', inbound: [], ...(outbound ? { outbound } : {}) });

const albWithLinkEgress = (outbound: IpPermission[] | undefined, overrides: ScenarioOverrides = {}) =>
  withV2LinkSubnets(albScenario(overrides))
    .with('securityGroups', 'sg-link', linkGroup(outbound))
    .with(
      'securityGroups',
      'sg-alb',
      anAlbSecurityGroup({
        outbound: [anIpPermission({ fromPort: 8080, toPort: 8080, cidrs: ['10.0.0.0/16'] })],
      }),
    );

const onGroup = (results: { resourceArn: string; status: string; message: string }[], id: string) =>
  results.filter((result) => result.resourceArn.endsWith(`security-group/${id}`));

describe('sender-security-group-egress', () => {
  it('fails a VPC link V2 whose security group has no egress rule: no connection can open (was all PASS)', () => {
    const [result, ...rest] = onGroup(
      resultsOf(senderSecurityGroupEgress, albWithLinkEgress([]).build()),
      'sg-link',
    );
    expect(rest).toEqual([]);
    expect(result?.status).toBe('FAIL');
    expect(result?.message).toContain(
      'security group sg-link of VPC link http-link has no egress rule that lets tcp/443 to ALB orders-alb',
    );
  });

  it('passes the same link with an egress rule to the ALB, and one left at the default allow-all (the twins)', () => {
    const toAlb = [anIpPermission({ fromPort: 443, toPort: 443, sourceSecurityGroupIds: ['sg-alb'] })];
    expect(
      onGroup(resultsOf(senderSecurityGroupEgress, albWithLinkEgress(toAlb).build()), 'sg-link'),
    ).toEqual([expect.objectContaining({ status: 'PASS' })]);
    expect(
      onGroup(resultsOf(senderSecurityGroupEgress, albWithLinkEgress(undefined).build()), 'sg-link'),
    ).toEqual([expect.objectContaining({ status: 'PASS' })]);
  });

  it('fails an ALB whose own groups do not let the target port out to its targets, and passes when they do', () => {
    const albOut = (outbound: IpPermission[]) =>
      withV2LinkSubnets(albScenario())
        .with('securityGroups', 'sg-link', linkGroup(undefined))
        .with('securityGroups', 'sg-alb', anAlbSecurityGroup({ outbound }));
    const closed = onGroup(
      resultsOf(
        senderSecurityGroupEgress,
        albOut([anIpPermission({ fromPort: 443, toPort: 443, cidrs: ['0.0.0.0/0'] })]).build(),
      ),
      'sg-alb',
    );
    expect(closed[0]?.status).toBe('FAIL');
    expect(closed[0]?.message).toContain('tcp/8080 to its targets (instance i-0a1');
    const open = onGroup(
      resultsOf(
        senderSecurityGroupEgress,
        albOut([
          anIpPermission({ fromPort: 8080, toPort: 8080, sourceSecurityGroupIds: ['sg-web'] }),
        ]).build(),
      ),
      'sg-alb',
    );
    expect(open[0]?.status).toBe('PASS');
  });

  it('reports ERROR, not PASS, when a target it lets out to by group could not be read', () => {
    const toWebGroup = [anIpPermission({ fromPort: 8080, toPort: 8080, sourceSecurityGroupIds: ['sg-web'] })];
    const albOut = (outbound: IpPermission[]) =>
      withV2LinkSubnets(albScenario())
        .with('securityGroups', 'sg-link', linkGroup(undefined))
        .with('securityGroups', 'sg-alb', anAlbSecurityGroup({ outbound }));
    const statusOf = (scenario: ReturnType<typeof albOut>) =>
      onGroup(resultsOf(senderSecurityGroupEgress, scenario.build()), 'sg-alb').map((r) => r.status);
    const unread = (scenario: ReturnType<typeof albOut>) =>
      scenario.failing('instances', 'i-0a1', 'ec2:DescribeInstances');
    expect(statusOf(unread(albOut(toWebGroup)))).toEqual(['ERROR']);
    // Twins: every target read; or a rule open to every address, which covers the unread one too.
    expect(statusOf(albOut(toWebGroup))).toEqual(['PASS']);
    const toAll = [anIpPermission({ fromPort: 8080, toPort: 8080, cidrs: ['0.0.0.0/0'] })];
    expect(statusOf(unread(albOut(toAll)))).toEqual(['PASS']);
  });

  it('skips a V1 link to an NLB without security groups: no sender filters egress', () => {
    expect(resultsOf(senderSecurityGroupEgress, nlbScenario().build()).map((r) => r.status)).toEqual([
      'SKIPPED',
    ]);
  });

  it('is an ERROR when a sender group could not be read', () => {
    const unreadable = albWithLinkEgress([])
      .failing('securityGroups', 'sg-link', 'ec2:DescribeSecurityGroups')
      .build();
    expect(onGroup(resultsOf(senderSecurityGroupEgress, unreadable), 'sg-link')[0]?.status).toBe('ERROR');
  });

  describe("when the ALB's node addresses are not known", () => {
    /** DescribeNetworkInterfaces refused: the ALB's subnets stand in for its nodes' addresses. */
    const approximated = (outbound: IpPermission[]) =>
      albWithLinkEgress(outbound, {
        loadBalancer: { networkInterfaces: failed(accessDenied('ec2:DescribeNetworkInterfaces')) },
      }).build();
    /** Lets 443 out to the node in us-east-1a only. */
    const toOneNode = [anIpPermission({ fromPort: 443, toPort: 443, cidrs: ['10.0.1.10/32'] })];

    it('fails the link whose rule misses a node it knows', () => {
      const [result] = onGroup(
        resultsOf(senderSecurityGroupEgress, albWithLinkEgress(toOneNode).build()),
        'sg-link',
      );
      expect(result?.status).toBe('FAIL');
      expect(result?.message).toContain(
        'tcp/443 to ALB orders-alb (ALB orders-alb node in us-east-1b 10.0.2.10)',
      );
    });

    it('reports ERROR, not FAIL, for the same rule judged against the stand-in subnets', () => {
      const [result] = onGroup(resultsOf(senderSecurityGroupEgress, approximated(toOneNode)), 'sg-link');
      expect(result).toMatchObject({
        status: 'ERROR',
        evidence: { action: 'ec2:DescribeNetworkInterfaces' },
      });
      expect(result?.message).toContain('could not read the addresses VPC link http-link connects to');
    });

    it("reports ERROR when neither the ALB's interfaces nor its subnets could be read: the link is not left out", () => {
      const unknown = albWithLinkEgress(toOneNode, {
        loadBalancer: { networkInterfaces: failed(accessDenied('ec2:DescribeNetworkInterfaces')) },
      })
        .failing('subnets', 'subnet-lb-a', 'ec2:DescribeSubnets')
        .build();
      expect(onGroup(resultsOf(senderSecurityGroupEgress, unknown), 'sg-link')).toEqual([
        expect.objectContaining({
          status: 'ERROR',
          evidence: expect.objectContaining({ action: 'ec2:DescribeNetworkInterfaces' }),
        }),
      ]);
    });

    it('still fails a link with no egress rule for the port at all: no address can be let out', () => {
      expect(onGroup(resultsOf(senderSecurityGroupEgress, approximated([])), 'sg-link')[0]?.status).toBe(
        'FAIL',
      );
    });
  });

  it('reports ERROR when an egress rule names a prefix list that could not be read, and judges it when read', () => {
    const withList = (entries: Collected<string[]>) => {
      const inventory = albWithLinkEgress([
        anIpPermission({ fromPort: 443, toPort: 443, prefixListIds: ['pl-0123'] }),
      ]).build();
      return onGroup(
        resultsOf(senderSecurityGroupEgress, { ...inventory, prefixLists: { 'pl-0123': entries } }),
        'sg-link',
      );
    };
    const unreadable = withList(failed(accessDenied('ec2:GetManagedPrefixListEntries')));
    expect(unreadable[0]).toMatchObject({
      status: 'ERROR',
      evidence: { action: 'ec2:GetManagedPrefixListEntries' },
    });
    expect(unreadable[0]?.message).toContain(
      'a prefix list the egress rules of security group sg-link of VPC link http-link reference',
    );
    expect(withList(collected(['10.0.0.0/16']))[0]?.status).toBe('PASS');
  });

  it('names every group of a link with two, and fails when neither lets the port out', () => {
    const twoGroups = albWithLinkEgress([], { vpcLink: { securityGroupIds: ['sg-link', 'sg-link-2'] } }).with(
      'securityGroups',
      'sg-link-2',
      linkGroup([]),
    );
    const [result] = onGroup(resultsOf(senderSecurityGroupEgress, twoGroups.build()), 'sg-link');
    expect(result?.status).toBe('FAIL');
    expect(result?.message).toContain(
      'security groups sg-link, sg-link-2 of VPC link http-link have no egress rule',
    );
  });
});
