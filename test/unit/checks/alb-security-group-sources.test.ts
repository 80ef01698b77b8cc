import { albSecurityGroupSources } from '../../../lambda/checks/alb-security-group-sources';
import { type Collected, collected, failed, type IpPermission } from '../../../lambda/domain/types';
import {
  ALB_ARN,
  accessDenied,
  albScenario,
  anAlb,
  anHttpIntegration,
  anIpPermission,
  aRestIntegration,
  aTarget,
  type InventoryBuilder,
  LISTENER_ARN,
  NLB_ARN,
  nlbScenario,
  type Overrides,
  onlyResult,
  resultsOf,
  type ScenarioOverrides,
  TG_ARN,
  V2_LINK_SUBNETS,
  withV2LinkSubnets,
} from '../../support/inventory-builders';

const rule = (overrides: Overrides<IpPermission>) =>
  anIpPermission({ fromPort: 443, toPort: 443, ...overrides });
const albPath = (overrides: ScenarioOverrides = {}) =>
  withV2LinkSubnets(
    albScenario({
      ...overrides,
      vpcLink: { subnetIds: V2_LINK_SUBNETS.map((subnet) => subnet.id), ...overrides.vpcLink },
    }),
  );
const albWithRules = (inbound: IpPermission[], overrides: ScenarioOverrides = {}) =>
  albPath(overrides).with('securityGroups', 'sg-alb', { id: 'sg-alb', name: 'alb', vpcId: 'vpc-1', inbound });

/**
 * A V1 (or V2) link -> NLB TCP:80 -> `alb` target group -> the ALB's HTTPS:443 listener. The NLB
 * nodes are 10.0.1.10 (us-east-1a) and 10.0.2.10 (us-east-1b).
 */
const albBehindNlb = (albInbound: IpPermission[], overrides: ScenarioOverrides = {}) =>
  withV2LinkSubnets(
    nlbScenario({
      ...overrides,
      targetGroup: {
        name: 'front-to-alb',
        port: 443,
        targetType: 'alb',
        targets: collected([aTarget({ id: ALB_ARN, port: 443, availabilityZone: undefined })]),
      },
    }),
  )
    .with('loadBalancers', ALB_ARN, anAlb())
    .with('securityGroups', 'sg-alb', { id: 'sg-alb', name: 'alb', vpcId: 'vpc-1', inbound: albInbound });
const onAlb = (builder: InventoryBuilder) =>
  resultsOf(albSecurityGroupSources, builder.build()).filter((result) => result.resourceArn === ALB_ARN);

describe('alb-security-group-sources', () => {
  it('passes an ALB whose security group allows the listener port from all sources', () => {
    const result = onlyResult(albSecurityGroupSources, albPath().build());
    expect(result).toMatchObject({ status: 'PASS', resourceArn: ALB_ARN });
    expect(result.message).toContain(
      'ALB orders-alb admits tcp/443 from VPC link interfaces: all 2 sources allowed on tcp/443',
    );
    expect(result.message).toContain('(sg-alb allows 0.0.0.0/0 tcp/443)');
  });

  it("passes a rule for the VPC link's subnets only, where the link really connects from (was FAIL)", () => {
    const inventory = albWithRules([rule({ cidrs: ['10.0.21.0/24', '10.0.22.0/24'] })]).build();
    const result = onlyResult(albSecurityGroupSources, inventory);
    expect(result.status).toBe('PASS');
    expect(result.message).toContain(
      'VPC link http-link in us-east-1b (10.0.22.0/24) (sg-alb allows 10.0.22.0/24 tcp/443)',
    );
  });

  it("passes a rule from the VPC CIDR or from the VPC link's security group", () => {
    expect(
      onlyResult(albSecurityGroupSources, albWithRules([rule({ cidrs: ['10.0.0.0/16'] })]).build()).status,
    ).toBe('PASS');
    const fromLink = albWithRules([rule({ sourceSecurityGroupIds: ['sg-link'] })]);
    expect(onlyResult(albSecurityGroupSources, fromLink.build()).status).toBe('PASS');
  });

  it('fails a rule that admits one link subnet only, naming the blocked subnet and its zone', () => {
    const result = onlyResult(
      albSecurityGroupSources,
      albWithRules([rule({ cidrs: ['10.0.21.0/24'] })]).build(),
    );
    expect(result).toMatchObject({
      status: 'FAIL',
      evidence: { blockedZones: ['us-east-1b'], blockedPorts: [443] },
    });
    expect(result.message).toContain(
      'do not admit tcp/443 from VPC link interfaces: 1 of 2 sources blocked on tcp/443 (zones us-east-1b): VPC link http-link in us-east-1b (10.0.22.0/24)',
    );
  });

  it("judges only the listener the API's traffic reaches, not another service's on the same ALB", () => {
    // Arrange: a second listener on 8443 that the security group does not admit, for another service.
    const inventory = albPath({
      loadBalancer: {
        listeners: collected([
          { arn: LISTENER_ARN, port: 443, protocol: 'HTTPS', targetGroupArns: [TG_ARN] },
          { arn: `${LISTENER_ARN}-billing`, port: 8443, protocol: 'HTTPS', targetGroupArns: [] },
        ]),
      },
    }).build();
    // Act
    const result = onlyResult(albSecurityGroupSources, inventory);
    // Assert
    expect(result.status).toBe('PASS');
    expect(result.message).not.toContain('8443');
  });

  it("fails an ALB whose group admits the link only on another listener's port, naming the path's port", () => {
    // Arrange: the API sends to 443; the group opens 8443 (the other service's listener) to the link.
    const inventory = albWithRules(
      [rule({ fromPort: 8443, toPort: 8443, sourceSecurityGroupIds: ['sg-link'] })],
      {
        loadBalancer: {
          listeners: collected([
            { arn: LISTENER_ARN, port: 443, protocol: 'HTTPS', targetGroupArns: [TG_ARN] },
            { arn: `${LISTENER_ARN}-billing`, port: 8443, protocol: 'HTTPS', targetGroupArns: [] },
          ]),
        },
      },
    ).build();
    // Act
    const result = onlyResult(albSecurityGroupSources, inventory);
    // Assert
    expect(result).toMatchObject({ status: 'FAIL', evidence: { blockedPorts: [443] } });
    expect(result.message).toContain('do not admit tcp/443 from VPC link interfaces');
    expect(result.message).not.toContain('8443');
  });

  it('skips an ALB none of whose listeners the traffic reaches (integration-listener reports it)', () => {
    const inventory = albPath({
      loadBalancer: {
        listeners: collected([{ arn: 'other', port: 8443, protocol: 'HTTPS', targetGroupArns: [] }]),
      },
    }).build();
    expect(onlyResult(albSecurityGroupSources, inventory).status).toBe('SKIPPED');
  });

  it('reports ERROR rather than FAIL when the VPC link whose security groups might be let in could not be read', () => {
    // Arrange: the ALB admits only the link's group, and the link is unreadable
    const inventory = albWithRules([rule({ sourceSecurityGroupIds: ['sg-link'] })])
      .failing('vpcLinks', 'vl-http', 'apigateway:GetVpcLinks')
      .build();

    // Act
    const result = onlyResult(albSecurityGroupSources, inventory);

    // Assert
    expect(result).toMatchObject({ status: 'ERROR', resourceArn: ALB_ARN });
    expect(result.message).toContain('apigateway:GetVpcLinks');
  });

  it('stands in the VPC for a link that lists no subnets: PASS when a rule admits the VPC, ERROR otherwise', () => {
    const noSubnets = { vpcLink: { subnetIds: [] } };
    const vpcWide = albWithRules([rule({ cidrs: ['10.0.0.0/16'] })], noSubnets).build();
    expect(onlyResult(albSecurityGroupSources, vpcWide).status).toBe('PASS');
    const narrow = albWithRules([rule({ cidrs: ['10.0.21.0/24'] })], noSubnets).build();
    expect(onlyResult(albSecurityGroupSources, narrow)).toMatchObject({
      status: 'ERROR',
      evidence: { code: 'NoSubnets' },
    });
  });

  it("judges an ALB behind an NLB on a V1 link against the NLB's nodes, zone by zone", () => {
    const nodes = onAlb(albBehindNlb([rule({ cidrs: ['10.0.1.10/32', '10.0.2.10/32'] })]));
    expect(nodes).toEqual([expect.objectContaining({ status: 'PASS' })]);
    expect(nodes[0]?.message).toContain('from NLB orders-nlb nodes: all 2 sources allowed');
    const oneZone = onAlb(albBehindNlb([rule({ cidrs: ['10.0.1.0/24'] })]));
    expect(oneZone[0]).toMatchObject({ status: 'FAIL', evidence: { blockedZones: ['us-east-1b'] } });
    expect(oneZone[0]?.message).toContain('ALB orders-alb (behind NLB orders-nlb)');
  });

  it("judges an ALB behind an NLB on a V2 link against the link's addresses, which the NLB passes on", () => {
    // Arrange: an HTTP-style V2 link in front of the NLB; `alb` targets see the senders' addresses.
    const v2: ScenarioOverrides = {
      stage: {
        integrations: collected([
          anHttpIntegration({
            listenerArn: `${NLB_ARN}/listener-80`,
            uri: `${NLB_ARN}/listener-80`,
            vpcLinkId: 'vl-orders',
            loadBalancerArns: [NLB_ARN],
          }),
        ]),
      },
      vpcLink: {
        version: 'V2',
        targetArns: [],
        subnetIds: V2_LINK_SUBNETS.map((subnet) => subnet.id),
        securityGroupIds: ['sg-link'],
      },
      loadBalancer: {
        listeners: collected([
          { arn: `${NLB_ARN}/listener-80`, port: 80, protocol: 'TCP', targetGroupArns: [TG_ARN] },
        ]),
      },
    };
    // Act / Assert: the NLB's nodes are not who the ALB sees; the link's subnets are.
    const nodesOnly = onAlb(albBehindNlb([rule({ cidrs: ['10.0.1.10/32', '10.0.2.10/32'] })], v2));
    expect(nodesOnly[0]?.status).toBe('FAIL');
    expect(nodesOnly[0]?.message).toContain(
      'VPC link interfaces (client IP preserved) through NLB orders-nlb',
    );
    const linkSubnets = onAlb(albBehindNlb([rule({ cidrs: ['10.0.20.0/22'] })], v2));
    expect(linkSubnets[0]?.status).toBe('PASS');
  });

  it('admits the link through a managed prefix list, and cannot tell when the list is unreadable', () => {
    const withList = (entries: Collected<string[]>) => {
      const inventory = albWithRules([rule({ prefixListIds: ['pl-0123'] })]).build();
      return onlyResult(albSecurityGroupSources, { ...inventory, prefixLists: { 'pl-0123': entries } });
    };
    expect(withList(collected(['10.0.20.0/22'])).status).toBe('PASS');
    expect(withList(failed(accessDenied('ec2:GetManagedPrefixListEntries')))).toMatchObject({
      status: 'ERROR',
      evidence: { action: 'ec2:GetManagedPrefixListEntries' },
    });
  });

  it("reports ERROR, not PASS, for an ALB behind an NLB whose nodes' addresses could not be read", () => {
    const unreadableNodes = albBehindNlb([rule({ cidrs: ['10.0.1.10/32', '10.0.2.10/32'] })], {
      loadBalancer: { networkInterfaces: failed(accessDenied('ec2:DescribeNetworkInterfaces')) },
    }).failing('subnets', 'subnet-lb-a', 'ec2:DescribeSubnets');
    const [result] = onAlb(unreadableNodes);
    expect(result).toMatchObject({ status: 'ERROR', evidence: { action: 'ec2:DescribeNetworkInterfaces' } });
    expect(result?.message).toContain(
      'could not read who connects to ALB orders-alb (behind NLB orders-nlb)',
    );
  });

  describe('an ALB reached by its DNS name (an integration not on a VPC link)', () => {
    /** A REST integration to the ALB's HTTPS:443 listener over the internet: any client can be the sender. */
    const byDnsName = (inbound: IpPermission[]) =>
      albWithRules(inbound, {
        loadBalancer: { scheme: 'internet-facing' },
        stage: {
          integrations: collected([
            aRestIntegration({
              connectionType: 'INTERNET',
              vpcLinkId: undefined,
              uri: 'https://orders-alb-80dc6c495c0c9188.us-east-1.elb.amazonaws.com:443/orders',
              port: 443,
              loadBalancerArns: [ALB_ARN],
            }),
          ]),
        },
      });

    it('fails a group that admits the VPC only: API Gateway connects from the internet', () => {
      const result = onlyResult(
        albSecurityGroupSources,
        byDnsName([rule({ cidrs: ['10.0.0.0/16'] })]).build(),
      );
      expect(result.status).toBe('FAIL');
      expect(result.message).toContain('clients (reached by its DNS name)');
    });

    it('passes the twin whose group admits 443 from anywhere', () => {
      const result = onlyResult(albSecurityGroupSources, byDnsName([rule({ cidrs: ['0.0.0.0/0'] })]).build());
      expect(result.status).toBe('PASS');
    });
  });

  it('skips an NLB', () => {
    expect(onlyResult(albSecurityGroupSources, nlbScenario().build()).status).toBe('SKIPPED');
  });

  it('reports ERROR naming the action when listeners, a security group or a link subnet could not be read', () => {
    const noListeners = albPath({
      loadBalancer: { listeners: failed(accessDenied('elasticloadbalancing:DescribeListeners')) },
    });
    expect(onlyResult(albSecurityGroupSources, noListeners.build()).status).toBe('ERROR');
    const noGroup = albPath().failing('securityGroups', 'sg-alb', 'ec2:DescribeSecurityGroups');
    expect(onlyResult(albSecurityGroupSources, noGroup.build()).evidence).toMatchObject({
      action: 'ec2:DescribeSecurityGroups',
    });
    const noSubnet = albWithRules([rule({ cidrs: ['10.0.0.0/16'] })]).failing(
      'subnets',
      'subnet-link-a',
      'ec2:DescribeSubnets',
    );
    expect(onlyResult(albSecurityGroupSources, noSubnet.build()).evidence).toMatchObject({
      action: 'ec2:DescribeSubnets',
    });
  });
});
