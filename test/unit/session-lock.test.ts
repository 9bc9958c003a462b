/**
 * A session's lock: a second process is refused while the holder lives; a lock left by a
 * process that was killed (SIGKILL: no cleanup ran) is taken over within seconds, not the 15 s
 * of proper-lockfile's staleness.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withSessionLock } from '../../engine/session/lock.js';
import { writeSessionFile, type SessionFile } from '../../engine/session/store.js';

const roots: string[] = [];
afterAll(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

/** A pid that belonged to a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

/** A workspace whose lock is held by `pid` (as a killed process leaves it), refreshed `ageMs` ago. */
async function lockedBy(pid: number, ageMs: number): Promise<string> {
  const workspace = await mkdtemp(path.join(os.tmpdir(), 'bf-lock-'));
  roots.push(workspace);
  const file: SessionFile = {
    format: 1,
    sessionId: 'abc123',
    scenarioId: 'wrong-port',
    seed: 1,
    workspace,
    createdAt: new Date().toISOString(),
    revision: 1,
    progress: { state: 'applying', pid, since: new Date(Date.now() - ageMs).toISOString() },
  };
  await writeSessionFile(workspace, file);
  const lock = path.join(workspace, '.breakfix', 'lock');
  await mkdir(lock);
  const at = new Date(Date.now() - ageMs);
  await utimes(lock, at, at);
  return workspace;
}

describe('the session lock', () => {
  it('refuses a second process while the holder is alive', async () => {
    const workspace = await lockedBy(process.ppid, 8_000);
    await expect(withSessionLock(workspace, async () => 'ran')).rejects.toThrow(
      /the session is busy: applying since .* \(pid \d+\)/,
    );
  });

  it('takes over at once the lock of a killed process that nobody refreshed', async () => {
    const workspace = await lockedBy(deadPid(), 8_000);
    const started = Date.now();
    expect(await withSessionLock(workspace, async () => 'ran')).toBe('ran');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('waits until a dead holder’s lock is abandoned (a few seconds), then takes it over', async () => {
    const workspace = await lockedBy(deadPid(), 1_000);
    const started = Date.now();
    expect(await withSessionLock(workspace, async () => 'ran')).toBe('ran');
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThan(3_000);
    expect(waited).toBeLessThan(9_000);
  });
});
