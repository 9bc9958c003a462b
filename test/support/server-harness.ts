/** The HTTP API under test through `app.request`, with the fake engine (no Docker), and SSE reading. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect } from 'vitest';
import { createApp, type BreakfixApp } from '../../server/app.js';
import type { Services } from '../../server/context.js';
import { FakeEngine } from './fake-engine.js';

export const TOKEN = 'test-token-0123456789abcdef';

export interface Harness {
  app: BreakfixApp;
  services: Services;
  engine: FakeEngine;
  logs: string[];
  dataDir: string;
  closing: AbortController;
  request(pathname: string, init?: RequestInit & { token?: string | null }): Promise<Response>;
}

/** The harness of the running test (a live binding: set before each test). */
export let harness: Harness;
/** Every harness made in a test (some tests make their own), cleaned up after it. */
const made: Harness[] = [];

export async function makeHarness(
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

export const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

export async function errorOf(response: Response) {
  const body = (await response.json()) as { error: { code: string; message: string; hint?: string } };
  return { status: response.status, ...body.error };
}

/** Creates a session and waits until its lab is up (the fake starts at once unless gated). */
export async function createSession(scenario = 'wrong-port', seed?: number): Promise<string> {
  const response = await harness.request('/v1/sessions', json({ scenario, ...(seed !== undefined ? { seed } : {}) }));
  expect(response.status).toBe(202);
  const { id } = (await response.json()) as { id: string };
  await harness.services.registry.get(id).current;
  return id;
}

export interface SseEvent {
  event: string;
  id?: string;
  data: string;
  comment?: string;
}

/** Reads an SSE body until `until` says stop (or the timeout). */
export async function readEvents(
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

/** A test that needs other limits: this harness replaces the running test's. */
export async function replaceHarness(options: Parameters<typeof makeHarness>[0]): Promise<Harness> {
  harness = await makeHarness(options);
  return harness;
}

/** Call at the top of a test file: a fresh harness before each test, everything cleaned up after. */
export function useServerHarness(): void {
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
}
