/**
 * The hosted-app lab as deployed by the engine (edge = nginx + platform controller, two app
 * slots, a TLS-only managed PostgreSQL on an internal network): a fresh deploy puts the highest
 * release live; a "deploy" (a slot's release changed in .env, then apply) is switched to only
 * once its /health passes, an unhealthy one is refused while the live slot keeps serving;
 * POST /api/rollback switches back; the apps reach the database only over TLS, and the edge
 * not at all. Scenarios on this lab are proven by `verify`; this file proves the lab once.
 */
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabHarness, waitFor } from '../support/lab-harness.js';

const h = new LabHarness({ tag: 'hosted', labSource: path.resolve(import.meta.dirname, '../../labs/hosted-app') });
let edge = '';
let api = '';

interface Deploy {
  action: string;
  slot: string;
  release: string;
  status: string;
  reason?: string;
}
interface Status {
  live: { slot: string | null; release: string | null; healthy: boolean };
}

async function get<T>(url: string, init?: RequestInit): Promise<{ status: number; body: T; slot: string | null }> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  return {
    status: response.status,
    body: (text.startsWith('{') ? JSON.parse(text) : { text }) as T,
    slot: response.headers.get('x-platform-slot'),
  };
}
const status = async () => (await get<Status>(`${api}/api/status`)).body;
const deploys = async () => (await get<{ deploys: Deploy[] }>(`${api}/api/deploys`)).body.deploys;

/** Sets a variable of the workspace .env, as a learner deploying a release does. */
async function setEnv(name: string, value: string): Promise<void> {
  const file = path.join(h.workspace, '.env');
  const text = await readFile(file, 'utf8');
  await writeFile(file, text.replace(new RegExp(`^${name}=.*$`, 'm'), `${name}=${value}`));
}

/** A new release folder: release 1.1.0's code, with `find` replaced by `replace`. */
async function release(name: string, find = '', replace = ''): Promise<void> {
  const dir = path.join(h.workspace, 'builds', name);
  await cp(path.join(h.workspace, 'builds', '1.1.0'), dir, { recursive: true });
  const file = path.join(dir, 'app.py');
  const code = await readFile(file, 'utf8');
  if (find && !code.includes(find)) throw new Error(`release ${name}: "${find}" is not in 1.1.0's app.py`);
  if (find) await writeFile(file, code.replace(find, replace));
}

async function liveIs(slot: string, release: string, timeoutMs = 60_000): Promise<Status> {
  return waitFor(
    `${slot} ${release} to be live`,
    async () => {
      const s = await status().catch(() => undefined);
      return s?.live.slot === slot && s.live.release === release && s.live.healthy ? s : undefined;
    },
    timeoutMs,
    500,
  );
}

beforeAll(async () => {
  await h.prepare();
  const started = Date.now();
  await h.deploy();
  edge = `http://${h.host}:${await h.publishedPort('edge', 8080)}`;
  api = `http://${h.host}:${await h.publishedPort('edge', 9000)}`;
  await liveIs('green', '1.1.0', 90_000);
  console.log(`hosted-app: deployed and green 1.1.0 live in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}, 600_000);

afterAll(async () => {
  expect(await h.cleanup()).toEqual([]);
});

describe('hosted-app', () => {
  it('puts the highest release live on a fresh deploy and serves orders through nginx', async () => {
    const orders = await get<{ release: string; count: number }>(`${edge}/orders`);
    expect(orders).toMatchObject({ status: 200, slot: 'green', body: { release: '1.1.0' } });
    expect(orders.body.count).toBeGreaterThanOrEqual(3);
    expect(await deploys()).toMatchObject([
      { action: 'deploy', slot: 'blue', release: '1.0.0', status: 'live' },
      { action: 'deploy', slot: 'green', release: '1.1.0', status: 'live' },
    ]);
  });

  it('refuses a release whose /health fails and keeps the live slot serving', async () => {
    // The release reads a column no migration created: /orders and the honest /health fail.
    await release('1.2.0-bad', 'FROM orders ORDER', 'FROM orders WHERE currency IS NOT NULL ORDER');
    await setEnv('BLUE_RELEASE', '1.2.0-bad');
    const started = Date.now();
    await h.deploy();
    const refused = await waitFor(
      'the deploy of 1.2.0-bad to be refused',
      async () => (await deploys()).find((d) => d.release === '1.2.0-bad'),
      60_000,
      500,
    );
    console.log(`hosted-app: 1.2.0-bad refused ${((Date.now() - started) / 1000).toFixed(1)} s after apply began`);
    expect(refused).toMatchObject({ slot: 'blue', status: 'refused', reason: expect.stringContaining('/health') });
    expect((await status()).live).toMatchObject({ slot: 'green', release: '1.1.0', healthy: true });
    expect(await get(`${edge}/orders`)).toMatchObject({ status: 200, slot: 'green' });
  });

  it('switches to a healthy release once its health gate passes', async () => {
    await release('1.2.0');
    await setEnv('BLUE_RELEASE', '1.2.0');
    const started = Date.now();
    await h.deploy();
    await liveIs('blue', '1.2.0');
    console.log(`hosted-app: 1.2.0 live ${((Date.now() - started) / 1000).toFixed(1)} s after apply began`);
    expect(await get(`${edge}/orders`)).toMatchObject({ status: 200, slot: 'blue', body: { release: '1.2.0' } });
    expect((await deploys()).at(-1)).toMatchObject({
      action: 'deploy',
      slot: 'blue',
      release: '1.2.0',
      status: 'live',
    });
  });

  it('rolls back to the previous release with POST /api/rollback', async () => {
    const rolled = await get<Deploy>(`${api}/api/rollback`, { method: 'POST' });
    expect(rolled).toMatchObject({ status: 200, body: { action: 'rollback', slot: 'green', release: '1.1.0' } });
    expect((await status()).live).toMatchObject({ slot: 'green', release: '1.1.0', healthy: true });
    expect(await get(`${edge}/orders`)).toMatchObject({ status: 200, slot: 'green', body: { release: '1.1.0' } });
    // Persisted on the platform's volume.
    const saved = JSON.parse((await h.exec('edge', ['cat', '/var/lib/platform/state.json'])).stdout) as {
      live: string;
    };
    expect(saved.live).toBe('green');
  });

  it('lets the apps reach the database over TLS only, and the edge not at all', async () => {
    const connect = (sslmode: string) =>
      h.exec('app-green', [
        'python3',
        '-c',
        `import psycopg2; c = psycopg2.connect(host='db', dbname='orders', user='orders', password=open('/run/secrets/db_password').read().strip(), sslmode='${sslmode}', connect_timeout=3); cur = c.cursor(); cur.execute('SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()'); print(cur.fetchone())`,
      ]);
    const plain = await connect('disable');
    expect(plain.exitCode).not.toBe(0);
    expect(plain.stderr).toMatch(/pg_hba\.conf rejects connection .*no encryption/);
    const tls = await connect('require');
    expect(tls.stdout.trim()).toMatch(/^\(True, 'TLSv1\.[23]'\)$/);
    // Every connection of the orders user is encrypted (the apps' own included).
    const sessions = await h.exec('db', [
      'sh',
      '-c',
      `PGPASSWORD="$(cat /run/secrets/db_password)" psql "host=127.0.0.1 sslmode=require user=orders dbname=orders" -At -c "SELECT count(*), count(*) FILTER (WHERE NOT s.ssl) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.usename = 'orders' AND a.client_addr IS NOT NULL"`,
    ]);
    expect(sessions.stdout.trim(), sessions.stderr).toMatch(/^[1-9]\d*\|0$/);
    const fromEdge = await h.exec('edge', [
      'python3',
      '-c',
      "import socket; socket.create_connection(('db', 5432), 3)",
    ]);
    expect(fromEdge.exitCode).not.toBe(0);
  });
});
