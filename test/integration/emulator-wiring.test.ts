import {
  CreateApiCommand,
  CreateIntegrationCommand,
  CreateVpcLinkCommand,
  GetIntegrationsCommand,
} from '@aws-sdk/client-apigatewayv2';
import { CreateSubnetCommand, CreateVpcCommand } from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { useEmulator } from '../support/emulator';

describe('the client factory against the local AWS emulator', () => {
  const aws = useEmulator();

  it('creates an HTTP API with a VPC link integration to an NLB and reads it back', async () => {
    // Arrange
    const clients = aws.clients();
    const vpc = await clients.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
    const vpcId = vpc.Vpc?.VpcId ?? '';
    const subnet = await clients.ec2.send(
      new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.1.0/24', AvailabilityZone: 'us-east-1a' }),
    );
    const subnetId = subnet.Subnet?.SubnetId ?? '';
    const lb = await clients.elb.send(
      new CreateLoadBalancerCommand({ Name: 'wiring-nlb', Type: 'network', Subnets: [subnetId] }),
    );
    const lbArn = lb.LoadBalancers?.[0]?.LoadBalancerArn ?? '';
    const tg = await clients.elb.send(
      new CreateTargetGroupCommand({
        Name: 'wiring-tg',
        Protocol: 'TCP',
        Port: 8080,
        VpcId: vpcId,
        TargetType: 'instance',
      }),
    );
    const tgArn = tg.TargetGroups?.[0]?.TargetGroupArn ?? '';
    const listener = await clients.elb.send(
      new CreateListenerCommand({
        LoadBalancerArn: lbArn,
        Protocol: 'TCP',
        Port: 80,
        DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }],
      }),
    );
    const listenerArn = listener.Listeners?.[0]?.ListenerArn ?? '';
    const link = await clients.apiGatewayV2.send(
      new CreateVpcLinkCommand({ Name: 'wiring-link', SubnetIds: [subnetId] }),
    );
    const api = await clients.apiGatewayV2.send(
      new CreateApiCommand({ Name: 'wiring-api', ProtocolType: 'HTTP' }),
    );

    // Act
    await clients.apiGatewayV2.send(
      new CreateIntegrationCommand({
        ApiId: api.ApiId,
        IntegrationType: 'HTTP_PROXY',
        IntegrationMethod: 'ANY',
        ConnectionType: 'VPC_LINK',
        ConnectionId: link.VpcLinkId,
        IntegrationUri: listenerArn,
        PayloadFormatVersion: '1.0',
      }),
    );
    const integrations = await clients.apiGatewayV2.send(new GetIntegrationsCommand({ ApiId: api.ApiId }));
    const lbs = await clients.elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [lbArn] }));
    const tgs = await clients.elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [tgArn] }));

    // Assert
    expect(integrations.Items).toEqual([
      expect.objectContaining({
        ConnectionType: 'VPC_LINK',
        ConnectionId: link.VpcLinkId,
        IntegrationUri: listenerArn,
      }),
    ]);
    expect(lbs.LoadBalancers?.[0]).toMatchObject({
      Type: 'network',
      AvailabilityZones: [{ ZoneName: 'us-east-1a', SubnetId: subnetId }],
    });
    expect(tgs.TargetGroups?.[0]).toMatchObject({ Port: 8080, Protocol: 'TCP' });
    expect(clients.stats.calls['ApiGatewayV2.GetIntegrations']).toBe(1);
    expect(clients.stats.total('ElasticLoadBalancingV2.')).toBe(5);
  });

  it('forgets every resource on reset', async () => {
    // Arrange
    const clients = aws.clients();
    await clients.apiGatewayV2.send(new CreateApiCommand({ Name: 'to-forget', ProtocolType: 'HTTP' }));

    // Act
    await aws.emulator().reset();

    // Assert
    const { GetApisCommand } = await import('@aws-sdk/client-apigatewayv2');
    const apis = await clients.apiGatewayV2.send(new GetApisCommand({}));
    expect(apis.Items ?? []).toEqual([]);
  });
});
