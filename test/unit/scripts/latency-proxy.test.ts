import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type LatencyProxy, startLatencyProxy } from '../../../scripts/latency-proxy';

describe('the latency proxy', () => {
  let upstream: Server;
  let upstreamEndpoint: string;
  let proxy: LatencyProxy | undefined;

  beforeAll(async () => {
    upstream = createServer(async (request, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      response.writeHead(201, { 'content-type': 'application/json', 'x-upstream': 'yes' });
      response.end(
        JSON.stringify({ method: request.method, path: request.url, body: Buffer.concat(chunks).toString() }),
      );
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    upstreamEndpoint = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await proxy?.stop();
    proxy = undefined;
  });
  afterAll(() => new Promise<void>((resolve) => upstream.close(() => resolve())));

  it('forwards the request and returns the upstream answer no sooner than the latency', async () => {
    // Arrange
    proxy = await startLatencyProxy(upstreamEndpoint, 120);
    const started = performance.now();

    // Act
    const response = await fetch(`${proxy.endpoint}/restapis?limit=500`, { method: 'POST', body: 'hello' });
    const elapsed = performance.now() - started;

    // Assert
    expect(response.status).toBe(201);
    expect(response.headers.get('x-upstream')).toBe('yes');
    expect(await response.json()).toEqual({ method: 'POST', path: '/restapis?limit=500', body: 'hello' });
    expect(elapsed).toBeGreaterThanOrEqual(115);
    expect(proxy.forwarded()).toBe(1);
  });

  it('delays concurrent requests in parallel, not one after another', async () => {
    // Arrange
    proxy = await startLatencyProxy(upstreamEndpoint, 150);
    const endpoint = proxy.endpoint;
    const started = performance.now();

    // Act
    await Promise.all(Array.from({ length: 10 }, () => fetch(`${endpoint}/apis`).then((r) => r.text())));
    const elapsed = performance.now() - started;

    // Assert
    expect(elapsed).toBeGreaterThanOrEqual(145);
    expect(elapsed).toBeLessThan(1000);
  });

  it('answers 502 when the upstream is unreachable', async () => {
    // Arrange
    proxy = await startLatencyProxy('http://127.0.0.1:1', 0);

    // Act
    const response = await fetch(`${proxy.endpoint}/apis`);

    // Assert
    expect(response.status).toBe(502);
  });
});
