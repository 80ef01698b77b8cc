import { nlbTargetSecurityGroups } from '../../../lambda/checks/nlb-target-security-groups';
import { collected, failed, type IpPermission } from '../../../lambda/domain/types';
import {
  accessDenied,
  albScenario,
  aTarget,
  nlbScenario,
  resultsOf,
  TG_ARN,
} from '../../support/inventory-builders';

const rule = (overrides: Partial<IpPermission>): IpPermission => ({
  protocol: 'tcp',
  fromPort: 8080,
  toPort: 8080,
  cidrs: [],
  ipv6Cidrs: [],
  sourceSecurityGroupIds: [],
  prefixListIds: [],
  ...overrides,
});
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
    expect(results[0]?.message).toContain('accepts tcp/8080: sg-web allows 10.0.0.0/16');
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
    const builder = withRules([rule({ sourceSecurityGroupIds: ['sg-nlb'] })], {
      loadBalancer: { securityGroupIds: ['sg-nlb'] },
    });
    expect(statuses(builder)).toEqual(['PASS', 'PASS']);
  });

  it('fails targets whose security groups allow another port or a narrow source only', () => {
    // Arrange
    const builder = withRules([
      rule({ fromPort: 443, toPort: 443, cidrs: ['0.0.0.0/0'] }),
      rule({ cidrs: ['192.168.0.0/16'] }),
    ]);
    // Act
    const results = resultsOf(nlbTargetSecurityGroups, builder.build());
    // Assert
    expect(results.map((r) => r.status)).toEqual(['FAIL', 'FAIL']);
    expect(results[0]?.message).toBe(
      "security groups sg-web of instance i-0a1 (target group orders-tg of NLB orders-nlb) do not allow tcp/8080 from all sources, the NLB's private IPs, the VPC CIDR or the NLB's security groups",
    );
  });

  it("checks the target's own port when it differs from the target group's", () => {
    const builder = nlbScenario({
      targetGroup: { targets: collected([aTarget({ id: 'i-0a1', port: 9090 })]) },
    });
    expect(statuses(builder)).toEqual(['FAIL']);
  });

  it('ignores UDP rules', () => {
    expect(statuses(withRules([rule({ protocol: 'udp', cidrs: ['0.0.0.0/0'] })]))).toEqual(['FAIL', 'FAIL']);
  });

  it('skips an ALB and IP target groups', () => {
    expect(resultsOf(nlbTargetSecurityGroups, albScenario().build()).map((r) => r.status)).toEqual([
      'SKIPPED',
    ]);
    const ipTargets = resultsOf(
      nlbTargetSecurityGroups,
      nlbScenario({ targetGroup: { targetType: 'ip' } }).build(),
    );
    expect(ipTargets).toEqual([expect.objectContaining({ status: 'SKIPPED', resourceArn: TG_ARN })]);
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

  it('still passes on the VPC CIDR when the VPC is known but the interfaces are not', () => {
    const builder = nlbScenario({
      loadBalancer: { networkInterfaces: failed(accessDenied('ec2:DescribeNetworkInterfaces')) },
    });
    expect(statuses(builder)).toEqual(['PASS', 'PASS']);
    const unknownVpc = withRules([rule({ cidrs: ['172.16.0.0/12'] })]).failing(
      'vpcs',
      'vpc-1',
      'ec2:DescribeVpcs',
    );
    expect(statuses(unknownVpc)).toEqual(['ERROR', 'ERROR']);
  });
});
