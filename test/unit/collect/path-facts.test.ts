import { DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { resolveStageVariables, uriHostAndPort } from '../../../lambda/collect/integration-uri';
import { describeLoadBalancers, loadBalancerMetricDimension } from '../../../lambda/collect/load-balancers';
import { periodCount, periodIndex } from '../../../lambda/collect/metrics';
import { ipInCidr } from '../../../lambda/collect/target-hosts';
import { awsError, recordedClients, WINDOW } from './recorded-clients';

describe('facts read off the path', () => {
  it('places data points in the window period they fall in, and drops those outside it', () => {
    // Arrange
    const start = Date.parse(WINDOW.start);

    // Act
    const indexes = [0, 299_999, 300_000, 3_599_999, 3_600_000, -1].map((offset) =>
      periodIndex(WINDOW, new Date(start + offset)),
    );

    // Assert
    expect(periodCount(WINDOW)).toBe(12);
    expect(indexes).toEqual([0, 0, 1, 11, -1, -1]);
  });

  it('names an NLB’s metric dimension from its type, whatever prefix the ARN carries', () => {
    // Arrange
    const arn =
      'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/orders-nlb/0b5f7a460a01e7a3';

    // Act
    const asNetwork = loadBalancerMetricDimension({ arn, type: 'network' });
    const asApplication = loadBalancerMetricDimension({ arn, type: 'application' });

    // Assert
    expect(asNetwork).toBe('net/orders-nlb/0b5f7a460a01e7a3');
    expect(asApplication).toBe('app/orders-nlb/0b5f7a460a01e7a3');
  });

  it('substitutes stage variables and names the ones a stage lacks', () => {
    // Arrange
    const uri = ['http://$', '{stageVariables.host}:$', '{stageVariables.port}/x'].join('');

    // Act
    const resolved = resolveStageVariables(uri, { host: 'nlb.internal', port: '8443' });
    const unresolved = resolveStageVariables(uri, { host: 'nlb.internal' });

    // Assert
    expect(resolved).toEqual({ ok: true, value: 'http://nlb.internal:8443/x' });
    expect(unresolved).toEqual({ ok: false, missing: ['port'] });
    expect(uriHostAndPort('https://Orders.example.com/v1')).toEqual({
      host: 'orders.example.com',
      port: 443,
    });
    expect(uriHostAndPort('arn:aws:elasticloadbalancing:us-east-1:1:listener/net/a/b/c')).toBeNull();
  });

  it('tells whether an IP target lies in a subnet', () => {
    // Arrange
    const cidr = '10.0.2.0/24';

    // Act
    const inside = ipInCidr('10.0.2.77', cidr);
    const outside = ipInCidr('10.0.3.1', cidr);

    // Assert
    expect([inside, outside, ipInCidr('192.168.1.1', '0.0.0.0/0')]).toEqual([true, false, true]);
  });

  it('still describes the other load balancers of a batch when one of them is gone', async () => {
    // Arrange
    const { clients, mocks } = recordedClients();
    const live = 'arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/net/live/1';
    const gone = 'arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/net/gone/2';
    mocks.elb
      .on(DescribeLoadBalancersCommand, { LoadBalancerArns: [live, gone] })
      .rejects(awsError('LoadBalancerNotFoundException', 'One or more load balancers not found'))
      .on(DescribeLoadBalancersCommand, { LoadBalancerArns: [gone] })
      .rejects(awsError('LoadBalancerNotFoundException', 'One or more load balancers not found'))
      .on(DescribeLoadBalancersCommand, { LoadBalancerArns: [live] })
      .resolves({ LoadBalancers: [{ LoadBalancerArn: live, LoadBalancerName: 'live', Type: 'network' }] });

    // Act
    const described = await describeLoadBalancers(clients.elb, [live, gone]);

    // Assert
    expect(described[live]).toMatchObject({ ok: true, value: { name: 'live', type: 'network' } });
    expect(described[gone]).toMatchObject({
      ok: false,
      error: { action: 'elasticloadbalancing:DescribeLoadBalancers', code: 'LoadBalancerNotFoundException' },
    });
  });
});
