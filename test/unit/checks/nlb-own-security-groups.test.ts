/**
 * `nlb-target-security-groups` on the VPC link -> NLB hop: the NLB's own security groups, judged
 * against who really connects (a V1 link's PrivateLink traffic with its enforcement setting, a V2
 * link's interfaces). Fixtures: the emulator neither returns the PrivateLink enforcement attribute
 * nor keeps a REST integration's VPC link (notes/emulator.md); the V2 cases also run on the emulator
 * (test/integration/load-balancer-security-groups.test.ts).
 */
import { nlbTargetSecurityGroups } from '../../../lambda/checks/nlb-target-security-groups';
import { collected, type IpPermission, type LoadBalancerFacts } from '../../../lambda/domain/types';
import {
  anIpPermission,
  aRestIntegration,
  aSecurityGroup,
  aVpcLink,
  NLB_ARN,
  nlbScenario,
  resultsOf,
  V2_LINK_SUBNETS,
  withV2LinkSubnets,
} from '../../support/inventory-builders';

const rule = (overrides: Partial<IpPermission>) => anIpPermission(overrides);

/** The REST V1 scenario (link -> NLB TCP:80 -> instances) with the NLB in security group sg-nlb. */
const v1Nlb = (inbound: IpPermission[], loadBalancer: Partial<LoadBalancerFacts> = {}) =>
  nlbScenario({ loadBalancer: { securityGroupIds: ['sg-nlb'], ...loadBalancer } }).with(
    'securityGroups',
    'sg-nlb',
    aSecurityGroup({ id: 'sg-nlb', name: 'nlb', inbound }),
  );

/** A REST integration on a V2 link (sg-link, subnets in two zones) whose integrationTarget is the NLB. */
const v2Nlb = (inbound: IpPermission[]) =>
  withV2LinkSubnets(
    nlbScenario({
      loadBalancer: { securityGroupIds: ['sg-nlb'] },
      stage: {
        integrations: collected([aRestIntegration({ vpcLinkVersion: 'V2', integrationTarget: NLB_ARN })]),
      },
      vpcLink: {
        version: 'V2',
        targetArns: [],
        subnetIds: V2_LINK_SUBNETS.map((subnet) => subnet.id),
        securityGroupIds: ['sg-link'],
      },
    }),
  ).with('securityGroups', 'sg-nlb', aSecurityGroup({ id: 'sg-nlb', name: 'nlb', inbound }));

const onNlb = (builder: ReturnType<typeof nlbScenario>) =>
  resultsOf(nlbTargetSecurityGroups, builder.build()).filter((result) => result.resourceArn === NLB_ARN);

describe("nlb-target-security-groups: the NLB's own security groups", () => {
  it('fails a V1 link to an NLB whose groups are enforced on PrivateLink traffic and admit only the VPC', () => {
    // Arrange: enforcement on; the rule admits the VPC CIDR, which API Gateway's PrivateLink address is not in.
    const builder = v1Nlb([rule({ cidrs: ['10.0.0.0/16'] })], { privateLinkInboundRules: 'on' });

    // Act
    const [result] = onNlb(builder);

    // Assert
    expect(result).toMatchObject({
      status: 'FAIL',
      evidence: { privateLinkInboundRules: 'on', blockedPorts: [80] },
    });
    expect(result?.message).toContain('security groups sg-nlb of NLB orders-nlb do not admit tcp/80');
    expect(result?.message).toContain('API Gateway through VPC link orders-link (PrivateLink');
    expect(result?.message).toContain('turn "enforce inbound rules on PrivateLink traffic" off');
  });

  it('passes the same NLB with enforcement off, saying its groups do not filter the link (its twin)', () => {
    const [result] = onNlb(v1Nlb([rule({ cidrs: ['10.0.0.0/16'] })], { privateLinkInboundRules: 'off' }));
    expect(result).toMatchObject({ status: 'PASS', evidence: { privateLinkInboundRules: 'off' } });
    expect(result?.message).toContain('PrivateLink traffic from VPC link orders-link is not filtered');
  });

  it('takes AWS’s default (on) when DescribeLoadBalancers does not say, and passes a rule for every address', () => {
    const unsaid = onNlb(v1Nlb([rule({ cidrs: ['10.0.0.0/16'] })]));
    expect(unsaid[0]).toMatchObject({
      status: 'FAIL',
      evidence: { privateLinkInboundRules: 'on (not in the response: AWS default)' },
    });
    const anyAddress = onNlb(v1Nlb([rule({ cidrs: ['0.0.0.0/0'] })], { privateLinkInboundRules: 'on' }));
    expect(anyAddress.map((result) => result.status)).toEqual(['PASS']);
  });

  it('judges an NLB without security groups not at all: nothing filters that hop', () => {
    expect(onNlb(nlbScenario())).toEqual([]);
  });

  it("passes a V2 link whose security group the NLB's groups admit on the listener port", () => {
    const [result] = onNlb(v2Nlb([rule({ sourceSecurityGroupIds: ['sg-link'] })]));
    expect(result?.status).toBe('PASS');
    expect(result?.message).toContain(
      'VPC link orders-link in us-east-1b (10.0.22.0/24) (sg-nlb allows sg-link tcp/80)',
    );
    expect(result?.evidence).not.toHaveProperty('privateLinkInboundRules');
  });

  it('fails a V2 link when the NLB admits only an unrelated security group, naming the link subnets and zones', () => {
    const [result] = onNlb(v2Nlb([rule({ sourceSecurityGroupIds: ['sg-unrelated'] })]));
    expect(result).toMatchObject({
      status: 'FAIL',
      evidence: { blockedZones: ['us-east-1a', 'us-east-1b'], blockedPorts: [80] },
    });
    expect(result?.message).toContain(
      '2 of 2 sources blocked on tcp/80 (zones us-east-1a, us-east-1b): VPC link orders-link in us-east-1a (10.0.21.0/24); VPC link orders-link in us-east-1b (10.0.22.0/24)',
    );
  });

  it("passes the V2 link's subnets by CIDR, and fails the zone a narrower rule leaves out", () => {
    expect(onNlb(v2Nlb([rule({ cidrs: ['10.0.20.0/22'] })]))[0]?.status).toBe('PASS');
    const oneZone = onNlb(v2Nlb([rule({ cidrs: ['10.0.21.0/24'] })]))[0];
    expect(oneZone).toMatchObject({ status: 'FAIL', evidence: { blockedZones: ['us-east-1b'] } });
  });

  it('judges the listener port of the path: a rule for the target port only does not admit the link', () => {
    const [result] = onNlb(
      v2Nlb([rule({ fromPort: 8080, toPort: 8080, sourceSecurityGroupIds: ['sg-link'] })]),
    );
    expect(result?.status).toBe('FAIL');
  });

  it("reports ERROR naming the action when the NLB's security group or a link subnet could not be read", () => {
    const noGroup = v2Nlb([]).failing('securityGroups', 'sg-nlb', 'ec2:DescribeSecurityGroups');
    expect(onNlb(noGroup)[0]).toMatchObject({
      status: 'ERROR',
      evidence: { action: 'ec2:DescribeSecurityGroups' },
    });
    const noSubnet = v2Nlb([]).failing('subnets', 'subnet-link-b', 'ec2:DescribeSubnets');
    expect(onNlb(noSubnet)[0]).toMatchObject({
      status: 'ERROR',
      evidence: { action: 'ec2:DescribeSubnets' },
    });
  });

  it('stands in the VPC for a V2 link that lists no subnets: ERROR where only its subnets are refused, PASS its twin', () => {
    // GetVpcLink (apigatewayv2) gives `SubnetIds`; without them the link's interfaces are somewhere in its VPC.
    const noSubnets = (inbound: IpPermission[]) =>
      v2Nlb(inbound).with('vpcLinks', 'vl-orders', {
        ...aVpcLink(),
        version: 'V2',
        targetArns: [],
        subnetIds: [],
      });
    const [approximated] = onNlb(noSubnets([rule({ cidrs: ['10.0.20.0/22'] })]));
    expect(approximated?.status).toBe('ERROR');
    expect(approximated?.message).toContain('the addresses VPC link interfaces');
    expect(onNlb(noSubnets([rule({ cidrs: ['10.0.0.0/16'] })]))[0]?.status).toBe('PASS');
  });

  it('reports ERROR, never PASS, when the VPC link in front of the NLB could not be read', () => {
    // A V2 link's integration names the NLB itself: its groups are judged, and the unread link is the ERROR.
    const v2 = onNlb(
      v2Nlb([rule({ cidrs: ['0.0.0.0/0'] })]).failing('vpcLinks', 'vl-orders', 'apigateway:GetVpcLink'),
    );
    expect(v2).toEqual([
      expect.objectContaining({
        status: 'ERROR',
        evidence: expect.objectContaining({ action: 'apigateway:GetVpcLink' }),
      }),
    ]);
    expect(v2[0]?.message).toContain('could not read the VPC link in front of NLB orders-nlb');
    // A V1 link names the NLB: unread, the path stops at the link, which is the ERROR; nothing passes.
    const v1 = resultsOf(
      nlbTargetSecurityGroups,
      v1Nlb([rule({ cidrs: ['0.0.0.0/0'] })])
        .failing('vpcLinks', 'vl-orders', 'apigateway:GetVpcLink')
        .build(),
    );
    expect(v1.map((result) => [result.status, result.resourceArn])).toEqual([
      ['ERROR', 'arn:aws:apigateway:us-east-1::/vpclinks/vl-orders'],
    ]);
  });

  it("lets a target admit the V2 link's traffic through a reference to the NLB's security group (client IP preserved)", () => {
    // Arrange: instance targets preserve the link's addresses, yet reference only the NLB's group.
    const builder = v2Nlb([rule({ sourceSecurityGroupIds: ['sg-link'] })]).with(
      'securityGroups',
      'sg-web',
      aSecurityGroup({
        inbound: [rule({ fromPort: 8080, toPort: 8080, sourceSecurityGroupIds: ['sg-nlb'] })],
      }),
    );
    // Act
    const statuses = resultsOf(nlbTargetSecurityGroups, builder.build()).map((result) => result.status);
    // Assert: the NLB's own verdict, then both targets
    expect(statuses).toEqual(['PASS', 'PASS', 'PASS']);
  });
});
