/** The session routes: create, read, act, delete (fake engine, no Docker): success paths and 404, 409, 422, 429, 503. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BROKEN_COMPOSE, deferred, FIXED_COMPOSE } from '../support/fake-engine.js';
import { createSession, errorOf, harness, json, readEvents, useServerHarness } from '../support/server-harness.js';

useServerHarness();

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
