/**
 * A loopback HTTP proxy that forwards every request to the emulator and holds each response for a
 * fixed time, so a benchmark against the emulator sees the round trip of a real AWS endpoint
 * (tens of milliseconds) instead of a local socket's (well under one).
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LatencyProxy {
  /** `http://127.0.0.1:<port>`: use it as the SDK clients' endpoint. */
  endpoint: string;
  /** Requests forwarded so far. */
  forwarded(): number;
  stop(): Promise<void>;
}

function readBody(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

/** Starts the proxy on a free loopback port in front of `targetEndpoint` (e.g. the moto server). */
export async function startLatencyProxy(targetEndpoint: string, latencyMs: number): Promise<LatencyProxy> {
  if (!(latencyMs >= 0)) throw new RangeError(`latency must be 0 ms or more (got ${latencyMs})`);
  const target = new URL(targetEndpoint);
  let forwarded = 0;
  const server: Server = createServer(async (incoming, outgoing) => {
    try {
      const body = await readBody(incoming);
      const upstream = await new Promise<IncomingMessage>((resolve, reject) => {
        const forward = httpRequest(
          {
            hostname: target.hostname,
            port: target.port,
            method: incoming.method,
            path: incoming.url,
            // The host header stays as the client signed it: the emulator does not check signatures.
            headers: incoming.headers,
          },
          resolve,
        );
        forward.on('error', reject);
        forward.end(body);
      });
      const answer = await readBody(upstream);
      forwarded += 1;
      setTimeout(() => {
        outgoing.writeHead(upstream.statusCode ?? 502, upstream.headers);
        outgoing.end(answer);
      }, latencyMs);
    } catch (error) {
      outgoing.writeHead(502, { 'content-type': 'text/plain' });
      outgoing.end(`latency proxy could not reach ${targetEndpoint}: ${(error as Error).message}`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    forwarded: () => forwarded,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
