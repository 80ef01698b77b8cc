/**
 * Recorded DescribeNetworkInterfaces answers, in the shape of the EC2 API reference
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeNetworkInterfaces.html), for what
 * the emulator does not produce: an interface found by a secondary address, a refused call. The
 * found/not-found path runs on the emulator (test/integration/ip-targets-and-link-acls.test.ts).
 */
import { DescribeNetworkInterfacesCommand } from '@aws-sdk/client-ec2';
import { describeInterfacesByPrivateIp } from '../../../lambda/collect/network';
import { awsError, recordedClients } from './recorded-clients';

/** An awsvpc task's interface with a secondary address, as DescribeNetworkInterfaces returns it. */
const TASK_ENI = {
  NetworkInterfaceId: 'eni-0f1e2d3c4b5a69788',
  AvailabilityZone: 'eu-west-1b',
  InterfaceType: 'interface' as const,
  Groups: [{ GroupId: 'sg-0a1b2c3d4e5f60718', GroupName: 'orders-tasks' }],
  PrivateIpAddress: '10.0.12.40',
  PrivateIpAddresses: [
    { Primary: true, PrivateIpAddress: '10.0.12.40' },
    { Primary: false, PrivateIpAddress: '10.0.12.41' },
  ],
  SubnetId: 'subnet-0b2c3d4e5f6a70819',
  VpcId: 'vpc-0123456789abcdef0',
  Status: 'in-use' as const,
};

describe('describeInterfacesByPrivateIp', () => {
  it('asks once per VPC for every address, files an interface under each of its addresses, and an unknown one as outside', async () => {
    // Arrange
    const { clients, mocks } = recordedClients();
    mocks.ec2.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: [TASK_ENI] });

    // Act
    const found = await describeInterfacesByPrivateIp(clients.ec2, 'vpc-0123456789abcdef0', [
      '10.0.12.40',
      '10.0.12.41',
      '172.31.9.9',
    ]);

    // Assert
    const calls = mocks.ec2.commandCalls(DescribeNetworkInterfacesCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input.Filters).toEqual([
      { Name: 'addresses.private-ip-address', Values: ['10.0.12.40', '10.0.12.41', '172.31.9.9'] },
      { Name: 'vpc-id', Values: ['vpc-0123456789abcdef0'] },
    ]);
    const facts = {
      id: 'eni-0f1e2d3c4b5a69788',
      subnetId: 'subnet-0b2c3d4e5f6a70819',
      availabilityZone: 'eu-west-1b',
      securityGroupIds: ['sg-0a1b2c3d4e5f60718'],
    };
    expect(found).toEqual({
      '10.0.12.40': { ok: true, value: { ...facts, privateIp: '10.0.12.40' } },
      '10.0.12.41': { ok: true, value: { ...facts, privateIp: '10.0.12.41' } },
      '172.31.9.9': { ok: true, value: null },
    });
  });

  it('keeps a refused call as the error of every address, never as outside the VPC', async () => {
    const { clients, mocks } = recordedClients();
    mocks.ec2
      .on(DescribeNetworkInterfacesCommand)
      .rejects(awsError('UnauthorizedOperation', 'not authorized to perform ec2:DescribeNetworkInterfaces'));
    const found = await describeInterfacesByPrivateIp(clients.ec2, 'vpc-1', ['10.0.12.40']);
    expect(found['10.0.12.40']).toMatchObject({
      ok: false,
      error: { action: 'ec2:DescribeNetworkInterfaces', code: 'UnauthorizedOperation' },
    });
  });
});
