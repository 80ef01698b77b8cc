import { subnetNetworkAcls } from '../../../lambda/checks/subnet-network-acls';
import {
  collected,
  failed,
  type IpTargetInterfaceFacts,
  ipTargetKey,
  type NetworkAclEntry,
} from '../../../lambda/domain/types';
import {
  accessDenied,
  albScenario,
  allowAllAclEntries,
  aNetworkAcl,
  anIpTargetInterface,
  aRestIntegration,
  aTarget,
  NLB_ARN,
  nlbScenario,
  type Overrides,
  onlyResult,
  resultsOf,
  TG_ARN,
  VPC_ID,
  withOverrides,
} from '../../support/inventory-builders';

const ACL_ARN = (id: string) => `arn:aws:ec2:us-east-1:123456789012:network-acl/${id}`;
const entry = (overrides: Overrides<NetworkAclEntry>): NetworkAclEntry =>
  withOverrides<NetworkAclEntry>(
    { ruleNumber: 100, egress: false, protocol: '6', action: 'allow', cidr: '0.0.0.0/0' },
    overrides,
  );

describe('subnet-network-acls', () => {
  it('passes ACLs that allow everything, as one finding per ACL', () => {
    const result = onlyResult(subnetNetworkAcls, nlbScenario().build());
    expect(result).toMatchObject({
      status: 'PASS',
      resourceArn: ACL_ARN('acl-1'),
      resourceType: 'AWS::EC2::NetworkAcl',
    });
    expect(result.evidence).toMatchObject({
      subnets: ['subnet-app-a', 'subnet-app-b', 'subnet-lb-a', 'subnet-lb-b'],
    });
  });

  it('fails the ACL of a target subnet that denies the target port from the load balancer, naming the rule', () => {
    // Arrange: rule 90 denies 8080 from the VPC before rule 100 allows all
    const denying = {
      id: 'acl-app-b',
      entries: [
        entry({ ruleNumber: 90, action: 'deny', cidr: '10.0.0.0/16', fromPort: 8080, toPort: 8080 }),
        ...allowAllAclEntries(),
      ],
    };
    const inventory = nlbScenario().with('networkAclsBySubnet', 'subnet-app-b', denying).build();
    // Act
    const results = resultsOf(subnetNetworkAcls, inventory);
    // Assert
    const failing = results.find((result) => result.resourceArn === ACL_ARN('acl-app-b'));
    expect(failing?.status).toBe('FAIL');
    expect(failing?.message).toContain(
      'inbound tcp/8080 from 10.0.1.0/24 in subnet-app-b (load balancer to target): rule 90 deny 10.0.0.0/16',
    );
    expect(results.find((result) => result.resourceArn === ACL_ARN('acl-1'))?.status).toBe('PASS');
  });

  it('fails an ACL that does not allow the ephemeral return ports (default deny)', () => {
    const noReturn = {
      id: 'acl-app-a',
      entries: [entry({ fromPort: 8080, toPort: 8080 }), entry({ egress: true, fromPort: 443, toPort: 443 })],
    };
    const results = resultsOf(
      subnetNetworkAcls,
      nlbScenario().with('networkAclsBySubnet', 'subnet-app-a', noReturn).build(),
    );
    const failing = results.find((result) => result.resourceArn === ACL_ARN('acl-app-a'));
    expect(failing?.message).toContain(
      'outbound tcp/1024-65535 to 10.0.1.0/24 in subnet-app-a (return traffic, load balancer to target): return traffic blocked: ports 1024-65535 of 1024-65535 denied (100% of the range) by no matching rule (default deny)',
    );
  });

  it('passes a hardened ACL that denies 3389 from anywhere before allowing everything (its twin)', () => {
    // AWS's ephemeral-ports page allows denying "malicious ports" inside 1024-65535 before the allow.
    const hardened = {
      id: 'acl-app-a',
      entries: [
        entry({ ruleNumber: 50, action: 'deny', fromPort: 3389, toPort: 3389 }),
        entry({ ruleNumber: 51, egress: true, action: 'deny', fromPort: 3389, toPort: 3389 }),
        ...allowAllAclEntries(),
      ],
    };
    const results = resultsOf(
      subnetNetworkAcls,
      nlbScenario().with('networkAclsBySubnet', 'subnet-app-a', hardened).build(),
    );
    const acl = results.find((result) => result.resourceArn === ACL_ARN('acl-app-a'));
    expect(acl?.status).toBe('PASS');
  });

  it('does not apply ACLs to traffic that stays within one subnet', () => {
    // Arrange: the only target sits in the load balancer's own subnet, whose ACL denies everything
    const builder = nlbScenario({
      loadBalancer: { zones: [{ zoneName: 'us-east-1a', subnetId: 'subnet-app-a' }] },
      networkAcl: { entries: [] },
      targetGroup: { targets: collected([aTarget({ id: 'i-0a1' })]) },
    });
    // Act
    const results = resultsOf(subnetNetworkAcls, builder.build());

    // Assert: no traffic crosses a subnet boundary, so no ACL applies (and nothing passes unseen)
    expect(results).toEqual([expect.objectContaining({ status: 'SKIPPED', resourceArn: NLB_ARN })]);
    expect(results[0]?.message).toContain('crosses a subnet boundary');
  });

  describe('ip targets (Fargate tasks, other interfaces): the subnet of the interface that holds the address', () => {
    const fargate = (interfaces: Record<string, IpTargetInterfaceFacts | null>) => {
      const builder = nlbScenario({
        targetGroup: {
          targetType: 'ip',
          targets: collected(
            Object.keys(interfaces).map((id) => aTarget({ id, availabilityZone: undefined })),
          ),
        },
      });
      for (const [address, eni] of Object.entries(interfaces)) {
        builder.with('ipTargetInterfaces', ipTargetKey(VPC_ID, address), collected(eni));
      }
      return builder;
    };

    it('fails a deny-all ACL on the Fargate subnet, naming the subnet and the blocked direction', () => {
      // Arrange: the task's interface sits in subnet-app-b, whose ACL has no rule (everything denied)
      const builder = fargate({ '10.0.12.40': anIpTargetInterface() }).with(
        'networkAclsBySubnet',
        'subnet-app-b',
        { id: 'acl-fargate', entries: [] },
      );
      // Act
      const results = resultsOf(subnetNetworkAcls, builder.build());
      // Assert
      const acl = results.find((result) => result.resourceArn === ACL_ARN('acl-fargate'));
      expect(acl?.status).toBe('FAIL');
      expect(acl?.message).toContain(
        'inbound tcp/8080 from 10.0.1.0/24 in subnet-app-b (load balancer to target): no matching rule (default deny)',
      );
    });

    it('passes the default ACL on the Fargate subnet (its twin)', () => {
      const results = resultsOf(subnetNetworkAcls, fargate({ '10.0.12.40': anIpTargetInterface() }).build());
      expect(results).toEqual([expect.objectContaining({ status: 'PASS', resourceArn: ACL_ARN('acl-1') })]);
      expect(results[0]?.evidence).toMatchObject({ subnets: ['subnet-app-b', 'subnet-lb-a', 'subnet-lb-b'] });
    });

    it('skips an ip target outside the VPC at its target group, judging no ACL for it', () => {
      const results = resultsOf(
        subnetNetworkAcls,
        fargate({ '192.168.5.5': null })
          .with('networkAclsBySubnet', 'subnet-lb-a', { id: 'acl-empty', entries: [] })
          .build(),
      );
      expect(results).toEqual([
        expect.objectContaining({ status: 'SKIPPED', resourceArn: TG_ARN }),
        expect.objectContaining({ status: 'SKIPPED', resourceArn: NLB_ARN }),
      ]);
      expect(results[0]?.message).toContain(
        'ip targets 192.168.5.5 of target group orders-tg lie outside vpc-1',
      );
    });

    it('reports ERROR when the interfaces could not be read', () => {
      const builder = fargate({ '10.0.12.40': anIpTargetInterface() }).failing(
        'ipTargetInterfaces',
        ipTargetKey(VPC_ID, '10.0.12.40'),
        'ec2:DescribeNetworkInterfaces',
      );
      expect(resultsOf(subnetNetworkAcls, builder.build())).toEqual([
        expect.objectContaining({
          status: 'ERROR',
          resourceArn: TG_ARN,
          evidence: { action: 'ec2:DescribeNetworkInterfaces', code: 'AccessDenied' },
        }),
      ]);
    });
  });

  describe('the leg from a V2 VPC link to the load balancer', () => {
    const LINK_SUBNET = {
      id: 'subnet-link-a',
      vpcId: VPC_ID,
      cidr: '10.0.21.0/24',
      availabilityZone: 'us-east-1a',
    };
    const linked = () =>
      albScenario({ vpcLink: { subnetIds: [LINK_SUBNET.id] } })
        .with('subnets', LINK_SUBNET.id, LINK_SUBNET)
        .with('networkAclsBySubnet', LINK_SUBNET.id, aNetworkAcl({ id: 'acl-link' }));
    const denyingOutbound443 = {
      id: 'acl-link',
      entries: [
        entry({ ruleNumber: 90, egress: true, action: 'deny', fromPort: 443, toPort: 443 }),
        ...allowAllAclEntries(),
      ],
    };

    it('fails a link subnet ACL that denies outbound to the listener port, naming subnet, ACL, direction and peer', () => {
      // Arrange: the link's subnet denies tcp/443 out, before allowing everything
      const builder = linked().with('networkAclsBySubnet', LINK_SUBNET.id, denyingOutbound443);
      // Act
      const results = resultsOf(subnetNetworkAcls, builder.build());
      // Assert: both load balancer subnets are named as blocked peers
      const acl = results.find((result) => result.resourceArn === ACL_ARN('acl-link'));
      expect(acl?.status).toBe('FAIL');
      expect(acl?.message).toContain('network ACL acl-link (subnet-link-a) blocks traffic of ALB orders-alb');
      for (const peer of ['10.0.1.0/24', '10.0.2.0/24']) {
        expect(acl?.message).toContain(
          `outbound tcp/443 to ${peer} in subnet-link-a (VPC link http-link to ALB orders-alb): rule 90 deny 0.0.0.0/0 tcp/443`,
        );
      }
    });

    it('passes the link subnet with an ACL that allows the listener port and the return (its twin)', () => {
      const builder = linked().with('networkAclsBySubnet', LINK_SUBNET.id, aNetworkAcl({ id: 'acl-link' }));
      const acl = resultsOf(subnetNetworkAcls, builder.build()).find(
        (result) => result.resourceArn === ACL_ARN('acl-link'),
      );
      expect(acl?.status).toBe('PASS');
      expect(acl?.evidence).toMatchObject({
        allowed: expect.arrayContaining([
          'outbound tcp/443 to 10.0.1.0/24 in subnet-link-a (VPC link http-link to ALB orders-alb)',
          'inbound tcp/1024-65535 from 10.0.1.0/24 in subnet-link-a (return traffic, VPC link http-link to ALB orders-alb)',
        ]),
      });
    });

    it('fails a load balancer subnet ACL that admits the listener port from the VPC only minus the link subnet', () => {
      // Arrange: the ALB's subnet in us-east-1a allows 443 in from 10.0.0.0/20 only: not the link's 10.0.21.0/24
      const lbAcl = {
        id: 'acl-lb-a',
        entries: [
          entry({ ruleNumber: 100, cidr: '10.0.0.0/20', fromPort: 443, toPort: 443 }),
          entry({ ruleNumber: 110, fromPort: 8080, toPort: 8080 }),
          entry({ ruleNumber: 120, fromPort: 1024, toPort: 65535 }),
          { ruleNumber: 100, egress: true, protocol: '-1', action: 'allow' as const, cidr: '0.0.0.0/0' },
        ],
      };
      const builder = linked().with('networkAclsBySubnet', 'subnet-lb-a', lbAcl);
      const acl = resultsOf(subnetNetworkAcls, builder.build()).find(
        (result) => result.resourceArn === ACL_ARN('acl-lb-a'),
      );
      expect(acl?.status).toBe('FAIL');
      expect(acl?.evidence).toMatchObject({
        blocked: [
          'inbound tcp/443 from 10.0.21.0/24 in subnet-lb-a (VPC link http-link to ALB orders-alb): no matching rule (default deny)',
        ],
      });
    });

    it("judges nothing for a link whose subnets are the load balancer's own", () => {
      // Arrange: a one-zone ALB whose subnet holds the link's interfaces too; its ACL denies 443 out
      const builder = albScenario({
        vpcLink: { subnetIds: ['subnet-lb-a'] },
        loadBalancer: { zones: [{ zoneName: 'us-east-1a', subnetId: 'subnet-lb-a' }] },
      }).with('networkAclsBySubnet', 'subnet-lb-a', denyingOutbound443);
      const acl = resultsOf(subnetNetworkAcls, builder.build()).find(
        (result) => result.resourceArn === ACL_ARN('acl-link'),
      );
      expect(acl?.evidence).toMatchObject({ blocked: [] });
    });
  });

  it('skips a stage without a load balancer', () => {
    const builder = nlbScenario({
      stage: {
        integrations: collected([aRestIntegration({ connectionType: 'INTERNET', vpcLinkId: undefined })]),
      },
    });
    expect(onlyResult(subnetNetworkAcls, builder.build()).status).toBe('SKIPPED');
  });

  it('reports ERROR naming the action when an ACL, a subnet, an instance or the targets could not be read', () => {
    const noAcl = resultsOf(
      subnetNetworkAcls,
      nlbScenario().failing('networkAclsBySubnet', 'subnet-app-a', 'ec2:DescribeNetworkAcls').build(),
    );
    expect(noAcl).toEqual([
      expect.objectContaining({
        status: 'ERROR',
        resourceArn: 'arn:aws:ec2:us-east-1:123456789012:subnet/subnet-app-a',
        evidence: { action: 'ec2:DescribeNetworkAcls', code: 'AccessDenied' },
      }),
    ]);
    const noSubnet = resultsOf(
      subnetNetworkAcls,
      nlbScenario().failing('subnets', 'subnet-lb-a', 'ec2:DescribeSubnets').build(),
    );
    expect(noSubnet[0]?.evidence).toMatchObject({ action: 'ec2:DescribeSubnets' });
    const noInstance = resultsOf(
      subnetNetworkAcls,
      nlbScenario().failing('instances', 'i-0b2', 'ec2:DescribeInstances').build(),
    );
    expect(noInstance[0]).toMatchObject({ status: 'ERROR', resourceType: 'AWS::EC2::Instance' });
    const noTargets = nlbScenario({
      targetGroup: { targets: failed(accessDenied('elasticloadbalancing:DescribeTargetHealth')) },
    });
    expect(resultsOf(subnetNetworkAcls, noTargets.build())[0]?.status).toBe('ERROR');
    const noGroups = nlbScenario().failing(
      'targetGroups',
      TG_ARN,
      'elasticloadbalancing:DescribeTargetGroups',
    );
    expect(resultsOf(subnetNetworkAcls, noGroups.build())[0]?.status).toBe('ERROR');
  });
});

describe('client IP preservation: a V2 link to an NLB with instance targets', () => {
  const LINK_SUBNET = {
    id: 'subnet-link-a',
    vpcId: VPC_ID,
    cidr: '10.0.21.0/24',
    availabilityZone: 'us-east-1a',
  };
  // The targets' ACL admits the NLB's subnets only (10.0.0.0/22), as a rule written for V1 links would.
  const nlbSubnetsOnly = {
    id: 'acl-app',
    entries: [
      entry({ ruleNumber: 100, cidr: '10.0.0.0/22' }),
      entry({ ruleNumber: 100, egress: true, cidr: '10.0.0.0/22' }),
    ],
  };
  const viaV2Link = (targetsAcl: { id: string; entries: NetworkAclEntry[] }) =>
    nlbScenario({
      vpcLink: { version: 'V2', targetArns: [], subnetIds: [LINK_SUBNET.id], securityGroupIds: ['sg-link'] },
      stage: {
        integrations: collected([aRestIntegration({ vpcLinkVersion: 'V2', integrationTarget: NLB_ARN })]),
      },
    })
      .with('subnets', LINK_SUBNET.id, LINK_SUBNET)
      .with('networkAclsBySubnet', LINK_SUBNET.id, aNetworkAcl({ id: 'acl-link' }))
      .with('networkAclsBySubnet', 'subnet-app-a', targetsAcl)
      .with('networkAclsBySubnet', 'subnet-app-b', targetsAcl);

  it("fails the targets' ACL that admits the NLB's subnets but not the link's, which the targets really see (was PASS)", () => {
    const acl = resultsOf(subnetNetworkAcls, viaV2Link(nlbSubnetsOnly).build()).find(
      (result) => result.resourceArn === ACL_ARN('acl-app'),
    );
    expect(acl?.status).toBe('FAIL');
    expect(acl?.message).toContain(
      'inbound tcp/8080 from 10.0.21.0/24 in subnet-app-a (VPC link orders-link to target through NLB orders-nlb (client IP preserved))',
    );
  });

  it("passes the same ACL once it admits the link's subnet too (its twin)", () => {
    const withLink = {
      id: 'acl-app',
      entries: [
        ...nlbSubnetsOnly.entries,
        entry({ ruleNumber: 110, cidr: '10.0.21.0/24' }),
        entry({ ruleNumber: 110, egress: true, cidr: '10.0.21.0/24' }),
      ],
    };
    const acl = resultsOf(subnetNetworkAcls, viaV2Link(withLink).build()).find(
      (result) => result.resourceArn === ACL_ARN('acl-app'),
    );
    expect(acl?.status).toBe('PASS');
  });
});
