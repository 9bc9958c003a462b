/**
 * `concurrent`: N labs started at once through the engine, in a child process (its peak RSS is
 * the engine's "holding N sessions" figure), then stopped; afterwards every session's label is
 * checked (a leak is reported and swept).
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Runtime } from '../engine/runtime/runtime.js';
import { LABELS } from '../engine/runtime/labels.js';
import type { Cleanup } from './cleanup.js';
import { DIST_BENCH, NODE, run } from './spawn.js';
import { summarise, type Summary } from './stats.js';

export interface ConcurrentResult {
  sessions: number;
  scenario: string;
  wallMs: number;
  ok: number;
  failures: Array<{ workspace: string; error: string }>;
  perSession: Summary;
  stopWallMs: number;
  stopFailures: Array<{ workspace: string; error: string }>;
  /** Peak RSS of the engine process once all N starts returned (holding N sessions). */
  engineMaxRssMiB: number;
  /** Peak RSS over the whole child, including the N concurrent teardowns. */
  engineMaxRssWithStopMiB: number;
  leaked: number;
  error?: string;
}

const mib = (kb: number | undefined) => (kb === undefined ? Number.NaN : Math.round((kb / 1024) * 10) / 10);

export async function benchConcurrent(
  count: number,
  scenario: string,
  runtime: Runtime,
  cleanup: Cleanup,
): Promise<ConcurrentResult> {
  const root = await mkdtemp(path.join(os.tmpdir(), `breakfix-bench-c${count}-`));
  cleanup.workspaceRoots.add(root);
  const finished = await run(NODE, [path.join(DIST_BENCH, 'concurrent-child.js'), String(count), scenario, root], {
    timeoutMs: 20 * 60_000,
    onSpawn: (child) => child.pid && cleanup.children.add(child.pid),
  });
  const lines = finished.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const started = lines.find((line) => line.phase === 'started') as
    | { wallMs: number; ok: number; failures: ConcurrentResult['failures']; perSessionMs: number[]; maxRssKb: number }
    | undefined;
  const stopped = lines.find((line) => line.phase === 'stopped') as
    { wallMs: number; failures: ConcurrentResult['stopFailures']; maxRssKb: number } | undefined;

  // Leaks: every session the child created, found again from the workspaces it wrote.
  const ids = await cleanup.sessionIdsUnder(root);
  let leaked = 0;
  for (const id of ids) {
    const left = await runtime.listLabelled(LABELS.session, id);
    leaked += left.length;
    if (left.length > 0) await cleanup.sweepSession(id);
  }
  const result: ConcurrentResult = {
    sessions: count,
    scenario,
    wallMs: started?.wallMs ?? Number.NaN,
    ok: started?.ok ?? 0,
    failures: started?.failures ?? [],
    perSession: summarise(started?.perSessionMs ?? []),
    stopWallMs: stopped?.wallMs ?? Number.NaN,
    stopFailures: stopped?.failures ?? [],
    engineMaxRssMiB: mib(started?.maxRssKb),
    engineMaxRssWithStopMiB: mib(stopped?.maxRssKb),
    leaked,
  };
  if (finished.code !== 0)
    result.error = `the child exited ${finished.code}: ${finished.stderr.trim().split('\n').slice(-3).join(' | ')}`;
  return result;
}
