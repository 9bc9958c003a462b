/**
 * The record of a perturbation in progress, written before a probe disturbs a lab and removed
 * once everything is undone. A process killed mid-probe (kill -9, a closed laptop) leaves it
 * behind; the next command on the session, or `breakfix gc`, reads it and puts the lab back.
 * It lives in the workspace's state folder because a container's labels cannot change after
 * it was created.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { containerName, networkName, type Lab } from '../deploy/lab.js';
import type { Captured, FaultContext } from '../faults/fault.js';
import { findFault } from '../faults/registry.js';
import type { Runtime } from '../runtime/runtime.js';
import { isProcessAlive } from '../util/process-alive.js';
import { redeployRelease } from './release-forward.js';
import { undoAfterSql } from './deploy-sql.js';
import { deploySql } from './perturbation.js';

export interface PendingPerturbation {
  type: string;
  params: Record<string, unknown>;
  captured?: Captured;
}

export interface PendingRestore {
  pid: number;
  since: string;
  check: string;
  perturbations: PendingPerturbation[];
}

const FILE = 'pending-restore.json';
const file = (stateDir: string) => path.join(stateDir, FILE);

export async function readPendingRestore(stateDir: string): Promise<PendingRestore | undefined> {
  try {
    return JSON.parse(await readFile(file(stateDir), 'utf8')) as PendingRestore;
  } catch {
    return undefined;
  }
}

export async function writePendingRestore(stateDir: string, pending: PendingRestore): Promise<void> {
  await mkdir(stateDir, { recursive: true });
  const temporary = `${file(stateDir)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, JSON.stringify(pending, null, 2));
  await rename(temporary, file(stateDir));
}

export async function clearPendingRestore(stateDir: string): Promise<void> {
  await rm(file(stateDir), { force: true });
}

/** A fault context rebuilt from names alone: enough to undo, in any process. */
export function restoreContext(lab: Lab, runtime: Runtime, labSource = ''): FaultContext {
  return {
    lab,
    runtime,
    labSource,
    network: networkName(lab),
    service: (name) => ({ container: containerName(lab, name), image: '' }),
  };
}

/**
 * Undoes one perturbation: `deploy.hold` needs nothing, `deploy.sql` by its inverse statement
 * and a redeploy, `release.forward` by
 * redeploying the release that ran before it (recorded as `captured`), a fault by its restore.
 */
export async function undoPerturbation(ctx: FaultContext, entry: PendingPerturbation, stateDir: string): Promise<void> {
  if (entry.type === 'release.forward') {
    // Never applied (interrupted before it began): nothing to put back.
    if (typeof entry.captured !== 'number') return;
    await redeployRelease({ lab: ctx.lab, runtime: ctx.runtime, stateDir }, entry.captured);
    return;
  }
  // A held program starts by itself once the hold is over (held-start.ts): nothing to put back.
  if (entry.type === 'deploy.hold') return;
  if (entry.type === 'deploy.sql') {
    await undoAfterSql({ lab: ctx.lab, runtime: ctx.runtime, stateDir }, deploySql.params.parse(entry.params));
    return;
  }
  const definition = findFault(entry.type);
  if (!definition?.restore) throw new Error(`${entry.type} cannot be undone`);
  await definition.restore.undo(ctx, definition.params.parse(entry.params), entry.captured);
}

/**
 * Puts back a lab whose probe was interrupted. Returns what was restored, or undefined when
 * nothing was pending (or the probing process is still alive and owns it).
 */
export async function restorePending(
  stateDir: string,
  lab: Lab,
  runtime: Runtime,
): Promise<PendingRestore | undefined> {
  const pending = await readPendingRestore(stateDir);
  if (!pending) return undefined;
  if (pending.pid !== process.pid && isProcessAlive(pending.pid)) return undefined;
  const ctx = restoreContext(lab, runtime);
  const failures: string[] = [];
  for (const entry of [...pending.perturbations].reverse()) {
    try {
      await undoPerturbation(ctx, entry, stateDir);
    } catch (error) {
      failures.push(`${entry.type}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (failures.length > 0) throw new Error(`could not undo an interrupted probe (${failures.join('; ')})`);
  await clearPendingRestore(stateDir);
  return pending;
}
