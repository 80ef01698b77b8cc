/**
 * Clients whose every call answers from a recording (aws-sdk-client-mock), for the cases the
 * emulator cannot produce. Unmocked calls answer `{}` (an empty listing), as a quiet account would.
 */
import { mockClient } from 'aws-sdk-client-mock';
import { type AwsClients, createClients } from '../../../lambda/collect/clients';

export function recordedClients() {
  const clients: AwsClients = createClients({
    region: 'us-east-1',
    credentials: { accessKeyId: 'recorded', secretAccessKey: 'recorded' },
    rateLimits: false,
  });
  const mocks = {
    apiGateway: mockClient(clients.apiGateway),
    apiGatewayV2: mockClient(clients.apiGatewayV2),
    cloudWatch: mockClient(clients.cloudWatch),
    logs: mockClient(clients.logs),
    elb: mockClient(clients.elb),
    ec2: mockClient(clients.ec2),
    sts: mockClient(clients.sts),
    acm: mockClient(clients.acm),
  };
  mocks.apiGateway.onAnyCommand().resolves({});
  mocks.apiGatewayV2.onAnyCommand().resolves({});
  mocks.cloudWatch.onAnyCommand().resolves({});
  mocks.logs.onAnyCommand().resolves({});
  mocks.elb.onAnyCommand().resolves({});
  mocks.ec2.onAnyCommand().resolves({});
  mocks.sts.onAnyCommand().resolves({});
  mocks.acm.onAnyCommand().resolves({});
  return { clients, mocks };
}

/** An error as the SDK raises it for an AWS error code. */
export function awsError(name: string, message = `${name} (recorded)`): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } });
}

export const WINDOW = {
  start: '2026-11-29T11:00:00.000Z',
  end: '2026-11-29T12:00:00.000Z',
  periodSeconds: 300,
};

/** An HTTP (or WebSocket) API as GetApis lists it. */
export const listedApi = (ApiId: string, Name: string, ProtocolType: 'HTTP' | 'WEBSOCKET' = 'HTTP') => ({
  ApiId,
  Name,
  ProtocolType,
  RouteSelectionExpression: '$request.method $request.path',
});
