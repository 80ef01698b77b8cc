import { nlbTargetSecurityGroups } from '../../../lambda/checks/nlb-target-security-groups';
import {
  type Collected,
  collected,
  failed,
  type IpPermission,
  ipTargetKey,
} from '../../../lambda/domain/types';
import {
  accessDenied,
  albScenario,
  anInstance,
  anIpPermission,
  anIpTargetInterface,
  aRestIntegration,
  aSecurityGroup,
  aTarget,
  NLB_ARN,
  nlbScenario,
  type Overrides,
  resultsOf,
  TG_ARN,
  VPC_ID,
} from '../../support/inventory-builders';

const rule = (overrides: Overrides<IpPermission>): IpPermission =>
  anIpPermission({ fromPort: 8080, toPort: 8080, ...overrides });
const withRules = (inbound: IpPermission[], extra: Parameters<typeof nlbScenario>[0] = {}) =>
  nlbScenario({ securityGroup: { inbound }, ...extra });
const statuses = (builder: ReturnType<typeof nlbScenario>) =>
  resultsOf(nlbTargetSecurityGroups, builder.build()).map((result) => result.status);

describe('nlb-target-security-groups', () => {
  it('passes instances whose security group allows the target port from the VPC CIDR', () => {
    const results = resultsOf(nlbTargetSecurityGroups, nlbScenario().build());
    expect(results.map((r) => r.status)).toEqual(['PASS', 'PASS']);
    expect(results[0]).toMatchObject({
      resourceArn: 'arn:aws:ec2:us-east-1:123456789012:instance/i-0a1',
      resourceType: 'AWS::EC2::Instance',
    });
    expect(results[0]?.message).toContain('accepts tcp/8080 from NLB orders-nlb nodes');
    expect(results[0]?.message).toContain(
      'node in us-east-1b 10.0.2.10 (sg-web allows 10.0.0.0/16 tcp/8080)',
    );
  });

  it.each([
    ['all sources', rule({ cidrs: ['0.0.0.0/0'] })],
    ["the NLB's private IP", rule({ cidrs: ['10.0.1.10/32', '10.0.2.10/32'] })],
    [
      'all traffic (protocol -1)',
      rule({ protocol: '-1', fromPort: undefined, toPort: undefined, cidrs: ['0.0.0.0/0'] }),
    ],
    ['a port range holding the port', rule({ fromPort: 8000, toPort: 9000, cidrs: ['10.0.0.0/8'] })],
  ])('passes a rule that allows the port from %s', (_name, permission) => {
    expect(statuses(withRules([permission]))).toEqual(['PASS', 'PASS']);
  });

  it("passes a rule that references the NLB's own security group", () => {
    // The NLB's own groups do not filter the V1 link's PrivateLink traffic here (enforcement off).
    const builder = withRules([rule({ sourceSecurityGroupIds: ['sg-nlb'] })], {
      loadBalancer: { securityGroupIds: ['sg-nlb'], privateLinkInboundRules: 'off' },
    }).with('securityGroups', 'sg-nlb', aSecurityGroup({ id: 'sg-nlb', inbound: [] }));
    expect(statuses(builder)).toEqual(['PASS', 'PASS', 'PASS']);
  });

  it('fails the security group that blocks the targets, once for all of them, naming senders, port, zones and targets', () => {
    // Arrange
    const builder = withRules([
      rule({ fromPort: 443, toPort: 443, cidrs: ['0.0.0.0/0'] }),
      rule({ cidrs: ['192.168.0.0/16'] }),
    ]);
    // Act
    const results = resultsOf(nlbTargetSecurityGroups, builder.build());
    // Assert
    expect(results).toEqual([
      expect.objectContaining({
        status: 'FAIL',
        resourceArn: 'arn:aws:ec2:us-east-1:123456789012:security-group/sg-web',
        resourceType: 'AWS::EC2::SecurityGroup',
      }),
    ]);
    expect(results[0]?.message).toBe(
      'security group sg-web of the targets blocks NLB orders-nlb node in us-east-1a 10.0.1.10 and NLB orders-nlb node in us-east-1b 10.0.2.10 on tcp/8080 (NLB orders-nlb nodes): instance i-0a1, instance i-0b2 of target group orders-tg (NLB orders-nlb)',
    );
    expect(results[0]?.evidence).toMatchObject({ blockedZones: ['us-east-1a', 'us-east-1b'] });
  });

  describe('targets in two security groups', () => {
    /** One target, i-0a1, in sg-web and sg-extra; sg-extra admits what `extra` says. */
    const inTwoGroups = (extra: IpPermission[]) =>
      withRules([rule({ cidrs: ['192.168.0.0/16'] })], {
        targetGroup: { targets: collected([aTarget({ id: 'i-0a1' })]) },
      })
        .with('instances', 'i-0a1', anInstance({ securityGroupIds: ['sg-web', 'sg-extra'] }))
        .with(
          'securityGroups',
          'sg-extra',
          aSecurityGroup({ id: 'sg-extra', name: 'extra', inbound: extra }),
        );

    it('fails once on the first group when no group admits the NLB, naming both', () => {
      const results = resultsOf(nlbTargetSecurityGroups, inTwoGroups([]).build());
      expect(results).toEqual([
        expect.objectContaining({
          status: 'FAIL',
          resourceArn: 'arn:aws:ec2:us-east-1:123456789012:security-group/sg-web',
          evidence: expect.objectContaining({ securityGroups: ['sg-web', 'sg-extra'] }),
        }),
      ]);
      expect(results[0]?.message).toMatch(
        /^security groups sg-web, sg-extra of the targets block NLB orders-nlb node/,
      );
    });

    it('passes when the other group admits the NLB (rules of all groups add up)', () => {
      expect(statuses(inTwoGroups([rule({ cidrs: ['10.0.0.0/16'] })]))).toEqual(['PASS']);
    });
  });

  it("checks the target's own port when it differs from the target group's", () => {
    const builder = nlbScenario({
      targetGroup: { targets: collected([aTarget({ id: 'i-0a1', port: 9090 })]) },
    });
    expect(statuses(builder)).toEqual(['FAIL']);
  });

  it('ignores UDP rules', () => {
    expect(statuses(withRules([rule({ protocol: 'udp', cidrs: ['0.0.0.0/0'] })]))).toEqual(['FAIL']);
  });

  it('skips an ALB', () => {
    expect(resultsOf(nlbTargetSecurityGroups, albScenario().build()).map((r) => r.status)).toEqual([
      'SKIPPED',
    ]);
  });

  describe('ip targets (Fargate tasks, other interfaces): the security groups of the interface that holds the address', () => {
    const TASK_ARN = 'arn:aws:ec2:us-east-1:123456789012:network-interface/eni-task-b';
    /** An ip target group (TCP: client IP preservation off by default) with one task in us-east-1b. */
    const fargate = (inbound: IpPermission[], extra: Parameters<typeof nlbScenario>[0] = {}) =>
      withRules(inbound, {
        targetGroup: {
          targetType: 'ip',
          targets: collected([aTarget({ id: '10.0.12.40', availabilityZone: undefined })]),
        },
        ...extra,
      }).with('ipTargetInterfaces', ipTargetKey(VPC_ID, '10.0.12.40'), anIpTargetInterface());

    it('fails a task whose group admits only an unrelated CIDR, naming the blocked sources and zones', () => {
      // Arrange: the task's group admits 8080 from an office range only
      const builder = fargate([rule({ cidrs: ['192.168.50.0/24'] })]);
      // Act
      const results = resultsOf(nlbTargetSecurityGroups, builder.build());
      // Assert: both NLB nodes (cross-zone on) are blocked, each named with its zone
      expect(results).toEqual([
        expect.objectContaining({
          status: 'FAIL',
          resourceArn: 'arn:aws:ec2:us-east-1:123456789012:security-group/sg-web',
          resourceType: 'AWS::EC2::SecurityGroup',
        }),
      ]);
      expect(results[0]?.message).toContain(
        'ip target 10.0.12.40 (eni-task-b) of target group orders-tg (NLB orders-nlb)',
      );
      expect(results[0]?.message).toContain('NLB orders-nlb node in us-east-1a 10.0.1.10');
      expect(results[0]?.evidence).toMatchObject({
        targets: [TASK_ARN],
        blockedZones: ['us-east-1a', 'us-east-1b'],
      });
    });

    it('passes a task whose group admits the NLB subnets (its twin)', () => {
      const results = resultsOf(
        nlbTargetSecurityGroups,
        fargate([rule({ cidrs: ['10.0.1.0/24', '10.0.2.0/24'] })]).build(),
      );
      expect(results).toEqual([expect.objectContaining({ status: 'PASS', resourceArn: TASK_ARN })]);
    });

    it('judges the task against its own zone’s node only with cross-zone off', () => {
      const builder = fargate([rule({ cidrs: ['10.0.2.0/24'] })], {
        loadBalancer: { attributes: collected({ 'load_balancing.cross_zone.enabled': 'false' }) },
      });
      expect(statuses(builder)).toEqual(['PASS']);
    });

    it('judges the clients when the target group preserves client IPs (the attribute wins over the ip default)', () => {
      // Arrange: an integration straight to the NLB's DNS name, no VPC link: with preservation on, any client
      const builder = fargate([rule({ cidrs: ['10.0.0.0/16'] })], {
        stage: {
          integrations: collected([
            aRestIntegration({
              connectionType: 'INTERNET',
              vpcLinkId: undefined,
              loadBalancerArns: [NLB_ARN],
            }),
          ]),
        },
        targetGroup: {
          targetType: 'ip',
          targets: collected([aTarget({ id: '10.0.12.40', availabilityZone: undefined })]),
          attributes: collected({ 'preserve_client_ip.enabled': 'true' }),
        },
      });
      const results = resultsOf(nlbTargetSecurityGroups, builder.build());
      expect(results.map((result) => result.status)).toEqual(['FAIL']);
      expect(results[0]?.message).toContain('clients (client IP preserved)');
    });

    it('skips an ip target outside the VPC at that target, with the reason', () => {
      const builder = fargate([rule({ cidrs: ['0.0.0.0/0'] })]).with(
        'ipTargetInterfaces',
        ipTargetKey(VPC_ID, '10.0.12.40'),
        collected(null),
      );
      const results = resultsOf(nlbTargetSecurityGroups, builder.build());
      expect(results).toEqual([
        expect.objectContaining({
          status: 'SKIPPED',
          resourceArn: TG_ARN,
          evidence: { targets: ['10.0.12.40'] },
        }),
      ]);
      expect(results[0]?.message).toContain(
        'ip target 10.0.12.40 of target group orders-tg lies outside vpc-1',
      );
    });

    it('names every ip target outside the VPC in one SKIPPED, in the plural', () => {
      const builder = withRules([rule({ cidrs: ['0.0.0.0/0'] })], {
        targetGroup: {
          targetType: 'ip',
          targets: collected([
            aTarget({ id: '172.16.0.5', availabilityZone: 'all' }),
            aTarget({ id: '172.16.0.6', availabilityZone: 'all' }),
          ]),
        },
      })
        .with('ipTargetInterfaces', ipTargetKey(VPC_ID, '172.16.0.5'), collected(null))
        .with('ipTargetInterfaces', ipTargetKey(VPC_ID, '172.16.0.6'), collected(null));
      const results = resultsOf(nlbTargetSecurityGroups, builder.build());
      expect(results).toEqual([
        expect.objectContaining({ status: 'SKIPPED', evidence: { targets: ['172.16.0.5', '172.16.0.6'] } }),
      ]);
      expect(results[0]?.message).toContain(
        'ip targets 172.16.0.5, 172.16.0.6 of target group orders-tg lie outside vpc-1 (no network interface there holds the address: a peered VPC or on premises): their security groups cannot be read from here',
      );
    });

    it('reports ERROR when the interfaces could not be read', () => {
      const builder = fargate([rule({ cidrs: ['0.0.0.0/0'] })]).failing(
        'ipTargetInterfaces',
        ipTargetKey(VPC_ID, '10.0.12.40'),
        'ec2:DescribeNetworkInterfaces',
      );
      expect(resultsOf(nlbTargetSecurityGroups, builder.build())).toEqual([
        expect.objectContaining({
          status: 'ERROR',
          evidence: { action: 'ec2:DescribeNetworkInterfaces', code: 'AccessDenied' },
        }),
      ]);
    });
  });

  it('reports ERROR naming the action when an instance or its security group could not be read', () => {
    const noInstance = resultsOf(
      nlbTargetSecurityGroups,
      nlbScenario().failing('instances', 'i-0a1', 'ec2:DescribeInstances').build(),
    );
    expect(noInstance[0]).toMatchObject({ status: 'ERROR', evidence: { action: 'ec2:DescribeInstances' } });
    const noGroup = resultsOf(
      nlbTargetSecurityGroups,
      nlbScenario().failing('securityGroups', 'sg-web', 'ec2:DescribeSecurityGroups').build(),
    );
    expect(noGroup.map((r) => r.status)).toEqual(['ERROR', 'ERROR']);
    const noTargets = nlbScenario({
      targetGroup: { targets: failed(accessDenied('elasticloadbalancing:DescribeTargetHealth')) },
    });
    expect(resultsOf(nlbTargetSecurityGroups, noTargets.build())[0]?.status).toBe('ERROR');
  });

  it("reports ERROR rather than FAIL when no rule matched and the NLB's addresses could not be read", () => {
    const builder = withRules([rule({ cidrs: ['10.0.1.10/32'] })], {
      loadBalancer: { networkInterfaces: failed(accessDenied('ec2:DescribeNetworkInterfaces')) },
      vpc: { cidrs: [] },
    });
    const results = resultsOf(nlbTargetSecurityGroups, builder.build());
    expect(results[0]).toMatchObject({
      status: 'ERROR',
      evidence: { action: 'ec2:DescribeNetworkInterfaces' },
    });
    expect(results[0]?.message).toContain(`the addresses NLB orders-nlb connects from`);
  });

  it("stands in the NLB's subnets for unreadable interfaces: PASS when a rule admits them, ERROR otherwise", () => {
    const unreadable = { networkInterfaces: failed(accessDenied('ec2:DescribeNetworkInterfaces')) };
    const subnets = (builder: ReturnType<typeof nlbScenario>) =>
      builder
        .with('subnets', 'subnet-lb-a', {
          id: 'subnet-lb-a',
          vpcId: 'vpc-1',
          cidr: '10.0.1.0/24',
          availabilityZone: 'us-east-1a',
        })
        .with('subnets', 'subnet-lb-b', {
          id: 'subnet-lb-b',
          vpcId: 'vpc-1',
          cidr: '10.0.2.0/24',
          availabilityZone: 'us-east-1b',
        });
    expect(statuses(subnets(nlbScenario({ loadBalancer: unreadable })))).toEqual(['PASS', 'PASS']);
    const narrow = subnets(
      withRules([rule({ cidrs: ['10.0.1.10/32', '10.0.2.10/32'] })], { loadBalancer: unreadable }),
    );
    expect(statuses(narrow)).toEqual(['ERROR', 'ERROR']);
  });

  it('fails, naming the zone, when a rule admits one zone’s NLB node only and cross-zone is on', () => {
    // Arrange: cross-zone on (the builder's default): both nodes send to every target.
    const builder = withRules([rule({ cidrs: ['10.0.1.0/24'] })]);
    // Act
    const results = resultsOf(nlbTargetSecurityGroups, builder.build());
    // Assert
    expect(results.map((result) => result.status)).toEqual(['FAIL']);
    expect(results[0]?.message).toContain('blocks NLB orders-nlb node in us-east-1b 10.0.2.10 on tcp/8080');
    expect(results[0]?.evidence).toMatchObject({ blockedZones: ['us-east-1b'] });
  });

  it('passes the same rule when cross-zone is off: each target hears only its own zone’s node (its twin)', () => {
    const builder = withRules([rule({ cidrs: ['10.0.1.0/24'] })], {
      loadBalancer: { attributes: collected({ 'load_balancing.cross_zone.enabled': 'false' }) },
      targetGroup: { targets: collected([aTarget({ id: 'i-0a1', availabilityZone: 'us-east-1a' })]) },
    });
    expect(statuses(builder)).toEqual(['PASS']);
  });

  it('judges the VPC link’s subnets, not the NLB, through a V2 link with client IP preservation on', () => {
    // Arrange: an HTTP API's V2 link in 10.0.10.0/24 and 10.0.11.0/24; instance targets preserve client IPs.
    const v2 = (inbound: IpPermission[]) =>
      withRules(inbound, {
        stage: {
          integrations: collected([aRestIntegration({ vpcLinkVersion: 'V2', integrationTarget: NLB_ARN })]),
        },
        vpcLink: { version: 'V2', targetArns: [], subnetIds: ['subnet-link-a', 'subnet-link-b'] },
      })
        .with('subnets', 'subnet-link-a', {
          id: 'subnet-link-a',
          vpcId: 'vpc-1',
          cidr: '10.0.10.0/24',
          availabilityZone: 'us-east-1a',
        })
        .with('subnets', 'subnet-link-b', {
          id: 'subnet-link-b',
          vpcId: 'vpc-1',
          cidr: '10.0.11.0/24',
          availabilityZone: 'us-east-1b',
        });
    // Act / Assert: admitting only the NLB's nodes drops every API connection (health checks still pass)
    const nodesOnly = resultsOf(
      nlbTargetSecurityGroups,
      v2([rule({ cidrs: ['10.0.1.10/32', '10.0.2.10/32'] })]).build(),
    );
    expect(nodesOnly.map((result) => result.status)).toEqual(['FAIL']);
    expect(nodesOnly[0]?.message).toContain('VPC link interfaces (client IP preserved)');
    expect(statuses(v2([rule({ cidrs: ['10.0.10.0/23'] })]))).toEqual(['PASS', 'PASS']);
  });

  it('admits sources through a managed prefix list, and cannot tell when the list is unreadable', () => {
    const withList = (entries: Collected<string[]>) => {
      const inventory = withRules([rule({ prefixListIds: ['pl-0123'] })]).build();
      return resultsOf(nlbTargetSecurityGroups, { ...inventory, prefixLists: { 'pl-0123': entries } });
    };
    expect(withList(collected(['10.0.0.0/16'])).map((result) => result.status)).toEqual(['PASS', 'PASS']);
    expect(
      withList(failed(accessDenied('ec2:GetManagedPrefixListEntries'))).map((result) => result.status),
    ).toEqual(['ERROR', 'ERROR']);
  });
});
