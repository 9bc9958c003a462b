/**
 * The instructor dashboard through `app.request` with the fake engine: signing in (form and
 * `?token=`), the cookie's flags, what an unsigned request gets (no data), the strict CSP, and
 * the live feed — sessions with their learner, state, score and hints; gradings received.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import type { Services } from '../../server/context.js';
import { FakeEngine, FIXED_COMPOSE } from '../support/fake-engine.js';
import { makeTar } from './server-tar-fixture.js';

const TOKEN = 'dashboard-test-token-7f3a9c1e';
const ORIGIN = 'http://localhost';

let app: ReturnType<typeof createApp>['app'];
let services: Services;
let dataDir: string;
let closing: AbortController;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'bf-dashboard-'));
  closing = new AbortController();
  ({ app, services } = createApp({
    engine: new FakeEngine(),
    token: TOKEN,
    dataDir,
    version: '9.9.9',
    writeLog: () => undefined,
    closing: closing.signal,
    heartbeatMs: 60_000,
  }));
});

afterEach(async () => {
  closing.abort();
  await services.registry.shutdown();
  await rm(dataDir, { recursive: true, force: true });
});

const request = (pathname: string, init: RequestInit = {}) =>
  Promise.resolve(app.request(`${ORIGIN}${pathname}`, init));
const api = (pathname: string, init: RequestInit = {}) => {
  const headers = new Headers(init.headers);
  headers.set('Authorization', `Bearer ${TOKEN}`);
  return request(pathname, { ...init, headers });
};

async function startSession(learner?: string): Promise<string> {
  const response = await api('/v1/sessions', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ scenario: 'wrong-port', ...(learner ? { learner } : {}) }),
  });
  expect(response.status).toBe(202);
  const { id } = (await response.json()) as { id: string };
  await services.registry.get(id).current;
  return id;
}

/** Signs in with `?token=` and returns the cookie header to send back. */
async function signIn(): Promise<string> {
  const response = await request(`/dashboard?token=${TOKEN}`);
  expect(response.status).toBe(303);
  return response.headers.get('set-cookie')!.split(';')[0]!;
}

interface SseEvent {
  event: string;
  data: unknown;
}

/** Reads an event stream in the background; `next(name)` waits for the next event of that name. */
function follow(response: Response) {
  const events: SseEvent[] = [];
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let cursor = 0;
  const pump = (async () => {
    for (;;) {
      const chunk = await reader.read().catch(() => ({ done: true as const, value: undefined }));
      if (chunk.done) return;
      buffer += decoder.decode(chunk.value, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const name = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (name && data) events.push({ event: name, data: JSON.parse(data) });
      }
    }
  })();
  return {
    events,
    async next(name: string, test: (data: Record<string, unknown>) => boolean = () => true) {
      const deadline = Date.now() + 3_000;
      for (;;) {
        const index = events.findIndex(
          (event, at) => at >= cursor && event.event === name && test(event.data as Record<string, unknown>),
        );
        if (index >= 0) {
          cursor = index + 1;
          return events[index]!.data as Record<string, unknown>;
        }
        if (Date.now() > deadline) throw new Error(`no ${name} event; got ${JSON.stringify(events.slice(cursor))}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    close: async () => {
      await reader.cancel().catch(() => undefined);
      await pump;
    },
  };
}

describe('signing in', () => {
  it('without the token or cookie there is no data: the sign-in form, 401 for the feed', async () => {
    await startSession('ada-lovelace');
    const page = await request('/dashboard');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<form method="post" action="/dashboard/login">');
    expect(html).not.toContain('ada-lovelace');
    expect(html).not.toContain('wrong-port');
    for (const route of ['/dashboard/events', '/dashboard/state']) {
      const response = await request(route);
      expect(response.status).toBe(401);
      expect(await response.text()).not.toContain('ada-lovelace');
    }
    // A wrong token in the link, or a forged cookie, does not get in either.
    expect((await request('/dashboard?token=not-the-token-at-all')).status).toBe(401);
    expect(
      (await request('/dashboard/state', { headers: { Cookie: 'breakfix_dashboard=99999999999999' } })).status,
    ).toBe(401);
  });

  it('?token= is exchanged for an HttpOnly, SameSite=Strict cookie and a redirect that drops it from the address', async () => {
    const response = await request(`/dashboard?token=${TOKEN}`);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/dashboard');
    const cookie = response.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^breakfix_dashboard=[^;]+;/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/dashboard');
    expect(cookie).toContain('Max-Age=43200');
    expect(cookie).not.toContain(TOKEN);
    const page = await request('/dashboard', { headers: { Cookie: cookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<table id="sessions">');
    expect(html).toContain('<script src="/dashboard/assets/dashboard.js" defer></script>');
    // No inline script or style anywhere: the CSP would refuse it.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=/);
  });

  it('the form signs in with the token; a wrong one is 401; a post from another site is refused', async () => {
    const form = (token: string, origin = ORIGIN) =>
      request('/dashboard/login', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin },
        body: new URLSearchParams({ token }).toString(),
      });
    const good = await form(TOKEN);
    expect(good.status).toBe(303);
    expect(good.headers.get('set-cookie')).toContain('HttpOnly');
    const bad = await form('wrong-token-wrong-token');
    expect(bad.status).toBe(401);
    expect(bad.headers.get('set-cookie')).toBeNull();
    expect(await bad.text()).toContain('That token is not valid');
    expect((await form(TOKEN, 'https://elsewhere.example')).status).toBe(403);
  });

  it('the cookie opens only the dashboard, not the API; sign-out clears it', async () => {
    const cookie = await signIn();
    expect((await request('/v1/sessions', { headers: { Cookie: cookie } })).status).toBe(401);
    expect((await request('/dashboard/state', { headers: { Cookie: cookie } })).status).toBe(200);
    // Scripts may use the bearer header instead of the cookie.
    expect((await api('/dashboard/state')).status).toBe(200);
    expect(
      (await request('/dashboard/state', { headers: { Authorization: 'Bearer wrong-token-123456' } })).status,
    ).toBe(401);
    const out = await request('/dashboard/logout', { method: 'POST', headers: { Cookie: cookie, Origin: ORIGIN } });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/^breakfix_dashboard=;.*Max-Age=0/);
  });

  it('every dashboard response carries a strict CSP; the page needs nothing from elsewhere', async () => {
    for (const route of ['/dashboard', '/dashboard/assets/dashboard.js', '/dashboard/events']) {
      const csp = (await request(route)).headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
    }
    const page = await request('/dashboard');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    for (const [name, type] of [
      ['dashboard.js', 'text/javascript'],
      ['dashboard.css', 'text/css'],
      ['favicon.svg', 'image/svg+xml'],
    ] as const) {
      const asset = await request(`/dashboard/assets/${name}`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toContain(type);
      expect(await asset.text()).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    }
    expect((await request('/dashboard/assets/..%2Fpage.ts')).status).toBe(404);
  });
});

describe('the live feed', () => {
  it('streams sessions (learner, state, score, hints) and removals, then gradings received', async () => {
    const before = await startSession('grace-h');
    const cookie = await signIn();
    const response = await request('/dashboard/events', { headers: { Cookie: cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const feed = follow(response);
    const snapshot = await feed.next('snapshot');
    expect(snapshot.sessions).toEqual([
      expect.objectContaining({
        id: before,
        learner: 'grace-h',
        scenario: 'wrong-port',
        state: 'active',
        hintsUsed: 0,
      }),
    ]);

    const id = await startSession('ada-lovelace');
    expect(await feed.next('session', (row) => row.id === id)).toMatchObject({ learner: 'ada-lovelace' });
    await feed.next('session', (row) => row.id === id && row.state === 'active');
    await api(`/v1/sessions/${id}/check`, { method: 'POST' });
    expect(await feed.next('session', (row) => row.id === id && row.score !== null)).toMatchObject({
      score: 30,
      maxScore: 100,
      passed: false,
    });
    expect((await api(`/v1/sessions/${id}/hint`, { method: 'POST' })).status).toBe(200);
    expect(await feed.next('session', (row) => row.id === id && row.hintsUsed === 1)).toMatchObject({ attempts: 1 });
    await api(`/v1/sessions/${id}`, { method: 'DELETE' });
    expect(await feed.next('removed')).toEqual({ id });

    const upload = (scenario: string) =>
      api(`/v1/grade?scenario=${scenario}&learner=linus-t`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-tar' },
        body: makeTar([{ name: 'compose.yaml', content: FIXED_COMPOSE }]),
      });
    const graded = await upload('wrong-port');
    expect(((await graded.json()) as { learner: string }).learner).toBe('linus-t');
    expect(await feed.next('grading')).toMatchObject({
      learner: 'linus-t',
      scenario: 'wrong-port',
      outcome: 'passed',
      score: 100,
      maxScore: 100,
    });
    expect((await upload('needs-docker')).status).toBe(503);
    expect(await feed.next('grading')).toMatchObject({ outcome: 'error', message: 'Docker is not reachable' });
    // A reconnect starts from a snapshot holding the gradings too.
    const state = (await (await request('/dashboard/state', { headers: { Cookie: cookie } })).json()) as {
      sessions: Array<{ id: string }>;
      gradings: Array<{ outcome: string }>;
    };
    expect(state.sessions.map((row) => row.id)).toEqual([before]);
    expect(state.gradings.map((row) => row.outcome)).toEqual(['passed', 'error']);
    expect(services.dashboard.viewers).toBe(1);
    await feed.close();
  });

  it('POST /v1/sessions validates the learner label, lists it, and documents it in the OpenAPI', async () => {
    const bad = await api('/v1/sessions', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ scenario: 'wrong-port', learner: '<script>' }),
    });
    expect(bad.status).toBe(400);
    const id = await startSession('  Ada  Lovelace ');
    const list = (await (await api('/v1/sessions')).json()) as { sessions: Array<{ id: string; learner?: string }> };
    expect(list.sessions.find((row) => row.id === id)?.learner).toBe('Ada Lovelace');
    expect(((await (await api(`/v1/sessions/${id}`)).json()) as { learner: string }).learner).toBe('Ada Lovelace');
    const openapi = (await (await api('/openapi.json')).json()) as {
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    expect(openapi.components.schemas.CreateSession!.properties).toHaveProperty('learner');
  });
});
