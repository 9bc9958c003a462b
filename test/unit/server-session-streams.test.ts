/** A session's workspace files and its event stream (SSE), with the fake engine. */
import { readFile, symlink, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deferred, FIXED_COMPOSE } from '../support/fake-engine.js';
import {
  createSession,
  errorOf,
  harness,
  json,
  replaceHarness,
  readEvents,
  useServerHarness,
} from '../support/server-harness.js';

useServerHarness();

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
    await replaceHarness({ heartbeatMs: 30 });
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
