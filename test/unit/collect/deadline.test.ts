import { createServer, type Server, type Socket } from 'node:net';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { createClients } from '../../../lambda/collect/clients';
import { AuditDeadline } from '../../../lambda/collect/deadline';

const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

describe('AuditDeadline against a server that reads requests and never answers', () => {
  let server: Server;
  let endpoint: string;
  let received: string[];
  const sockets: Socket[] = [];

  beforeAll(async () => {
    server = createServer((socket) => {
      sockets.push(socket);
      socket.on('data', (chunk) => {
        const target = /x-amz-target: *([^\r\n]+)/i.exec(chunk.toString())?.[1];
        if (target) received.push(target);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  beforeEach(() => {
    received = [];
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const clientsWith = (deadline: AuditDeadline) =>
    createClients({
      region: 'us-east-1',
      endpoint,
      credentials: CREDENTIALS,
      maxAttempts: 3,
      rateLimits: false,
      plugins: [deadline.plugin()],
      abortSignal: deadline.signal,
    });

  it('aborts a call in flight at the deadline, as DeadlineExceeded, without retrying it', async () => {
    // Arrange
    const deadline = new AuditDeadline(Date.now() + 300);
    const clients = clientsWith(deadline);
    const started = Date.now();

    // Act
    const call = clients.logs.send(new FilterLogEventsCommand({ logGroupName: 'group-1' }));

    // Assert
    await expect(call).rejects.toMatchObject({ name: 'DeadlineExceeded', message: /aborted in flight/ });
    // The server never answers: without the abort the call would hang until Jest's timeout.
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(deadline.aborted).toBe(1);
    expect(received).toEqual(['Logs_20140328.FilterLogEvents']);
    deadline.dispose();
  });

  it('refuses every call once the deadline has passed: none reaches the server', async () => {
    // Arrange: the deadline has passed
    const deadline = new AuditDeadline(Date.now() - 1);
    const clients = clientsWith(deadline);

    // Act
    const read = clients.logs.send(new FilterLogEventsCommand({ logGroupName: 'group-1' }));

    // Assert: the read never leaves
    await expect(read).rejects.toMatchObject({ name: 'DeadlineExceeded', message: /not called/ });
    expect(received).toEqual([]);
    expect(deadline.refused).toBe(1);
  });
});
