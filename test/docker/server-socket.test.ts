/**
 * `breakfix serve` on a real socket with the real engine: a wrong-port session driven entirely
 * over HTTP (SSE until active, check fails, the solution PUT into the workspace, apply, check
 * passes, DELETE leaves nothing labelled), graceful shutdown stopping the labs it started, and
 * the token rules at start-up.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { packageRoot, scenariosDir } from '../../engine/paths.js';
import { create as createTar } from 'tar';
import { BIN, labelledBy, wrongPortWorkspace } from './grade-support.js';

const TOKEN = 'socket-test-token-5f0c2a9e71b3';

interface Server {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  stdout: () => string;
  exited: Promise<number | null>;
}

const servers: Server[] = [];
let dataRoot: string | undefined;

async function startServe(args: string[] = [], env: NodeJS.ProcessEnv = { BREAKFIX_TOKEN: TOKEN }): Promise<Server> {
  dataRoot ??= await mkdtemp(path.join(os.tmpdir(), 'bf-serve-'));
  const child = spawn(BIN, ['serve', '--port', '0', ...args], {
    cwd: packageRoot,
    env: { ...process.env, TESTCONTAINERS_RYUK_DISABLED: 'true', BREAKFIX_TOKEN: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${stderr}`)), 20_000);
    const poll = setInterval(() => {
      const match = /listening on (http:\/\/[^\s]+)/.exec(stderr);
      if (match) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve(match[1]!);
      }
    }, 25);
    void exited.then((code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${stderr}`));
    });
  });
  const server = { child, url, stderr: () => stderr, stdout: () => stdout, exited };
  servers.push(server);
  return server;
}

async function api(server: Server, route: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  headers.set('Authorization', `Bearer ${TOKEN}`);
  return fetch(`${server.url}${route}`, { ...init, headers });
}

interface SseEvent {
  event: string;
  id?: string;
  data: unknown;
}

/** Follows an SSE stream in the background; `waitFor` resolves when an event matches. */
function follow(response: Response) {
  const events: SseEvent[] = [];
  const waiters: Array<{ test: (event: SseEvent) => boolean; resolve: (event: SseEvent) => void }> = [];
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const done = (async () => {
    let buffer = '';
    for (;;) {
      const chunk = await reader.read().catch(() => ({ done: true as const, value: undefined }));
      if (chunk.done) return;
      buffer += decoder.decode(chunk.value, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        if (block.startsWith(':')) continue;
        const event: SseEvent = { event: 'message', data: undefined };
        let data = '';
        for (const line of block.split('\n')) {
          if (line.startsWith('event: ')) event.event = line.slice(7);
          else if (line.startsWith('id: ')) event.id = line.slice(4);
          else if (line.startsWith('data: ')) data += line.slice(6);
        }
        event.data = data ? JSON.parse(data) : undefined;
        events.push(event);
        for (const waiter of [...waiters]) {
          if (waiter.test(event)) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(event);
          }
        }
      }
    }
  })();
  return {
    events,
    done,
    waitFor(test: (event: SseEvent) => boolean, timeoutMs: number): Promise<SseEvent> {
      const found = events.find(test);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `no matching SSE event within ${timeoutMs} ms; got ${events.map((event) => `${event.event}:${JSON.stringify(event.data).slice(0, 120)}`).join('\n')}`,
              ),
            ),
          timeoutMs,
        );
        waiters.push({ test, resolve: (event) => (clearTimeout(timer), resolve(event)) });
      });
    },
    close: () => reader.cancel().catch(() => undefined),
  };
}

const stateIs = (state: string) => (event: SseEvent) =>
  event.event === 'state' && (event.data as { state: string }).state === state;
const failedState = (event: SseEvent) => event.event === 'state' && (event.data as { state: string }).state === 'error';

async function solutionFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(path.join(dir, prefix), { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await solutionFiles(dir, relative)));
    else out.push(relative);
  }
  return out;
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    if (server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  }
});

afterAll(async () => {
  if (dataRoot) await rm(dataRoot, { recursive: true, force: true });
});

describe('breakfix serve over a real socket (real Docker)', () => {
  it(
    'drives a wrong-port session: SSE to active, check fails, PUT the solution, apply, check passes, DELETE leaves nothing',
    { timeout: 300_000 },
    async () => {
      const dataDir = path.join(dataRoot ?? (dataRoot = await mkdtemp(path.join(os.tmpdir(), 'bf-serve-'))), 'flow');
      const server = await startServe(['--data-dir', dataDir]);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

      const started = performance.now();
      const created = await api(server, '/v1/sessions', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ scenario: 'wrong-port', seed: 5 }),
      });
      const answeredMs = performance.now() - started;
      expect(created.status).toBe(202);
      const { id } = (await created.json()) as { id: string };
      expect(created.headers.get('location')).toBe(`/v1/sessions/${id}`);
      // 202 as soon as the engine named the session, long before the lab is up.
      expect(answeredMs).toBeLessThan(5_000);

      const stream = await api(server, `/v1/sessions/${id}/events`);
      expect(stream.headers.get('content-type')).toBe('text/event-stream');
      const events = follow(stream);
      const first = await events.waitFor(() => true, 10_000);
      expect(first.event).toBe('session');
      const outcome = await Promise.race([
        events.waitFor(stateIs('active'), 240_000),
        events.waitFor(failedState, 240_000),
      ]);
      expect(outcome.data, JSON.stringify(outcome.data)).toMatchObject({ state: 'active' });
      const activeAfter = (performance.now() - started) / 1000;
      expect(events.events.some((event) => event.event === 'progress')).toBe(true);
      expect(events.events.some((event) => event.event === 'fault')).toBe(true);

      const view = (await (await api(server, `/v1/sessions/${id}`)).json()) as {
        state: string;
        services: Array<{ name: string; status: string }>;
      };
      expect(view.state).toBe('active');
      expect(view.services.find((service) => service.name === 'api')?.status).toBe('running');

      const failing = (await (await api(server, `/v1/sessions/${id}/check`, { method: 'POST' })).json()) as {
        report: { passed: boolean; checks: Array<{ id: string; passed: boolean }> };
      };
      expect(failing.report.passed).toBe(false);
      expect(failing.report.checks.find((check) => check.id === 'api-reachable')?.passed).toBe(false);
      await events.waitFor((event) => event.event === 'report', 5_000);

      const solution = path.join(scenariosDir, 'wrong-port', 'solution');
      const files = await solutionFiles(solution);
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) {
        const put = await api(server, `/v1/sessions/${id}/files/${file.split('/').map(encodeURIComponent).join('/')}`, {
          method: 'PUT',
          body: await readFile(path.join(solution, file)),
        });
        expect([file, put.status]).toEqual([file, put.status === 201 ? 201 : 200]);
      }

      const applied = (await (await api(server, `/v1/sessions/${id}/apply`, { method: 'POST' })).json()) as {
        session: { lastFailure?: string; release: number };
      };
      expect(applied.session.lastFailure).toBeUndefined();
      await events.waitFor((event) => event.event === 'release', 5_000);

      const passing = (await (await api(server, `/v1/sessions/${id}/check`, { method: 'POST' })).json()) as {
        session: { state: string };
        report: { passed: boolean; score: number; maxScore: number };
      };
      expect(passing.report).toMatchObject({ passed: true });
      expect(passing.report.score).toBe(passing.report.maxScore);
      expect(passing.session.state).toBe('passed');

      const deleted = await api(server, `/v1/sessions/${id}`, { method: 'DELETE' });
      expect(deleted.status).toBe(200);
      const end = await events.waitFor((event) => event.event === 'end', 10_000);
      expect(end.data).toEqual({ reason: 'deleted', id });
      const flowSeconds = (performance.now() - started) / 1000;
      expect(await labelledBy(id)).toEqual([]);
      expect(await readdir(path.join(dataDir, 'sessions'))).toEqual([]);

      const metrics = await (await api(server, '/metrics')).text();
      expect(metrics).toMatch(/breakfix_check_duration_seconds_count\{type="http",status="passed"\} [1-9]/);

      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      // One JSON line per request, none with the token.
      const lines = server.stdout().trim().split('\n');
      expect(lines.length).toBeGreaterThanOrEqual(8);
      for (const line of lines) expect(JSON.parse(line)).toHaveProperty('msg');
      expect(server.stdout()).not.toContain(TOKEN);
      expect(server.stderr()).not.toContain(TOKEN);
      console.log(
        `[serve] SSE session flow: 202 after ${answeredMs.toFixed(0)} ms, active after ${activeAfter.toFixed(1)} s, create→check→fix→apply→check→delete ${flowSeconds.toFixed(1)} s`,
      );
    },
  );

  it(
    'SIGTERM stops the labs it started: the SSE stream ends with reason shutdown and nothing stays labelled',
    { timeout: 300_000 },
    async () => {
      const server = await startServe();
      const created = await api(server, '/v1/sessions', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ scenario: 'wrong-port', seed: 8 }),
      });
      const { id } = (await created.json()) as { id: string };
      const events = follow(await api(server, `/v1/sessions/${id}/events`));
      const outcome = await Promise.race([
        events.waitFor(stateIs('active'), 240_000),
        events.waitFor(failedState, 240_000),
      ]);
      expect(outcome.data).toMatchObject({ state: 'active' });
      expect((await labelledBy(id)).length).toBeGreaterThan(0);

      const stopping = performance.now();
      server.child.kill('SIGTERM');
      const end = await events.waitFor((event) => event.event === 'end', 10_000);
      expect(end.data).toEqual({ reason: 'shutdown', id });
      expect(await server.exited).toBe(0);
      expect(server.stderr()).toContain('shutting down');
      expect(server.stderr()).toContain('breakfix serve: stopped');
      expect(await labelledBy(id)).toEqual([]);
      console.log(
        `[serve] graceful shutdown with one active lab: ${((performance.now() - stopping) / 1000).toFixed(1)} s`,
      );
    },
  );

  it(
    'POST /v1/grade grades uploads concurrently (multipart → JSON, raw tar.gz → JUnit), 429 past --max-sessions',
    { timeout: 300_000 },
    async () => {
      const server = await startServe(['--max-sessions', '2']);
      const fixed = await wrongPortWorkspace(path.join(dataRoot!, 'upload-fixed'), 'fixed');
      const broken = await wrongPortWorkspace(path.join(dataRoot!, 'upload-broken'), 'broken', 8000);
      const pack = async (dir: string, gzip: boolean) => {
        const chunks: Buffer[] = [];
        for await (const chunk of createTar({ cwd: dir, gzip, portable: true }, ['.'])) chunks.push(chunk as Buffer);
        return Buffer.concat(chunks);
      };
      const form = new FormData();
      form.set('scenario', 'wrong-port');
      form.set('seed', '11');
      form.set('workspace', new File([await pack(fixed, false)], 'fixed.tar', { type: 'application/x-tar' }));
      const started = performance.now();
      const fixedRun = api(server, '/v1/grade', { method: 'POST', body: form });
      const brokenRun = api(server, '/v1/grade?scenario=wrong-port&seed=12', {
        method: 'POST',
        headers: { 'Content-Type': 'application/gzip', Accept: 'application/xml' },
        body: await pack(broken, true),
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const refused = await api(server, '/v1/grade?scenario=wrong-port', {
        method: 'POST',
        headers: { 'Content-Type': 'application/gzip' },
        body: await pack(broken, true),
      });
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('30');

      const [fixedResponse, brokenResponse] = await Promise.all([fixedRun, brokenRun]);
      const seconds = (performance.now() - started) / 1000;
      expect(fixedResponse.status).toBe(200);
      expect(fixedResponse.headers.get('x-breakfix-passed')).toBe('true');
      const report = (await fixedResponse.json()) as {
        passed: boolean;
        seed: number;
        score: number;
        dropped: unknown[];
      };
      expect(report).toMatchObject({ passed: true, seed: 11, score: 100 });
      expect(brokenResponse.status).toBe(200);
      expect(brokenResponse.headers.get('x-breakfix-passed')).toBe('false');
      expect(brokenResponse.headers.get('content-type')).toBe('application/xml; charset=utf-8');
      const xml = await brokenResponse.text();
      expect(xml).toContain('<testsuite name="wrong-port"');
      expect(xml).toContain('<property name="seed" value="12"/>');
      expect(xml).toMatch(/<failure message="[^"]+" type="http">/);

      const metrics = await (await api(server, '/metrics')).text();
      expect(metrics).toContain('breakfix_grades_total{outcome="passed"} 1');
      expect(metrics).toContain('breakfix_grades_total{outcome="failed"} 1');
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      console.log(`[serve] two uploads graded concurrently over HTTP: ${seconds.toFixed(1)} s`);
    },
  );

  it('refuses a non-loopback host without a token (exit 2, one line); on loopback generates one and prints it once', async () => {
    const refused = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(BIN, ['serve', '--host', '0.0.0.0', '--port', '0'], {
        cwd: packageRoot,
        env: { ...process.env, BREAKFIX_TOKEN: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toEqual([
      'breakfix serve: refusing to listen on 0.0.0.0 without a token (set BREAKFIX_TOKEN (a long random string) or listen on 127.0.0.1)',
    ]);

    const server = await startServe([], { BREAKFIX_TOKEN: '' });
    const match = /token (\S+) \(generated/.exec(server.stderr());
    expect(match).not.toBeNull();
    const token = match![1]!;
    expect(server.stderr().split(token).length - 1).toBe(1);
    expect((await fetch(`${server.url}/v1/scenarios`)).status).toBe(401);
    const listed = await fetch(`${server.url}/v1/scenarios`, { headers: { Authorization: `Bearer ${token}` } });
    expect(listed.status).toBe(200);
    expect(
      ((await listed.json()) as { scenarios: Array<{ id: string }> }).scenarios.map((scenario) => scenario.id),
    ).toContain('wrong-port');
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.stdout()).not.toContain(token);
  });
});
