/**
 * One process changes a session at a time. proper-lockfile keeps the lock fresh while it is
 * held and treats it as stale when its holder died, so a killed `breakfix apply` never wedges
 * the session. Staleness alone takes 15 s (a live holder on a loaded machine must not lose its
 * lock to a slow timer); when the process that announced the work (`progress.pid`) is gone and
 * nobody has refreshed the lock for ABANDONED_MS, the lock is taken over at once.
 */
import { mkdir, rm, stat } from 'node:fs/promises';
import lockfile from 'proper-lockfile';
import { BreakfixError } from '../errors.js';
import { isProcessAlive } from '../util/process-alive.js';
import { readSessionFile, stateDir, type SessionFile } from './store.js';

const STALE_MS = 15_000;
/** A live holder refreshes the lock this often. */
const UPDATE_MS = 2_000;
/** Unrefreshed for this long, with its announcing process dead: abandoned. */
const ABANDONED_MS = 5_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function acquire(dir: string, waitMs: number): Promise<() => Promise<void>> {
  return lockfile.lock(dir, {
    lockfilePath: `${dir}/lock`,
    stale: STALE_MS,
    update: UPDATE_MS,
    retries: waitMs > 0 ? { retries: Math.ceil(waitMs / 250), minTimeout: 250, maxTimeout: 250, factor: 1 } : 0,
    realpath: false,
  });
}

/**
 * Waits (at most ABANDONED_MS) until a lock whose announcing process is dead is old enough to
 * be abandoned, and takes it over; undefined when the holder may still be alive.
 */
async function takeOverAbandoned(
  dir: string,
  file: SessionFile | undefined,
): Promise<(() => Promise<void>) | undefined> {
  const pid = file?.progress?.pid;
  if (pid === undefined || pid === process.pid || isProcessAlive(pid)) return undefined;
  for (let waited = 0; waited <= ABANDONED_MS + UPDATE_MS; waited += 250) {
    const refreshed = await stat(`${dir}/lock`).then(
      (info) => info.mtimeMs,
      () => 0,
    );
    if (Date.now() - refreshed > ABANDONED_MS) {
      await rm(`${dir}/lock`, { recursive: true, force: true });
      return acquire(dir, 0).catch(() => undefined);
    }
    await sleep(250);
  }
  return undefined;
}

export interface LockOptions {
  /** How long to wait for another process to finish, in ms. */
  waitMs?: number;
}

export async function withSessionLock<T>(
  workspace: string,
  work: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const dir = stateDir(workspace);
  await mkdir(dir, { recursive: true });
  const waitMs = options.waitMs ?? 0;
  let release: () => Promise<void>;
  try {
    release = await acquire(dir, waitMs);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    const file = await readSessionFile(workspace).catch(() => undefined);
    const taken = await takeOverAbandoned(dir, file);
    if (taken) return runHolding(taken, work);
    const busy = file?.progress
      ? `${file.progress.state} since ${file.progress.since} (pid ${file.progress.pid})`
      : 'another breakfix command';
    throw new BreakfixError(
      'usage',
      `the session is busy: ${busy}`,
      'wait for it to finish, then try again',
      'session-busy',
    );
  }
  return runHolding(release, work);
}

async function runHolding<T>(release: () => Promise<void>, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } finally {
    await release().catch(() => undefined);
  }
}
