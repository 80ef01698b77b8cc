import {
  httpIntegrationArn,
  instanceArn,
  networkAclArn,
  restIntegrationArn,
  securityGroupArn,
  stageArn,
  subnetArn,
  vpcArn,
  vpcLinkArn,
} from '../../../lambda/domain/arns';

describe('resource ARNs', () => {
  it('builds API Gateway ARNs for REST and HTTP stages, integrations and VPC links', () => {
    expect(stageArn({ region: 'eu-west-1', apiId: 'a1', stage: 'prod', apiType: 'REST' })).toBe(
      'arn:aws:apigateway:eu-west-1::/restapis/a1/stages/prod',
    );
    expect(stageArn({ region: 'eu-west-1', apiId: 'h1', stage: '$default', apiType: 'HTTP' })).toBe(
      'arn:aws:apigateway:eu-west-1::/apis/h1/stages/$default',
    );
    expect(restIntegrationArn('eu-west-1', 'a1', 'r1', 'GET')).toBe(
      'arn:aws:apigateway:eu-west-1::/restapis/a1/resources/r1/methods/GET/integration',
    );
    expect(httpIntegrationArn('eu-west-1', 'h1', 'i1')).toBe(
      'arn:aws:apigateway:eu-west-1::/apis/h1/integrations/i1',
    );
    expect(vpcLinkArn('eu-west-1', 'vl1')).toBe('arn:aws:apigateway:eu-west-1::/vpclinks/vl1');
  });

  it('builds EC2 ARNs, leaving the account empty when it is unknown', () => {
    expect(securityGroupArn('us-east-1', '123456789012', 'sg-1')).toBe(
      'arn:aws:ec2:us-east-1:123456789012:security-group/sg-1',
    );
    expect(subnetArn('us-east-1', null, 'subnet-1')).toBe('arn:aws:ec2:us-east-1::subnet/subnet-1');
    expect(vpcArn('us-east-1', '1', 'vpc-1')).toBe('arn:aws:ec2:us-east-1:1:vpc/vpc-1');
    expect(instanceArn('us-east-1', '1', 'i-1')).toBe('arn:aws:ec2:us-east-1:1:instance/i-1');
    expect(networkAclArn('us-east-1', '1', 'acl-1')).toBe('arn:aws:ec2:us-east-1:1:network-acl/acl-1');
  });
});
