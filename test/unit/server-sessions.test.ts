/**
 * The session registry behind the routes: resting states announced only once an operation is
 * over, deadline ticks, adoption of a previous server's sessions, shutdown, and the server's
 * building blocks (capacity, event hub, metrics text, archive path checks, loopback hosts).
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Capacity } from '../../server/capacity.js';
import { BUFFER, EventHub } from '../../server/events.js';
import { isLoopback } from '../../server/serve.js';
import { SessionRegistry } from '../../server/sessions.js';
import { checkArchivePath, resolveLinkTarget } from '../../server/upload.js';
import { workspaceSegments } from '../../server/workspace-files.js';
import { deferred, FakeEngine } from '../support/fake-engine.js';

let dataDir: string;
let engine: FakeEngine;
let capacity: Capacity;
let registry: SessionRegistry;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'bf-registry-'));
  engine = new FakeEngine();
  capacity = new Capacity(4);
  registry = new SessionRegistry({ engine, capacity, dataDir });
});

afterEach(async () => {
  vi.useRealTimers();
  await registry.shutdown();
  await rm(dataDir, { recursive: true, force: true });
});

describe('SessionRegistry', () => {
  it('announces a resting state only when the operation is over, so a client acting on it is not refused', async () => {
    engine.startGate = deferred();
    const entry = await registry.create('wrong-port', 3, capacity.tryAcquire('session')!);
    const seen: Array<{ state: string; operation: string | undefined }> = [];
    entry.hub.subscribe((event) => {
      if (event.event === 'state')
        seen.push({ state: (event.data as { state: string }).state, operation: entry.operation });
    });
    engine.startGate.resolve();
    await entry.current;
    await registry.act(entry.id, 'check');
    expect(seen.filter((item) => item.state === 'active')).toEqual([
      { state: 'active', operation: undefined },
      { state: 'active', operation: undefined },
    ]);
    // Non-resting states are announced while the operation runs.
    expect(seen.find((item) => item.state === 'checking')).toEqual({ state: 'checking', operation: 'check' });
    const order = seen.map((item) => item.state);
    expect(order).toEqual(['building', 'deploying', 'injecting', 'active', 'checking', 'active']);
  });

  it('fires due hint deadlines with the engine tick', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const entry = await registry.create('wrong-port', 3, capacity.tryAcquire('session')!);
    await entry.current;
    // The lab's check round arms a hint deadline a minute out.
    const lab = engine.labs.get(entry.workspace)!;
    const check = lab.handlers.CHECK!;
    lab.handlers.CHECK = async (fake, onNotice) => {
      const result = await check(fake, onNotice);
      const deadlines = [{ kind: 'hint' as const, index: 1, dueAt: Date.now() + 60_000, done: false }];
      return { ...result, context: { ...result.context, deadlines } };
    };
    await registry.act(entry.id, 'check');
    const ticks = () => lab.calls.filter((call) => call === 'TICK').length;
    await vi.advanceTimersByTimeAsync(59_000);
    expect(ticks()).toBe(0);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(ticks()).toBe(1);
  });

  it('adopts the sessions a previous server left in its data dir, and they count against the cap', async () => {
    const first = await registry.create('wrong-port', 1, capacity.tryAcquire('session')!);
    await first.current;
    // A new server on the same data dir (and the same engine state, as on disk).
    const nextCapacity = new Capacity(4);
    const next = new SessionRegistry({ engine, capacity: nextCapacity, dataDir });
    await mkdir(path.join(dataDir, 'sessions', 'not-a-session'), { recursive: true });
    expect(await next.adopt()).toBe(1);
    expect(next.summaries().map((summary) => [summary.id, summary.state])).toEqual([[first.id, 'active']]);
    expect(nextCapacity.inUse).toBe(1);
    await next.delete(first.id);
    expect(nextCapacity.inUse).toBe(0);
  });

  it('shutdown stops every session, one still starting included, and frees every slot', async () => {
    const running = await registry.create('wrong-port', 1, capacity.tryAcquire('session')!);
    await running.current;
    engine.startGate = deferred();
    const starting = await registry.create('missing-env-var', 2, capacity.tryAcquire('session')!);
    const shutdown = registry.shutdown();
    engine.startGate.resolve();
    await shutdown;
    expect(registry.size).toBe(0);
    expect(capacity.inUse).toBe(0);
    expect(engine.calls.filter((call) => call.startsWith('STOP'))).toEqual([
      `STOP ${running.workspace}`,
      `STOP ${starting.workspace}`,
    ]);
  });
});

describe('server building blocks', () => {
  it('Capacity never gives more slots than its maximum and releases each slot once', () => {
    const cap = new Capacity(2);
    const a = cap.tryAcquire('session')!;
    const b = cap.tryAcquire('grade')!;
    expect(cap.tryAcquire('session')).toBeUndefined();
    a.release();
    a.release();
    expect(cap.inUse).toBe(1);
    expect(cap.tryAcquire('session')).toBeDefined();
    b.release();
    expect(() => new Capacity(0)).toThrow();
  });

  it('EventHub numbers events, replays what a reconnecting client missed, and ends once', () => {
    const hub = new EventHub();
    for (let index = 0; index < BUFFER + 10; index += 1) hub.publish('progress', { index });
    expect(hub.since(BUFFER + 5)!.map((event) => event.id)).toEqual([
      BUFFER + 6,
      BUFFER + 7,
      BUFFER + 8,
      BUFFER + 9,
      BUFFER + 10,
    ]);
    expect(hub.since(3)).toBeUndefined();
    expect(hub.since(hub.lastId)).toEqual([]);
    const received: string[] = [];
    hub.subscribe((event) => received.push(event.event));
    hub.end('deleted');
    hub.end('again');
    expect(hub.publish('state', {})).toBeUndefined();
    expect(received).toEqual(['end']);
    expect(hub.ended).toBe('deleted');
  });

  it('archive paths and link targets must stay inside the workspace', () => {
    expect(checkArchivePath('app/main.py')).toBeUndefined();
    expect(checkArchivePath('./compose.yaml')).toBeUndefined();
    expect(checkArchivePath('../x')).toMatch(/leaves the workspace/);
    expect(checkArchivePath('a/../../x')).toMatch(/leaves the workspace/);
    expect(checkArchivePath('/etc/passwd')).toMatch(/absolute/);
    expect(checkArchivePath('C:\\x')).toMatch(/absolute/);
    expect(checkArchivePath('a\0b')).toMatch(/NUL/);
    expect(resolveLinkTarget('secrets/link', 'real', 'symlink')).toBe('secrets/real');
    expect(resolveLinkTarget('secrets/link', '../compose.yaml', 'symlink')).toBe('compose.yaml');
    expect(resolveLinkTarget('secrets/link', '../../x', 'symlink')).toBeUndefined();
    expect(resolveLinkTarget('link', '/etc/shadow', 'symlink')).toBeUndefined();
    expect(resolveLinkTarget('deep/a/h', 'compose.yaml', 'hardlink')).toBe('compose.yaml');
    expect(resolveLinkTarget('h', '../x', 'hardlink')).toBeUndefined();
  });

  it('workspace paths: relative, no . or .., not under .breakfix', () => {
    expect(workspaceSegments('secrets/db.txt')).toEqual(['secrets', 'db.txt']);
    expect(workspaceSegments('a//b/')).toEqual(['a', 'b']);
    for (const bad of [
      '',
      '/etc/passwd',
      '../x',
      'a/../../x',
      'a/./b',
      '.breakfix/session.json',
      '.breakfix',
      'a\\b',
      'a\0b',
    ]) {
      expect(() => workspaceSegments(bad), bad).toThrow();
    }
  });

  it('knows loopback hosts', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1'])
      expect([host, isLoopback(host)]).toEqual([host, true]);
    for (const host of ['0.0.0.0', '::', '192.168.1.10', 'example.org', '10.0.0.1'])
      expect([host, isLoopback(host)]).toEqual([host, false]);
  });
});
