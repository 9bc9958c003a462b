/**
 * A temporary folder that is removed however the work inside it ends: success, failure, or
 * Ctrl-C / SIGTERM. A root filesystem left behind is hundreds of megabytes in /var/tmp, and
 * debootstrap mounts /proc and /sys inside it, so removal first unmounts whatever is mounted
 * below the folder and refuses to delete anything that is still a mount.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** /var/tmp lives on disk and allows device nodes; /tmp is often a small `nodev` tmpfs. */
function scratchParent(): string {
  if (process.env.TMPDIR) return process.env.TMPDIR;
  return existsSync('/var/tmp') ? '/var/tmp' : os.tmpdir();
}

/** Mount points strictly below `dir`, deepest first (the order they must be unmounted in). */
export function mountsBelow(mountsText: string, dir: string): string[] {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  return mountsText
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .map((field) => field.replace(/\\(\d{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))))
    .filter((mountPoint) => mountPoint.startsWith(prefix))
    .sort((a, b) => b.length - a.length);
}

async function currentMountsBelow(dir: string): Promise<string[]> {
  const text = await readFile('/proc/self/mounts', 'utf8').catch(() => '');
  return mountsBelow(text, dir);
}

export async function removeScratchDir(dir: string): Promise<void> {
  for (const mountPoint of await currentMountsBelow(dir)) {
    await run('umount', ['-l', mountPoint]).catch(() => undefined);
  }
  const left = await currentMountsBelow(dir);
  if (left.length > 0) throw new Error(`not removing ${dir}: still mounted below it: ${left.join(', ')}`);
  await rm(dir, { recursive: true, force: true, maxRetries: 2 });
}

/**
 * Runs `work` with a fresh folder and an AbortSignal that fires on the caller's signal or on
 * SIGINT/SIGTERM. After cleanup, a caught signal is raised again so the process still ends the
 * way the user asked.
 */
export async function withScratchDir<T>(
  prefix: string,
  work: (dir: string, signal: AbortSignal) => Promise<T>,
  outerSignal?: AbortSignal,
): Promise<T> {
  const dir = await mkdtemp(path.join(scratchParent(), prefix));
  const controller = new AbortController();
  let caught: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    caught ??= signal;
    controller.abort(new Error(`interrupted by ${signal}`));
  };
  const onOuterAbort = (): void => controller.abort(outerSignal?.reason);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  if (outerSignal?.aborted) onOuterAbort();
  outerSignal?.addEventListener('abort', onOuterAbort, { once: true });
  try {
    return await work(dir, controller.signal);
  } finally {
    outerSignal?.removeEventListener('abort', onOuterAbort);
    try {
      await removeScratchDir(dir);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      if (caught) process.kill(process.pid, caught);
    }
  }
}
