/** Child processes of the benchmark: timed, with their output kept for error messages. */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import path from 'node:path';
import { packageRoot } from '../engine/paths.js';

export const NODE = process.execPath;
export const BREAKFIX_BIN = path.join(packageRoot, 'bin', 'breakfix');
export const DIST_BENCH = path.join(packageRoot, 'dist', 'bench');

export interface Finished {
  ms: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(
  command: string,
  args: string[],
  options: SpawnOptions & { timeoutMs?: number; onSpawn?: (child: ChildProcess) => void } = {},
): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    options.onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGTERM'), options.timeoutMs) : undefined;
    child.on('error', reject);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ ms: performance.now() - started, code, stdout, stderr });
    });
  });
}

/** Peak and current resident set of a process, from /proc (Linux), in KiB. */
export async function procMemory(pid: number): Promise<{ peakKb: number; rssKb: number } | undefined> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined);
  if (!status) return undefined;
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { peakKb: field('VmHWM'), rssKb: field('VmRSS') };
}
