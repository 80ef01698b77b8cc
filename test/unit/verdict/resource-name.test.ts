import { resourceName } from '../../../lambda/verdict/resource-name';

describe('resourceName', () => {
  // ARN formats from the Service Authorization Reference's resource types of each service.
  it.each([
    [
      'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/orders-tg/73e2d6bc24d8a067',
      'orders-tg',
    ],
    [
      'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/orders-nlb/50dc6c495c0c9188',
      'orders-nlb',
    ],
    [
      'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/orders-alb/80dc6c495c0c9188/f2f7dc8efc522ab2',
      'orders-alb',
    ],
    ['arn:aws:apigateway:us-east-1::/restapis/a1b2c3/stages/prod', 'stages/prod'],
    ['arn:aws:apigateway:us-east-1::/apis/h1t2p3/integrations/int123', 'integrations/int123'],
    ['arn:aws:apigateway:us-east-1::/vpclinks/vl-orders', 'vl-orders'],
    ['arn:aws:ec2:us-east-1:123456789012:security-group/sg-0abc', 'sg-0abc'],
  ])('names %s %s', (arn, name) => {
    expect(resourceName(arn)).toBe(name);
  });

  it('keeps what it has when an ARN stops short of the name', () => {
    expect(resourceName('arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup')).toBe(
      'targetgroup',
    );
    expect(resourceName('arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net')).toBe(
      'loadbalancer/net',
    );
    // No resource part at all (the account-level ERROR of a crashed check): the ARN itself.
    expect(resourceName('arn:aws:apigateway:us-east-1::/')).toBe('/');
    expect(resourceName('not-an-arn')).toBe('not-an-arn');
  });
});
