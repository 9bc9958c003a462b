/**
 * One process changes a session at a time. proper-lockfile keeps the lock fresh while it is
 * held and treats it as stale when its holder died, so a killed `breakfix apply` never wedges
 * the session.
 */
import { mkdir } from 'node:fs/promises';
import lockfile from 'proper-lockfile';
import { BreakfixError } from '../errors.js';
import { readSessionFile, stateDir } from './store.js';

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
    release = await lockfile.lock(dir, {
      lockfilePath: `${dir}/lock`,
      stale: 15_000,
      update: 5_000,
      retries: waitMs > 0 ? { retries: Math.ceil(waitMs / 250), minTimeout: 250, maxTimeout: 250, factor: 1 } : 0,
      realpath: false,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    const file = await readSessionFile(workspace).catch(() => undefined);
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
  try {
    return await work();
  } finally {
    await release().catch(() => undefined);
  }
}
