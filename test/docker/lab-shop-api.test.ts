/**
 * The shop-api lab as deployed by the engine (build, migrate, api, db, cache): the endpoints a
 * learner and the scenarios' checks rely on — health of db and cache, version from the build
 * stage, products through the cache (proven by Redis's own INFO stats), orders with receipts
 * written as the non-root user, the report, the admin key, Prometheus metrics — and a graceful
 * SIGTERM that lets a request in flight finish. Each scenario is proven by `verify`; this file
 * proves the lab they share once.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectPassed } from '../support/check-expectations.js';
import { LabHarness, waitFor } from '../support/lab-harness.js';

const h = new LabHarness({ tag: 'shop', labSource: path.resolve(import.meta.dirname, '../../labs/shop-api') });
let base = '';

async function json(pathname: string, init?: RequestInit): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${base}${pathname}`, { ...init, signal: AbortSignal.timeout(60_000) });
  const text = await response.text();
  return {
    status: response.status,
    body: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : { text },
  };
}

beforeAll(async () => {
  await h.prepare();
  await h.deploy();
  const api = await h.runtime.inspectContainer(h.service('api').container);
  if (!api?.running)
    throw new Error(
      `the api did not start; migrate said: ${await h.runtime.logs(h.service('migrate').container, { tail: 5 })}`,
    );
  base = `http://${h.host}:${await h.publishedPort('api', 8080)}`;
  await waitFor(
    'the api to be healthy',
    async () =>
      (await h.runtime.inspectContainer(h.service('api').container))?.health === 'healthy' ? true : undefined,
    120_000,
    500,
  );
}, 600_000);

afterAll(async () => {
  expect(await h.cleanup()).toEqual([]);
});

describe('shop-api', () => {
  it('reports database and cache in /health, the build in /version, and /ready', async () => {
    expect(await json('/health')).toMatchObject({
      status: 200,
      body: { status: 'ok', database: 'up', schema: 'ok', cache: 'up', version: '1.3.0' },
    });
    const version = await json('/version');
    expect(version.body).toMatchObject({
      version: '1.3.0',
      revision: 'unknown',
      node: expect.stringMatching(/^v18\./),
    });
    expect(String(version.body.builtAt)).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect((await json('/ready')).status).toBe(200);
  });

  it('serves products through Redis: a repeat lookup is a hit in Redis INFO stats', async () => {
    const before = await h.exec('cache', ['redis-cli', 'INFO', 'stats']);
    const hits = (text: string) => Number(/keyspace_hits:(\d+)/.exec(text)?.[1]);
    const first = await fetch(`${base}/products/7`);
    expect(first.headers.get('x-cache')).toBe('miss');
    expect(await first.json()).toMatchObject({ id: 7, sku: 'SKU-00007' });
    const second = await fetch(`${base}/products/7`);
    expect(second.headers.get('x-cache')).toBe('hit');
    const after = await h.exec('cache', ['redis-cli', 'INFO', 'stats']);
    expect(hits(after.stdout) - hits(before.stdout)).toBe(1);
  });

  it('takes orders, writes a receipt as the non-root user, and reports sales', async () => {
    const created = await json('/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ productId: 3, quantity: 2, customer: 'lab-test@example.com' }),
    });
    expect(created).toMatchObject({ status: 201, body: { productId: 3, quantity: 2 } });
    const id = String(created.body.id);
    expect((await json(`/orders/${id}`)).body).toMatchObject({ id, customer: 'lab-test@example.com' });
    expect((await json('/orders/999999999')).status).toBe(404);
    const receipt = await h.exec('api', ['stat', '-c', '%u %a', `/var/lib/shop/receipts/${id}.json`]);
    expect(receipt.stdout.trim()).toMatch(/^10001 6\d\d$/);
    const report = await json('/reports/sales?days=90');
    const api = await h.runtime.inspectContainer(h.service('api').container);
    expect(report.status, JSON.stringify({ oom: api?.oomKilled, restarts: api?.restartCount })).toBe(200);
    expect(report.body.orders).toBeGreaterThan(30_000);
    expect(
      (await json('/orders', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"x":' })).body,
    ).toEqual({
      error: expect.any(String),
    });
  });

  it('guards /admin with the key from its secret file', async () => {
    expect((await json('/admin/stats')).status).toBe(401);
    const key = (await h.exec('api', ['cat', '/run/secrets/admin_api_key'])).stdout.trim();
    const stats = await json('/admin/stats', { headers: { authorization: `Bearer ${key}` } });
    expect(stats).toMatchObject({ status: 200, body: { products: 200 } });
  });

  it('exposes request, pool, cache and heap metrics in the Prometheus format', async () => {
    expectPassed(
      await h.check('metrics', {
        service: 'api',
        sample: 'shop_http_requests_total',
        labels: { route: '/products/:id', status: '200' },
        traffic: { path: '/products/1', requests: 10, concurrency: 2 },
        expect: { increase: { min: 10, max: 10 } },
      }),
    );
    for (const sample of [
      'shop_db_pool_in_use',
      'shop_db_pool_waiting',
      'shop_cache_hits_total',
      'nodejs_heap_used_bytes',
    ])
      expectPassed(await h.check('metrics', { service: 'api', sample, expect: { exists: true } }));
    expectPassed(
      await h.check('metrics', {
        service: 'api',
        sample: 'shop_http_request_duration_seconds_count',
        labels: { route: '/products/:id' },
        expect: { value: { min: 10 } },
      }),
    );
  });

  it('logs JSON lines only', async () => {
    expectPassed(await h.check('logs', { service: 'api', expect: { jsonLines: true, contains: 'listening' } }));
  });

  it('stops on SIGTERM, answering orders in flight, with exit code 0', async () => {
    const outcome = await h.check(
      'stop',
      {
        service: 'api',
        inFlight: { path: '/orders', body: { productId: 2, quantity: 1, customer: 'stop@example.com' }, requests: 2 },
        expect: { exitCode: 0, within: '8s', answered: true },
      },
      { timing: { timeoutMs: 120_000 } },
    );
    expectPassed(outcome);
  });
});
