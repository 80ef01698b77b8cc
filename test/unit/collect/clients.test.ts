import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetRestApisCommand } from '@aws-sdk/client-api-gateway';
import { GetApisCommand } from '@aws-sdk/client-apigatewayv2';
import { EC2Client } from '@aws-sdk/client-ec2';
import { CLIENT_NAMES, createClients } from '../../../lambda/collect/clients';

const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

describe('createClients', () => {
  it('builds each client on first use and hands out that same client afterwards', () => {
    // Arrange
    const clients = createClients({ region: 'eu-west-1', credentials: CREDENTIALS });

    // Act
    const first = clients.ec2;
    const second = clients.ec2;

    // Assert
    expect(first).toBeInstanceOf(EC2Client);
    expect(second).toBe(first);
  });

  it('lists every client as a property, as a plain object of clients would', () => {
    // Arrange
    const clients = createClients({ region: 'eu-west-1', credentials: CREDENTIALS });

    // Act
    const keys = Object.keys(clients);

    // Assert
    expect(keys).toEqual(['region', 'stats', ...CLIENT_NAMES]);
    expect(CLIENT_NAMES).toEqual(
      expect.arrayContaining(['apiGateway', 'apiGatewayV2', 'ec2', 'elb', 'logs', 'sns', 'sts', 'dynamodb']),
    );
  });

  describe('against a local endpoint', () => {
    let server: Server;
    let endpoint: string;
    let arrivals: number[];

    beforeAll(async () => {
      server = createServer((_request, response) => {
        arrivals.push(performance.now());
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"items":[]}');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    beforeEach(() => {
      arrivals = [];
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('counts and rate-limits a client built late together with those built before it', async () => {
      // Arrange: one shared bucket of 1 token refilled at 4 per second (250 ms) for both API Gateway services
      const clients = createClients({
        region: 'us-east-1',
        endpoint,
        credentials: CREDENTIALS,
        rateLimits: [
          { services: ['APIGateway', 'ApiGatewayV2'], scope: 'shared', perSecond: 4, burst: 1, doc: 'test' },
        ],
      });
      await clients.apiGateway.send(new GetRestApisCommand({}));

      // Act: the HTTP API client is built only now
      await clients.apiGatewayV2.send(new GetApisCommand({}));

      // Assert: the second call waited for the token the first one took
      expect(arrivals).toHaveLength(2);
      expect((arrivals[1] ?? 0) - (arrivals[0] ?? 0)).toBeGreaterThanOrEqual(150);
      expect(clients.stats.calls).toEqual({ 'APIGateway.GetRestApis': 1, 'ApiGatewayV2.GetApis': 1 });
    });
  });
});
