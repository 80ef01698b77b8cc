import { subnetNetworkAcls } from '../../../lambda/checks/subnet-network-acls';
import { collected, failed, type NetworkAclEntry } from '../../../lambda/domain/types';
import {
  accessDenied,
  allowAllAclEntries,
  aRestIntegration,
  aTarget,
  NLB_ARN,
  nlbScenario,
  onlyResult,
  resultsOf,
  TG_ARN,
} from '../../support/inventory-builders';

const ACL_ARN = (id: string) => `arn:aws:ec2:us-east-1:123456789012:network-acl/${id}`;
const entry = (overrides: Partial<NetworkAclEntry>): NetworkAclEntry => ({
  ruleNumber: 100,
  egress: false,
  protocol: '6',
  action: 'allow',
  cidr: '0.0.0.0/0',
  ...overrides,
});

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
      'outbound tcp/1024-65535 to 10.0.1.0/24 in subnet-app-a (return traffic): return traffic blocked: ports 1024-65535 of 1024-65535 denied (100% of the range) by no matching rule (default deny)',
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

  it('finds the subnet of an IP target by its address', () => {
    const builder = nlbScenario({
      targetGroup: {
        targetType: 'ip',
        targets: collected([aTarget({ id: '10.0.12.40', availabilityZone: 'us-east-1b' })]),
      },
    }).with('networkAclsBySubnet', 'subnet-app-b', { id: 'acl-empty', entries: [] });
    const results = resultsOf(subnetNetworkAcls, builder.build());
    expect(results.find((result) => result.resourceArn === ACL_ARN('acl-empty'))?.status).toBe('FAIL');
  });

  it('ignores an IP target outside every known subnet', () => {
    const builder = nlbScenario({
      targetGroup: {
        targetType: 'ip',
        targets: collected([aTarget({ id: '192.168.5.5', availabilityZone: 'all' })]),
      },
    });
    expect(resultsOf(subnetNetworkAcls, builder.build())).toEqual([
      expect.objectContaining({ status: 'SKIPPED', resourceArn: NLB_ARN }),
    ]);
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
