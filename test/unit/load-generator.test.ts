/**
 * generateLoad against real HTTP servers on 127.0.0.1: every request is accounted for, whether
 * the server keeps connections alive or closes each one after its answer (as Python's
 * http.server and an nginx with `keepalive_timeout 0` do), and requests that get no answer count
 * as errors.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { generateLoad } from '../../engine/checks/load-generator.js';

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((server) => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    }),
  );
});

async function serve(handler: http.RequestListener): Promise<{ url: string; seen: () => number }> {
  let seen = 0;
  const server = http.createServer((req, res) => {
    seen += 1;
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/orders`, seen: () => seen };
}

const base = { method: 'GET', headers: {}, requests: 40, concurrency: 8, requestTimeoutMs: 2000 };

describe('generateLoad', () => {
  it('answers all N requests of a keep-alive server', async () => {
    const server = await serve((_req, res) => res.end('ok'));
    const stats = await generateLoad({ ...base, url: server.url });
    expect(stats.statusCounts).toEqual({ '200': 40 });
    expect(stats.errors).toBe(0);
    expect(server.seen()).toBe(40);
  });

  it('sends again what a server that closes every connection never received', async () => {
    const server = await serve((_req, res) => {
      res.setHeader('connection', 'close');
      setTimeout(() => res.end('ok'), 5);
    });
    const stats = await generateLoad({ ...base, url: server.url });
    expect(stats.statusCounts).toEqual({ '200': 40 });
    expect(stats.errors).toBe(0);
    expect(server.seen()).toBe(40);
  });

  it('counts requests that get no answer as timeouts', async () => {
    const server = await serve(() => undefined);
    const stats = await generateLoad({ ...base, url: server.url, requests: 4, requestTimeoutMs: 1000 });
    expect(stats.answered).toBe(0);
    expect(stats.errors).toBe(4);
    expect(stats.timeouts).toBe(4);
  });

  it('times out at the fraction of a second asked for, not at the next whole second', async () => {
    const server = await serve((_req, res) => {
      setTimeout(() => res.end('ok'), 1700);
    });
    const stats = await generateLoad({ ...base, url: server.url, requests: 2, concurrency: 2, requestTimeoutMs: 1300 });
    expect(stats.answered).toBe(0);
    expect(stats.timeouts).toBe(2);
  });
});
