import { albSecurityGroupSources } from '../../../lambda/checks/alb-security-group-sources';
import { collected, failed, type IpPermission } from '../../../lambda/domain/types';
import {
  ALB_ARN,
  accessDenied,
  albScenario,
  LISTENER_ARN,
  nlbScenario,
  onlyResult,
  TG_ARN,
} from '../../support/inventory-builders';

const rule = (overrides: Partial<IpPermission>): IpPermission => ({
  protocol: 'tcp',
  fromPort: 443,
  toPort: 443,
  cidrs: [],
  ipv6Cidrs: [],
  sourceSecurityGroupIds: [],
  prefixListIds: [],
  ...overrides,
});
const albWithRules = (inbound: IpPermission[]) =>
  albScenario().with('securityGroups', 'sg-alb', { id: 'sg-alb', name: 'alb', vpcId: 'vpc-1', inbound });

describe('alb-security-group-sources', () => {
  it('passes an ALB whose security group allows the listener port from all sources', () => {
    const result = onlyResult(albSecurityGroupSources, albScenario().build());
    expect(result).toMatchObject({ status: 'PASS', resourceArn: ALB_ARN });
    expect(result.message).toContain('443 (sg-alb allows 0.0.0.0/0)');
  });

  it("passes a rule from the VPC CIDR or from the VPC link's security group", () => {
    expect(
      onlyResult(albSecurityGroupSources, albWithRules([rule({ cidrs: ['10.0.0.0/16'] })]).build()).status,
    ).toBe('PASS');
    const fromLink = albWithRules([rule({ sourceSecurityGroupIds: ['sg-link'] })]);
    expect(onlyResult(albSecurityGroupSources, fromLink.build()).status).toBe('PASS');
  });

  it("judges only the listener the API's traffic reaches, not another service's on the same ALB", () => {
    // Arrange: a second listener on 8443 that the security group does not admit, for another service.
    const inventory = albScenario({
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

  it('skips an ALB none of whose listeners the traffic reaches (integration-listener reports it)', () => {
    const inventory = albScenario({
      loadBalancer: {
        listeners: collected([{ arn: 'other', port: 8443, protocol: 'HTTPS', targetGroupArns: [] }]),
      },
    }).build();
    expect(onlyResult(albSecurityGroupSources, inventory).status).toBe('SKIPPED');
  });

  it('fails an ALB that admits the listener port only from elsewhere, naming the port', () => {
    const result = onlyResult(
      albSecurityGroupSources,
      albWithRules([rule({ cidrs: ['203.0.113.0/24'] })]).build(),
    );
    expect(result.status).toBe('FAIL');
    expect(result.message).toContain('do not allow listener port 443');
    expect(result.evidence).toMatchObject({ blockedPorts: [443] });
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

  it('skips an NLB', () => {
    expect(onlyResult(albSecurityGroupSources, nlbScenario().build()).status).toBe('SKIPPED');
  });

  it('reports ERROR naming the action when listeners, a security group or the VPC could not be read', () => {
    const noListeners = albScenario({
      loadBalancer: { listeners: failed(accessDenied('elasticloadbalancing:DescribeListeners')) },
    });
    expect(onlyResult(albSecurityGroupSources, noListeners.build()).status).toBe('ERROR');
    const noGroup = albScenario().failing('securityGroups', 'sg-alb', 'ec2:DescribeSecurityGroups');
    expect(onlyResult(albSecurityGroupSources, noGroup.build()).evidence).toMatchObject({
      action: 'ec2:DescribeSecurityGroups',
    });
    const noVpc = albWithRules([rule({ cidrs: ['10.0.0.0/16'] })]).failing(
      'vpcs',
      'vpc-1',
      'ec2:DescribeVpcs',
    );
    expect(onlyResult(albSecurityGroupSources, noVpc.build()).evidence).toMatchObject({
      action: 'ec2:DescribeVpcs',
    });
  });
});
