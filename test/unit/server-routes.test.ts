/**
 * Every route of the HTTP API through `app.request`, against a fake engine (no Docker):
 * success paths and 400, 401, 404, 409, 413, 415, 422, 429, 503.
 */
import { mkdtemp, readFile, rm, symlink, mkdir } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type BreakfixApp } from '../../server/app.js';
import type { Services } from '../../server/context.js';
import { BROKEN_COMPOSE, deferred, FakeEngine, FIXED_COMPOSE } from './server-fake-engine.js';
import { makeTar } from './server-tar-fixture.js';

const TOKEN = 'test-token-0123456789abcdef';

interface Harness {
  app: BreakfixApp;
  services: Services;
  engine: FakeEngine;
  logs: string[];
  dataDir: string;
  closing: AbortController;
  request(pathname: string, init?: RequestInit & { token?: string | null }): Promise<Response>;
}

let harness: Harness;
/** Every harness made in a test (some tests make their own), cleaned up after it. */
const made: Harness[] = [];

async function makeHarness(
  options: { maxSessions?: number; limits?: Partial<Services['limits']>; heartbeatMs?: number } = {},
): Promise<Harness> {
  const engine = new FakeEngine();
  const logs: string[] = [];
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bf-server-test-'));
  const closing = new AbortController();
  const { app, services } = createApp({
    engine,
    token: TOKEN,
    dataDir,
    version: '9.9.9',
    writeLog: (line) => logs.push(line),
    closing: closing.signal,
    ...options,
  });
  const one: Harness = {
    app,
    services,
    engine,
    logs,
    dataDir,
    closing,
    request: (pathname, init = {}) => {
      const { token = TOKEN, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (token !== null) headers.set('Authorization', `Bearer ${token}`);
      return Promise.resolve(app.request(pathname, { ...rest, headers }));
    },
  };
  made.push(one);
  return one;
}

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

async function errorOf(response: Response) {
  const body = (await response.json()) as { error: { code: string; message: string; hint?: string } };
  return { status: response.status, ...body.error };
}

/** Creates a session and waits until its lab is up (the fake starts at once unless gated). */
async function createSession(scenario = 'wrong-port', seed?: number): Promise<string> {
  const response = await harness.request('/v1/sessions', json({ scenario, ...(seed !== undefined ? { seed } : {}) }));
  expect(response.status).toBe(202);
  const { id } = (await response.json()) as { id: string };
  await harness.services.registry.get(id).current;
  return id;
}

interface SseEvent {
  event: string;
  id?: string;
  data: string;
  comment?: string;
}

/** Reads an SSE body until `until` says stop (or the timeout). */
async function readEvents(
  response: Response,
  until: (events: SseEvent[]) => boolean,
  timeoutMs = 3_000,
): Promise<SseEvent[]> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  let buffer = '';
  const deadline = Date.now() + timeoutMs;
  try {
    while (!until(events)) {
      const chunk = await Promise.race([
        reader.read(),
        new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), Math.max(1, deadline - Date.now()))),
      ]);
      if (chunk === 'timeout')
        throw new Error(`SSE: timed out; got ${JSON.stringify(events.map((event) => event.event))}`);
      if (chunk.done) break;
      buffer += decoder.decode(chunk.value, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const event: SseEvent = { event: 'message', data: '' };
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) event.comment = line.slice(1).trim();
          else if (line.startsWith('event: ')) event.event = line.slice(7);
          else if (line.startsWith('id: ')) event.id = line.slice(4);
          else if (line.startsWith('data: ')) event.data += line.slice(6);
        }
        if (event.comment !== undefined && event.event === 'message') event.event = 'comment';
        events.push(event);
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return events;
}

beforeEach(async () => {
  harness = await makeHarness({ maxSessions: 3 });
});

afterEach(async () => {
  for (const each of made.splice(0)) {
    each.closing.abort();
    await each.services.registry.shutdown();
    await rm(each.dataDir, { recursive: true, force: true });
  }
});

describe('authentication', () => {
  it('GET /healthz needs no token', async () => {
    const response = await harness.request('/healthz', { token: null });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, version: '9.9.9' });
  });

  it('every other route answers 401 without a token, with a wrong one, or with another scheme', async () => {
    const routes: Array<[string, string]> = [
      ['GET', '/v1/scenarios'],
      ['GET', '/v1/sessions'],
      ['POST', '/v1/sessions'],
      ['GET', '/v1/sessions/abc'],
      ['DELETE', '/v1/sessions/abc'],
      ['POST', '/v1/sessions/abc/check'],
      ['PUT', '/v1/sessions/abc/files/compose.yaml'],
      ['GET', '/v1/sessions/abc/events'],
      ['POST', '/v1/grade'],
      ['GET', '/openapi.json'],
      ['GET', '/metrics'],
    ];
    for (const [method, route] of routes) {
      const missing = await harness.request(route, { method, token: null });
      expect([route, missing.status]).toEqual([route, 401]);
      expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="breakfix"');
      expect(await errorOf(missing)).toMatchObject({
        code: 'unauthorized',
        message: 'this route needs a bearer token',
      });
      const wrong = await harness.request(route, { method, token: `${TOKEN}x` });
      expect([route, wrong.status]).toEqual([route, 401]);
      expect(wrong.headers.get('www-authenticate')).toContain('invalid_token');
      const basic = await harness.app.request(route, {
        method,
        headers: { Authorization: `Basic ${Buffer.from(`u:${TOKEN}`).toString('base64')}` },
      });
      expect([route, basic.status]).toEqual([route, 401]);
    }
    expect(harness.engine.calls).toEqual([]);
  });

  it('accepts the scheme name in any case', async () => {
    const response = await harness.app.request('/v1/scenarios', { headers: { Authorization: `bearer ${TOKEN}` } });
    expect(response.status).toBe(200);
  });

  it('never writes the token into the request log', async () => {
    await harness.request('/v1/scenarios');
    await harness.request('/v1/scenarios', { token: 'wrong-token-wrong-token' });
    await harness.request(`/v1/sessions/x?token=${TOKEN}`);
    expect(harness.logs.length).toBeGreaterThanOrEqual(3);
    for (const line of harness.logs) {
      expect(line).not.toContain(TOKEN);
      expect(line).not.toContain('wrong-token-wrong-token');
    }
    const entries = harness.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries[0]).toMatchObject({
      msg: 'request',
      method: 'GET',
      path: '/v1/scenarios',
      route: '/v1/scenarios',
      status: 200,
    });
    expect(entries[1]).toMatchObject({ status: 401 });
    expect(entries[2]).toMatchObject({ path: '/v1/sessions/x', status: 404 });
    expect(typeof entries[0]!.durationMs).toBe('number');
  });
});

describe('GET /v1/scenarios', () => {
  it('lists the engine scenarios', async () => {
    const response = await harness.request('/v1/scenarios');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { scenarios: Array<{ id: string }> };
    expect(body.scenarios.map((scenario) => scenario.id)).toEqual([
      'wrong-port',
      'missing-env-var',
      'needs-docker',
      'invalid-scenario',
    ]);
  });
});

describe('POST /v1/sessions', () => {
  it('answers 202 with Location once the engine named the session; the lab comes up in the background', async () => {
    harness.engine.startGate = deferred();
    const response = await harness.request('/v1/sessions', json({ scenario: 'wrong-port', seed: 7 }));
    expect(response.status).toBe(202);
    const body = (await response.json()) as {
      id: string;
      seed: number;
      state: string;
      links: { self: string; events: string };
    };
    expect(body).toMatchObject({ scenario: 'wrong-port', seed: 7, state: 'preparing' });
    expect(response.headers.get('location')).toBe(`/v1/sessions/${body.id}`);
    expect(body.links).toEqual({ self: `/v1/sessions/${body.id}`, events: `/v1/sessions/${body.id}/events` });
    const entry = harness.services.registry.get(body.id);
    expect(entry.operation).toBe('start');
    expect(entry.workspace.startsWith(path.join(harness.dataDir, 'sessions', 'wrong-port-'))).toBe(true);
    harness.engine.startGate.resolve();
    await entry.current;
    expect(entry.state).toBe('active');
    expect(entry.operation).toBeUndefined();
  });

  it('picks a seed when none is given', async () => {
    const response = await harness.request('/v1/sessions', json({ scenario: 'wrong-port' }));
    expect(((await response.json()) as { seed: number }).seed).toBe(4242);
  });

  it('400 for a bad body: missing scenario, wrong types, unknown keys, broken JSON', async () => {
    for (const body of [
      {},
      { scenario: 7 },
      { scenario: 'wrong-port', seed: 'seven' },
      { scenario: 'wrong-port', seed: -1 },
      { scenario: 'wrong-port', workspace: '/etc' },
      { scenario: '../etc' },
    ]) {
      const response = await harness.request('/v1/sessions', json(body));
      expect([JSON.stringify(body), response.status]).toEqual([JSON.stringify(body), 400]);
      expect((await errorOf(response)).code).toBe('bad_request');
    }
    const broken = await harness.request('/v1/sessions', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"scenario":',
    });
    expect(broken.status).toBe(400);
    expect(harness.engine.calls).toEqual([]);
  });

  it('415 for a body that is not JSON', async () => {
    const response = await harness.request('/v1/sessions', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: 'scenario=wrong-port',
    });
    expect(response.status).toBe(415);
    expect((await errorOf(response)).code).toBe('unsupported_media_type');
  });

  it('404 for an unknown scenario', async () => {
    const response = await harness.request('/v1/sessions', json({ scenario: 'no-such-thing' }));
    expect(await errorOf(response)).toMatchObject({
      status: 404,
      code: 'not_found',
      message: 'unknown scenario no-such-thing',
    });
    expect(harness.services.capacity.inUse).toBe(0);
  });

  it('413 for a JSON body over the limit', async () => {
    const response = await harness.request(
      '/v1/sessions',
      json({ scenario: 'wrong-port', padding: 'x'.repeat(70 * 1024) }),
    );
    expect(await errorOf(response)).toMatchObject({ status: 413, code: 'payload_too_large' });
  });

  it('429 with Retry-After once every lab slot is taken; a delete frees one', async () => {
    const ids = [await createSession(), await createSession(), await createSession()];
    const refused = await harness.request('/v1/sessions', json({ scenario: 'wrong-port' }));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('30');
    expect((await errorOf(refused)).code).toBe('too_many_sessions');
    expect(harness.services.capacity.inUse).toBe(3);
    expect((await harness.request(`/v1/sessions/${ids[0]}`, { method: 'DELETE' })).status).toBe(200);
    expect((await harness.request('/v1/sessions', json({ scenario: 'wrong-port' }))).status).toBe(202);
  });

  it('maps engine errors: Docker unreachable is 503, an invalid scenario file 422; the slot is given back', async () => {
    const docker = await harness.request('/v1/sessions', json({ scenario: 'needs-docker' }));
    expect(await errorOf(docker)).toMatchObject({
      status: 503,
      code: 'unavailable',
      hint: 'run `breakfix doctor --fix`',
    });
    const invalid = await harness.request('/v1/sessions', json({ scenario: 'invalid-scenario' }));
    expect(await errorOf(invalid)).toMatchObject({ status: 422, code: 'unprocessable' });
    expect(harness.services.capacity.inUse).toBe(0);
    expect(harness.services.registry.size).toBe(0);
  });
});

describe('GET /v1/sessions and /v1/sessions/{id}', () => {
  it('lists sessions and describes one', async () => {
    const first = await createSession('wrong-port', 1);
    const second = await createSession('missing-env-var', 2);
    const list = (await (await harness.request('/v1/sessions')).json()) as {
      sessions: Array<{ id: string; state: string; scenario: string }>;
      max: number;
    };
    expect(list.max).toBe(3);
    expect(list.sessions.map((session) => [session.id, session.scenario, session.state])).toEqual([
      [first, 'wrong-port', 'active'],
      [second, 'missing-env-var', 'active'],
    ]);
    const response = await harness.request(`/v1/sessions/${first}`);
    expect(response.status).toBe(200);
    const view = (await response.json()) as Record<string, unknown>;
    expect(view).toMatchObject({
      id: first,
      scenario: 'wrong-port',
      seed: 1,
      state: 'active',
      attempts: 0,
      links: { self: `/v1/sessions/${first}` },
    });
    expect(view.services).toEqual([
      {
        name: 'api',
        container: `bf-${first}-api`,
        status: 'running',
        health: 'healthy',
        restarts: 0,
        exitCode: 0,
        ports: [{ container: 8080, host: 49_153, protocol: 'tcp' }],
        image: 'bf-api:1',
      },
    ]);
    expect(view).not.toHaveProperty('workspace');
  });

  it('404 for an unknown session, 400 for an id that cannot be one', async () => {
    expect(await errorOf(await harness.request('/v1/sessions/zzzzzz'))).toMatchObject({
      status: 404,
      code: 'not_found',
    });
    expect((await harness.request('/v1/sessions/bad%20id!')).status).toBe(400);
  });
});

describe('session actions', () => {
  it('check fails, the fix is written, apply, check passes; hint and rollback and reset answer too', async () => {
    const id = await createSession();
    const first = await harness.request(`/v1/sessions/${id}/check`, { method: 'POST' });
    expect(first.status).toBe(200);
    const failed = (await first.json()) as {
      session: { state: string; attempts: number };
      report: { passed: boolean; score: number; checks: Array<{ id: string; hint?: string }> };
    };
    expect(failed.report).toMatchObject({ passed: false, score: 30 });
    expect(failed.report.checks[0]!.hint).toBe('Which port does the api publish?');
    expect(failed.session).toMatchObject({ state: 'active', attempts: 1 });

    const hint = (await (await harness.request(`/v1/sessions/${id}/hint`, { method: 'POST' })).json()) as {
      session: { hints: { revealed: string[] } };
    };
    expect(hint.session.hints.revealed).toEqual(['Which port does the api publish?']);

    expect(
      (await harness.request(`/v1/sessions/${id}/files/compose.yaml`, { method: 'PUT', body: FIXED_COMPOSE })).status,
    ).toBe(200);
    const applied = (await (await harness.request(`/v1/sessions/${id}/apply`, { method: 'POST' })).json()) as {
      session: { release: number };
      report?: unknown;
    };
    expect(applied.session.release).toBe(1);
    expect(applied).not.toHaveProperty('report');
    const second = (await (await harness.request(`/v1/sessions/${id}/check`, { method: 'POST' })).json()) as {
      session: { state: string; lastReport: { passed: boolean } };
      report: { passed: boolean; score: number };
    };
    expect(second.report).toMatchObject({ passed: true, score: 100 });
    expect(second.session).toMatchObject({ state: 'passed', lastReport: { passed: true } });

    expect((await harness.request(`/v1/sessions/${id}/rollback`, { method: 'POST' })).status).toBe(200);
    const reset = await harness.request(`/v1/sessions/${id}/reset`, { method: 'POST' });
    expect(reset.status).toBe(200);
    expect(await readFile(path.join(harness.services.registry.get(id).workspace, 'compose.yaml'), 'utf8')).toBe(
      BROKEN_COMPOSE,
    );
  });

  it('409 while the lab is still starting, and when the engine refuses the action in this state', async () => {
    harness.engine.startGate = deferred();
    const created = (await (await harness.request('/v1/sessions', json({ scenario: 'wrong-port' }))).json()) as {
      id: string;
    };
    const busy = await harness.request(`/v1/sessions/${created.id}/check`, { method: 'POST' });
    expect(await errorOf(busy)).toMatchObject({
      status: 409,
      code: 'conflict',
      message: `session ${created.id} is busy: start in progress`,
    });
    const write = await harness.request(`/v1/sessions/${created.id}/files/compose.yaml`, {
      method: 'PUT',
      body: FIXED_COMPOSE,
    });
    expect(write.status).toBe(409);
    harness.engine.startGate.resolve();
    await harness.services.registry.get(created.id).current;
    const noHint = await harness.request(`/v1/sessions/${created.id}/hint`, { method: 'POST' });
    expect(await errorOf(noHint)).toMatchObject({
      status: 409,
      message: 'no hint is unlocked yet',
      hint: 'run a check first',
    });
  });

  it('404 for the actions of an unknown session', async () => {
    for (const action of ['check', 'apply', 'rollback', 'reset', 'hint']) {
      expect((await harness.request(`/v1/sessions/nope42/${action}`, { method: 'POST' })).status).toBe(404);
    }
  });
});

describe('DELETE /v1/sessions/{id}', () => {
  it('stops the lab, removes the workspace, frees the slot, and ends the event stream', async () => {
    const id = await createSession();
    const workspace = harness.services.registry.get(id).workspace;
    const events = await harness.request(`/v1/sessions/${id}/events`);
    const reading = readEvents(events, (seen) => seen.some((event) => event.event === 'end'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const response = await harness.request(`/v1/sessions/${id}`, { method: 'DELETE' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id, state: 'stopped' });
    expect(harness.engine.calls).toContain(`STOP ${workspace}`);
    await expect(readFile(path.join(workspace, 'compose.yaml'))).rejects.toThrow();
    expect(harness.services.capacity.inUse).toBe(0);
    const seen = await reading;
    expect(seen.map((event) => event.event)).toEqual(['session', 'state', 'state', 'end']);
    expect(JSON.parse(seen.at(-1)!.data)).toEqual({ reason: 'deleted', id });
    expect((await harness.request(`/v1/sessions/${id}`)).status).toBe(404);
    expect((await harness.request(`/v1/sessions/${id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('a lab still starting is stopped where it is', async () => {
    harness.engine.startGate = deferred();
    const { id } = (await (await harness.request('/v1/sessions', json({ scenario: 'wrong-port' }))).json()) as {
      id: string;
    };
    const deleting = harness.request(`/v1/sessions/${id}`, { method: 'DELETE' });
    await new Promise((resolve) => setTimeout(resolve, 10));
    harness.engine.startGate.resolve();
    expect((await deleting).status).toBe(200);
    expect(harness.services.registry.size).toBe(0);
  });
});

describe('workspace files', () => {
  it('PUT writes a file (201 new, 200 replaced), GET reads it back and lists folders without .breakfix', async () => {
    const id = await createSession();
    const created = await harness.request(`/v1/sessions/${id}/files/secrets/db_password.txt`, {
      method: 'PUT',
      body: 's3cret\n',
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({ path: 'secrets/db_password.txt', bytes: 7 });
    const replaced = await harness.request(`/v1/sessions/${id}/files/compose.yaml`, {
      method: 'PUT',
      body: FIXED_COMPOSE,
    });
    expect(replaced.status).toBe(200);
    const read = await harness.request(`/v1/sessions/${id}/files/compose.yaml`);
    expect(read.headers.get('content-type')).toBe('application/octet-stream');
    expect(await read.text()).toBe(FIXED_COMPOSE);
    const root = (await (await harness.request(`/v1/sessions/${id}/files`)).json()) as {
      entries: Array<{ name: string; type: string }>;
    };
    expect(root.entries.map((entry) => [entry.name, entry.type])).toEqual([
      ['compose.yaml', 'file'],
      ['secrets', 'directory'],
    ]);
    const folder = (await (await harness.request(`/v1/sessions/${id}/files/secrets`)).json()) as {
      path: string;
      entries: Array<{ name: string; size: number }>;
    };
    expect(folder).toEqual({ path: 'secrets', entries: [{ name: 'db_password.txt', type: 'file', size: 7 }] });
  });

  it('400 for paths that leave the workspace or touch .breakfix; no file is written', async () => {
    const id = await createSession();
    const workspace = harness.services.registry.get(id).workspace;
    await symlink('/etc', path.join(workspace, 'etc-link'));
    await mkdir(path.join(workspace, 'sub'));
    for (const target of [
      '..%2Fescape.txt',
      'sub/..%2F..%2Fescape.txt',
      '%2Fetc%2Fpasswd',
      '.breakfix/session.json',
      'etc-link/passwd',
      'sub/.%2Fx',
      'a%00b',
    ]) {
      const response = await harness.request(`/v1/sessions/${id}/files/${target}`, { method: 'PUT', body: 'pwned' });
      expect([target, response.status]).toEqual([target, 400]);
      expect((await errorOf(response)).code).toBe('bad_request');
    }
    expect((await harness.request(`/v1/sessions/${id}/files/.breakfix/session.json`)).status).toBe(400);
    await expect(readFile(path.join(harness.dataDir, 'sessions', 'escape.txt'))).rejects.toThrow();
    expect(await readFile(path.join(workspace, '.breakfix', 'session.json'), 'utf8')).toBe('{}');
  });

  it('413 for a file over the limit, 404 for a missing one or an unknown session, 409 for a file used as a folder', async () => {
    const id = await createSession();
    const big = await harness.request(`/v1/sessions/${id}/files/big.bin`, {
      method: 'PUT',
      body: new Uint8Array(1024 * 1024 + 1),
    });
    expect(await errorOf(big)).toMatchObject({ status: 413, code: 'payload_too_large' });
    expect((await harness.request(`/v1/sessions/${id}/files/missing.txt`)).status).toBe(404);
    expect((await harness.request('/v1/sessions/nope42/files/compose.yaml', { method: 'PUT', body: 'x' })).status).toBe(
      404,
    );
    expect(
      (await harness.request(`/v1/sessions/${id}/files/compose.yaml/inner`, { method: 'PUT', body: 'x' })).status,
    ).toBe(409);
  });
});

describe('GET /v1/sessions/{id}/events', () => {
  it('replays the current state first, then streams state, progress, fault and report events', async () => {
    harness.engine.startGate = deferred();
    const { id } = (await (await harness.request('/v1/sessions', json({ scenario: 'wrong-port' }))).json()) as {
      id: string;
    };
    const response = await harness.request(`/v1/sessions/${id}/events`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reading = readEvents(
      response,
      (seen) => seen.some((event) => event.event === 'report') && seen.at(-1)!.event === 'state',
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    harness.engine.startGate.resolve();
    await harness.services.registry.get(id).current;
    await harness.request(`/v1/sessions/${id}/check`, { method: 'POST' });
    const events = await reading;
    expect(events[0]!.event).toBe('session');
    expect(JSON.parse(events[0]!.data)).toMatchObject({ id, state: 'preparing' });
    const states = events
      .filter((event) => event.event === 'state')
      .map((event) => (JSON.parse(event.data) as { state: string }).state);
    expect(states).toEqual(['building', 'deploying', 'injecting', 'active', 'checking', 'active']);
    expect(events.map((event) => event.event)).toEqual(expect.arrayContaining(['progress', 'fault', 'report']));
    const progress = events
      .filter((event) => event.event === 'progress')
      .map((event) => JSON.parse(event.data) as Record<string, unknown>);
    expect(progress[0]).toEqual({
      phase: 'build',
      service: 'api',
      event: { kind: 'step', step: 1, total: 2, instruction: 'FROM breakfix/base:bookworm' },
    });
    const report = JSON.parse(events.find((event) => event.event === 'report')!.data) as {
      passed: boolean;
      score: number;
    };
    expect(report).toMatchObject({ passed: false, score: 30 });
    const ids = events.map((event) => Number(event.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('a reconnect with Last-Event-ID gets exactly the missed events', async () => {
    const id = await createSession();
    const hub = harness.services.registry.get(id).hub;
    const before = hub.lastId;
    await harness.request(`/v1/sessions/${id}/check`, { method: 'POST' });
    const response = await harness.request(`/v1/sessions/${id}/events`, {
      headers: { 'Last-Event-ID': String(before) },
    });
    const events = await readEvents(
      response,
      (seen) =>
        seen.some((event) => event.event === 'report') && seen.filter((event) => event.event === 'state').length >= 2,
    );
    expect(events.map((event) => event.event)).toEqual(['state', 'report', 'state']);
    expect(Number(events[0]!.id)).toBe(before + 1);
  });

  it('sends heartbeat comments while nothing happens, and ends with the server shutting down', async () => {
    harness = await makeHarness({ heartbeatMs: 30 });
    const id = await createSession();
    const response = await harness.request(`/v1/sessions/${id}/events`);
    const reading = readEvents(response, (seen) => seen.some((event) => event.event === 'end'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    harness.closing.abort();
    const events = await reading;
    expect(events.filter((event) => event.event === 'comment').length).toBeGreaterThanOrEqual(2);
    expect(events.find((event) => event.event === 'comment')!.comment).toMatch(/^heartbeat \d{4}-/);
    expect(JSON.parse(events.at(-1)!.data)).toEqual({ reason: 'shutdown', id });
    // Once closing, new requests are refused.
    expect((await harness.request('/v1/scenarios')).status).toBe(503);
  });

  it('404 for an unknown session, 400 for a malformed Last-Event-ID', async () => {
    expect((await harness.request('/v1/sessions/nope42/events')).status).toBe(404);
    const id = await createSession();
    expect((await harness.request(`/v1/sessions/${id}/events`, { headers: { 'Last-Event-ID': 'abc' } })).status).toBe(
      400,
    );
  });
});

describe('POST /v1/grade', () => {
  const fixedTar = () =>
    makeTar([
      { name: 'compose.yaml', content: FIXED_COMPOSE },
      { name: 'app/', type: '5' },
      { name: 'app/main.py', content: 'print(1)\n' },
    ]);
  const brokenTar = () => makeTar([{ name: 'compose.yaml', content: BROKEN_COMPOSE }]);

  function multipart(fields: Record<string, string>, archive?: Uint8Array): RequestInit {
    const form = new FormData();
    for (const [key, value] of Object.entries(fields)) form.set(key, value);
    if (archive) form.set('workspace', new File([archive], 'workspace.tar', { type: 'application/x-tar' }));
    return { method: 'POST', body: form };
  }

  it('grades a multipart upload and answers the JSON report with what was dropped', async () => {
    const response = await harness.request('/v1/grade', multipart({ scenario: 'wrong-port', seed: '7' }, fixedTar()));
    expect(response.status).toBe(200);
    expect(response.headers.get('x-breakfix-passed')).toBe('true');
    const body = (await response.json()) as {
      scenario: string;
      passed: boolean;
      score: number;
      maxScore: number;
      checks: unknown[];
      dropped: unknown[];
      seed: number;
    };
    expect(body).toMatchObject({
      scenario: 'wrong-port',
      passed: true,
      score: 100,
      maxScore: 100,
      dropped: [],
      seed: 7,
    });
    expect(harness.engine.graded).toEqual([
      { scenario: 'wrong-port', seed: 7, files: ['app/', 'app/main.py', 'compose.yaml'] },
    ]);
    expect(harness.services.capacity.inUse).toBe(0);
  });

  it('grades a raw tar.gz body (fields in the query), wrapped in a top folder; JUnit by Accept, TAP and text by reporter', async () => {
    const archive = gzipSync(
      makeTar([
        { name: 'my-lab/', type: '5' },
        { name: 'my-lab/compose.yaml', content: BROKEN_COMPOSE },
      ]),
    );
    const junit = await harness.request('/v1/grade?scenario=wrong-port', {
      method: 'POST',
      headers: { 'Content-Type': 'application/gzip', Accept: 'application/xml' },
      body: archive,
    });
    expect(junit.status).toBe(200);
    expect(junit.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    expect(junit.headers.get('x-breakfix-passed')).toBe('false');
    const xml = await junit.text();
    expect(xml).toContain('<testsuite name="wrong-port"');
    expect(xml).toContain(
      '<failure message="GET http://127.0.0.1:8080/health: expected 200, got connection refused" type="http">',
    );
    expect(harness.engine.graded[0]!.files).toEqual(['compose.yaml']);

    const tap = await harness.request('/v1/grade?scenario=wrong-port&reporter=tap', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-tar', Accept: 'application/json' },
      body: brokenTar(),
    });
    expect(tap.headers.get('content-type')).toBe('text/x-tap; charset=utf-8');
    expect((await tap.text()).split('\n').slice(0, 1)).toEqual(['TAP version 14']);
    const text = await harness.request('/v1/grade?scenario=wrong-port', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-tar', Accept: 'text/html;q=1, text/plain;q=0.5' },
      body: brokenTar(),
    });
    expect(await text.text()).toContain('score 30/100');
  });

  it('400 for a missing scenario, a bad seed, a missing file, a body that is not a tar', async () => {
    const cases: Array<[string, RequestInit]> = [
      ['no scenario', multipart({}, fixedTar())],
      ['bad seed', multipart({ scenario: 'wrong-port', seed: 'x' }, fixedTar())],
      ['no file', multipart({ scenario: 'wrong-port' })],
      ['raw without scenario', { method: 'POST', headers: { 'Content-Type': 'application/x-tar' }, body: fixedTar() }],
      ['not a tar', { method: 'POST', headers: { 'Content-Type': 'application/x-tar' }, body: 'hello' }],
      [
        'bad gzip',
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/gzip' },
          body: new Uint8Array([0x1f, 0x8b, 1, 2, 3]),
        },
      ],
    ];
    for (const [name, init] of cases) {
      const target =
        name.startsWith('raw') || name.startsWith('not') || name.startsWith('bad gzip')
          ? name.startsWith('raw')
            ? '/v1/grade'
            : '/v1/grade?scenario=wrong-port'
          : '/v1/grade';
      const response = await harness.request(target, init);
      expect([name, response.status]).toEqual([name, 400]);
    }
    expect(harness.engine.graded).toEqual([]);
  });

  it('400 for unsafe archives: .. paths, absolute paths, links leaving the folder, devices', async () => {
    const unsafe: Array<[string, Uint8Array]> = [
      [
        'dot-dot',
        makeTar([
          { name: 'compose.yaml', content: FIXED_COMPOSE },
          { name: '../escape.txt', content: 'x' },
        ]),
      ],
      ['absolute', makeTar([{ name: '/tmp/bf-absolute.txt', content: 'x' }])],
      [
        'symlink out',
        makeTar([
          { name: 'compose.yaml', content: FIXED_COMPOSE },
          { name: 'secrets/pw', type: '2', linkname: '/etc/shadow' },
        ]),
      ],
      ['relative symlink out', makeTar([{ name: 'a/link', type: '2', linkname: '../../outside' }])],
      ['hard link out', makeTar([{ name: 'h', type: '1', linkname: '../outside' }])],
      ['device', makeTar([{ name: 'dev', type: '3' }])],
      ['fifo', makeTar([{ name: 'pipe', type: '6' }])],
    ];
    for (const [name, archive] of unsafe) {
      const response = await harness.request('/v1/grade?scenario=wrong-port', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-tar' },
        body: archive,
      });
      const error = await errorOf(response);
      expect([name, error.status, error.code]).toEqual([name, 400, 'bad_request']);
      expect(error.message).toMatch(/^unsafe archive: /);
    }
    expect(harness.engine.graded).toEqual([]);
    await expect(readFile('/tmp/bf-absolute.txt')).rejects.toThrow();
  });

  it('accepts symlinks that stay inside the workspace', async () => {
    const archive = makeTar([
      { name: 'compose.yaml', content: FIXED_COMPOSE },
      { name: 'secrets/', type: '5' },
      { name: 'secrets/real', content: 'pw' },
      { name: 'secrets/link', type: '2', linkname: 'real' },
    ]);
    const response = await harness.request('/v1/grade?scenario=wrong-port', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-tar' },
      body: archive,
    });
    expect(response.status).toBe(200);
    expect(harness.engine.graded[0]!.files).toEqual(['compose.yaml', 'secrets/', 'secrets/link@', 'secrets/real']);
  });

  it('413 for an upload over the limit, and for an archive that decompresses past it', async () => {
    harness = await makeHarness({ limits: { uploadBytes: 4096, unpackedBytes: 64 * 1024 } });
    const big = await harness.request('/v1/grade?scenario=wrong-port', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-tar' },
      body: makeTar([{ name: 'big', content: new Uint8Array(8192) }]),
    });
    expect(await errorOf(big)).toMatchObject({ status: 413, code: 'payload_too_large' });
    const bomb = gzipSync(makeTar([{ name: 'zeros', content: new Uint8Array(1024 * 1024) }]));
    expect(bomb.length).toBeLessThan(4096);
    const exploded = await harness.request('/v1/grade?scenario=wrong-port', {
      method: 'POST',
      headers: { 'Content-Type': 'application/gzip' },
      body: bomb,
    });
    expect(await errorOf(exploded)).toMatchObject({
      status: 413,
      message: 'the archive decompresses to more than 65536 bytes',
    });
  });

  it('400 for an archive with too many entries', async () => {
    harness = await makeHarness({ limits: { archiveEntries: 5 } });
    const archive = makeTar(Array.from({ length: 8 }, (_, index) => ({ name: `f${index}`, content: 'x' })));
    const error = await errorOf(
      await harness.request('/v1/grade?scenario=wrong-port', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-tar' },
        body: archive,
      }),
    );
    expect(error).toMatchObject({ status: 400, message: 'unsafe archive: more than 5 entries' });
  });

  it('404 for an unknown scenario, 415 for another content type, 503 when grading cannot run', async () => {
    expect((await harness.request('/v1/grade', multipart({ scenario: 'nope' }, fixedTar()))).status).toBe(404);
    expect(
      (
        await harness.request('/v1/grade?scenario=wrong-port', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: '{}',
        })
      ).status,
    ).toBe(415);
    const docker = await harness.request('/v1/grade', multipart({ scenario: 'needs-docker' }, fixedTar()));
    expect((await errorOf(docker)).status).toBe(503);
  });

  it('429 when gradings and sessions fill every slot', async () => {
    await createSession();
    await createSession();
    harness.engine.gradeGate = deferred();
    const running = harness.request('/v1/grade', multipart({ scenario: 'wrong-port' }, fixedTar()));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(harness.services.capacity.inUse).toBe(3);
    expect((await harness.request('/v1/grade', multipart({ scenario: 'wrong-port' }, fixedTar()))).status).toBe(429);
    expect((await harness.request('/v1/sessions', json({ scenario: 'wrong-port' }))).status).toBe(429);
    harness.engine.gradeGate.resolve();
    expect((await running).status).toBe(200);
    expect(harness.services.capacity.inUse).toBe(2);
  });
});

describe('GET /openapi.json', () => {
  it('is generated from the route schemas and documents every route and the bearer scheme', async () => {
    const response = await harness.request('/openapi.json');
    expect(response.status).toBe(200);
    const doc = (await response.json()) as {
      openapi: string;
      info: { version: string };
      paths: Record<string, Record<string, unknown>>;
      components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.version).toBe('9.9.9');
    const routes = Object.entries(doc.paths).flatMap(([route, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${route}`),
    );
    expect(routes.sort()).toEqual(
      [
        'GET /healthz',
        'GET /v1/scenarios',
        'POST /v1/sessions',
        'GET /v1/sessions',
        'GET /v1/sessions/{id}',
        'DELETE /v1/sessions/{id}',
        'POST /v1/sessions/{id}/check',
        'POST /v1/sessions/{id}/apply',
        'POST /v1/sessions/{id}/rollback',
        'POST /v1/sessions/{id}/reset',
        'POST /v1/sessions/{id}/hint',
        'PUT /v1/sessions/{id}/files/{path}',
        'GET /v1/sessions/{id}/files/{path}',
        'GET /v1/sessions/{id}/files',
        'GET /v1/sessions/{id}/events',
        'POST /v1/grade',
        'GET /metrics',
      ].sort(),
    );
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['Error', 'Session', 'Report', 'CreateSession', 'GradeUpload', 'GradeResponse']),
    );
    const create = doc.paths['/v1/sessions']!.post as {
      requestBody: { content: Record<string, unknown> };
      responses: Record<string, unknown>;
    };
    expect(Object.keys(create.requestBody.content)).toEqual(['application/json']);
    expect(Object.keys(create.responses)).toEqual(
      expect.arrayContaining(['202', '400', '401', '404', '413', '429', '503']),
    );
  });
});

describe('GET /metrics', () => {
  it('exposes sessions by state, check durations, grade outcomes and HTTP requests in Prometheus text format', async () => {
    const id = await createSession();
    await harness.request(`/v1/sessions/${id}/check`, { method: 'POST' });
    await harness.request('/v1/grade?scenario=wrong-port', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-tar' },
      body: makeTar([{ name: 'compose.yaml', content: FIXED_COMPOSE }]),
    });
    await harness.request('/v1/grade?scenario=needs-docker', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-tar' },
      body: makeTar([{ name: 'compose.yaml', content: FIXED_COMPOSE }]),
    });
    const response = await harness.request('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await response.text();
    expect(text).toContain('# TYPE breakfix_sessions gauge');
    expect(text).toContain('breakfix_sessions{state="active"} 1');
    expect(text).toContain('breakfix_lab_slots{kind="in_use"} 1');
    expect(text).toContain('breakfix_lab_slots{kind="max"} 3');
    expect(text).toContain('# TYPE breakfix_check_duration_seconds histogram');
    // Two checks from the session round, two from the grading round.
    expect(text).toContain('breakfix_check_duration_seconds_count{type="http",status="failed"} 1');
    expect(text).toContain('breakfix_check_duration_seconds_bucket{le="0.25",type="http",status="passed"} 1');
    expect(text).toContain('breakfix_check_duration_seconds_count{type="container",status="passed"} 2');
    expect(text).toContain('breakfix_grades_total{outcome="passed"} 1');
    expect(text).toContain('breakfix_grades_total{outcome="error"} 1');
    expect(text).toMatch(
      /breakfix_http_requests_total\{method="POST",route="\/v1\/sessions\/:id\/check",status="200"\} 1/,
    );
    expect(text).toMatch(/breakfix_http_requests_total\{method="POST",route="\/v1\/grade",status="503"\} 1/);
    expect(text).toContain('breakfix_dashboard_viewers 0');
    // Process metrics belong to a real `breakfix serve`, not to every app a test builds.
    expect(text).not.toContain('process_cpu_seconds_total');
    // Every sample line is `name{labels} value` (blank lines separate metrics).
    for (const line of text.trim().split('\n')) {
      if (line !== '' && !line.startsWith('#')) expect(line).toMatch(/^[a-z_]+(\{[^}]*\})? [0-9.e+-]+|\+Inf$/);
    }
  });
});

describe('unknown routes', () => {
  it('404 in the error shape', async () => {
    const response = await harness.request('/v1/nothing-here');
    expect(await errorOf(response)).toMatchObject({
      status: 404,
      code: 'not_found',
      message: 'no route GET /v1/nothing-here',
    });
  });
});
