/** Authentication, the scenario list, unknown routes, the OpenAPI document and /metrics (fake engine, no Docker). */

import { describe, expect, it } from 'vitest';
import { FIXED_COMPOSE } from '../support/fake-engine.js';
import { makeTar } from './server-tar-fixture.js';
import { createSession, errorOf, harness, TOKEN, useServerHarness } from '../support/server-harness.js';

useServerHarness();

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
  it('reports the lab deploys running and waiting their turn, read from the engine at scrape time', async () => {
    harness.engine.deploys = { running: 4, waiting: 7, limit: 4 };
    const text = await (await harness.request('/metrics')).text();
    expect(text).toContain('# TYPE breakfix_lab_deploys gauge');
    expect(text).toContain('breakfix_lab_deploys{state="running"} 4');
    expect(text).toContain('breakfix_lab_deploys{state="waiting"} 7');
    harness.engine.deploys = { running: 1, waiting: 0, limit: 4 };
    const later = await (await harness.request('/metrics')).text();
    expect(later).toContain('breakfix_lab_deploys{state="waiting"} 0');
  });

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
    expect(text).toContain('breakfix_lab_deploys{state="limit"} 4');
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
