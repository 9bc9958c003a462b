/**
 * Memory of `breakfix serve` holding N labs: the real command (bin/breakfix serve), N
 * `POST /v1/sessions`, polled through `GET /v1/sessions` until every lab rests, then the
 * server's peak RSS (VmHWM) read from /proc; then every session is deleted, the server is
 * stopped with SIGTERM (its graceful shutdown), and the sessions' labels are checked.
 */
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LABELS } from '../engine/runtime/labels.js';
import type { Runtime } from '../engine/runtime/runtime.js';
import type { Cleanup } from './cleanup.js';
import { BREAKFIX_BIN, procMemory } from './spawn.js';

export interface ServeResult {
  available: boolean;
  sessions: number;
  scenario: string;
  wallMs?: number;
  active?: number;
  failures?: Array<{ id: string; state: string; error?: string }>;
  serverPeakRssMiB?: number;
  serverRssHoldingMiB?: number;
  serverIdleRssMiB?: number;
  leaked?: number;
  error?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mib = (kb: number) => Math.round((kb / 1024) * 10) / 10;

export async function benchServe(
  count: number,
  scenario: string,
  runtime: Runtime,
  cleanup: Cleanup,
  log: (line: string) => void,
): Promise<ServeResult> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'breakfix-bench-serve-'));
  cleanup.workspaceRoots.add(path.join(dataDir, 'sessions'));
  cleanup.workspaceRoots.add(dataDir);
  const token = randomBytes(24).toString('hex');
  const child = spawn(
    BREAKFIX_BIN,
    ['serve', '--port', '0', '--max-sessions', String(count), '--data-dir', dataDir, '--shutdown-timeout', '30'],
    {
      env: { ...process.env, BREAKFIX_TOKEN: token },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  if (child.pid) cleanup.children.add(child.pid);
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const url = await new Promise<string | undefined>((resolve) => {
    const timer = setTimeout(() => resolve(undefined), 30_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      const match = /listening on (http:\/\/\S+)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    void exited.then(() => resolve(undefined));
  });
  if (!url) {
    child.kill('SIGKILL');
    return {
      available: false,
      sessions: count,
      scenario,
      error: `breakfix serve did not start: ${stderr.trim().split('\n').slice(-2).join(' | ') || 'no output'}`,
    };
  }
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const api = async (method: string, route: string, body?: unknown) => {
    const response = await fetch(`${url}${route}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
  const idle = child.pid ? await procMemory(child.pid) : undefined;
  const ids: string[] = [];
  const result: ServeResult = { available: true, sessions: count, scenario };
  try {
    const started = performance.now();
    const created = await Promise.all(
      Array.from({ length: count }, (_, index) => api('POST', '/v1/sessions', { scenario, seed: index + 1 })),
    );
    for (const answer of created) {
      if (answer.status === 202 && typeof answer.json.id === 'string') ids.push(answer.json.id);
      else log(`serve: POST /v1/sessions answered ${answer.status}: ${JSON.stringify(answer.json).slice(0, 200)}`);
    }
    for (const id of ids) cleanup.sessions.add(id);
    const resting = new Set(['active', 'passed', 'error', 'stopped', 'failed']);
    let sessions: Array<{ id: string; state: string; error?: unknown }> = [];
    const deadline = Date.now() + 15 * 60_000;
    for (;;) {
      const list = await api('GET', '/v1/sessions');
      sessions = ((list.json.sessions as typeof sessions | undefined) ?? []).filter((session) =>
        ids.includes(session.id),
      );
      if (sessions.length === ids.length && sessions.every((session) => resting.has(session.state))) break;
      if (Date.now() > deadline) throw new Error('the sessions did not come up within 15 minutes');
      await sleep(250);
    }
    result.wallMs = performance.now() - started;
    result.active = sessions.filter((session) => session.state === 'active').length;
    result.failures = [
      ...sessions
        .filter((session) => session.state !== 'active')
        .map((session) => ({
          id: session.id,
          state: session.state,
          ...(session.error ? { error: JSON.stringify(session.error).slice(0, 300) } : {}),
        })),
      ...Array.from({ length: count - ids.length }, () => ({ id: '', state: 'not created' })),
    ];
    const holding = child.pid ? await procMemory(child.pid) : undefined;
    if (holding) {
      result.serverPeakRssMiB = mib(holding.peakKb);
      result.serverRssHoldingMiB = mib(holding.rssKb);
    }
    if (idle) result.serverIdleRssMiB = mib(idle.rssKb);
    await Promise.all(ids.map((id) => api('DELETE', `/v1/sessions/${id}`).catch(() => undefined)));
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
  } finally {
    child.kill('SIGTERM');
    const code = await Promise.race([exited, sleep(120_000).then(() => 'timeout' as const)]);
    if (code === 'timeout') child.kill('SIGKILL');
    if (child.pid) cleanup.children.delete(child.pid);
  }
  let leaked = 0;
  for (const id of ids) {
    const left = await runtime.listLabelled(LABELS.session, id);
    leaked += left.length;
    if (left.length > 0) await cleanup.sweepSession(id);
  }
  result.leaked = leaked;
  return result;
}
