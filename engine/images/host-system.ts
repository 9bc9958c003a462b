/**
 * What breakfix may do to the machine it runs on: it installs packages (docker.io, debootstrap)
 * only as root on Debian or Ubuntu, where apt-get is the known right answer; everywhere else it
 * says, in one line, what the user should run.
 */
import { spawn } from 'node:child_process';
import { access, readFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import path from 'node:path';

export interface OsRelease {
  id: string;
  idLike: string[];
  prettyName: string;
}

export function parseOsRelease(text: string): OsRelease {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (match?.[1]) fields.set(match[1], (match[2] ?? '').replace(/^(["'])(.*)\1$/, '$2'));
  }
  return {
    id: fields.get('ID') ?? '',
    idLike: (fields.get('ID_LIKE') ?? '').split(/\s+/).filter(Boolean),
    prettyName: fields.get('PRETTY_NAME') ?? fields.get('ID') ?? 'unknown',
  };
}

export async function readOsRelease(): Promise<OsRelease | undefined> {
  for (const file of ['/etc/os-release', '/usr/lib/os-release']) {
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text !== undefined) return parseOsRelease(text);
  }
  return undefined;
}

export function isDebianLike(release: OsRelease | undefined): boolean {
  if (!release) return false;
  return [release.id, ...release.idLike].some((id) => id === 'debian' || id === 'ubuntu');
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** The absolute path of `command` on PATH (plus the sbin folders a non-login root shell may lack). */
export async function findCommand(command: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const dirs = [...(env.PATH ?? '').split(path.delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'].filter(Boolean);
  for (const dir of dirs) {
    const candidate = path.join(dir, command);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface RunResult {
  code: number;
  /** The last lines of stdout and stderr together, for error messages. */
  tail: string[];
}

/**
 * Runs a command, streaming its output lines; never throws on a non-zero exit. On abort the
 * child gets SIGTERM (SIGKILL 10 s later) and the promise settles only once it has exited, so
 * a caller's cleanup never races a process still writing into the folder being removed.
 */
export function runCommand(
  command: string,
  args: readonly string[],
  options: { onLine?: (line: string) => void; signal?: AbortSignal; env?: NodeJS.ProcessEnv; tailLines?: number } = {},
): Promise<RunResult> {
  const tailLines = options.tailLines ?? 15;
  const { signal } = options;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      return;
    }
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env });
    const tail: string[] = [];
    const partial = { stdout: '', stderr: '' };
    const emit = (raw: string): void => {
      const line = raw.replace(/\r$/, '');
      if (!line.trim()) return;
      tail.push(line);
      if (tail.length > tailLines) tail.shift();
      options.onLine?.(line);
    };
    const take = (which: 'stdout' | 'stderr', chunk: string): void => {
      const lines = (partial[which] + chunk).split('\n');
      partial[which] = lines.pop() ?? '';
      for (const raw of lines) emit(raw);
    };
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => take('stdout', chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => take('stderr', chunk));
    child.on('error', (error) => {
      signal?.removeEventListener('abort', onAbort);
      reject(error);
    });
    child.on('close', (code, exitSignal) => {
      signal?.removeEventListener('abort', onAbort);
      clearTimeout(killTimer);
      emit(partial.stdout);
      emit(partial.stderr);
      if (signal?.aborted) reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      else resolve({ code: code ?? (exitSignal ? 128 : 1), tail });
    });
  });
}

/**
 * `apt-get install -y <packages>`; on a machine whose package lists were never downloaded
 * (fresh containers, cloud images) the first attempt fails, so it updates and tries once more.
 */
export async function aptInstall(
  packages: readonly string[],
  options: { onLine?: (line: string) => void; signal?: AbortSignal } = {},
): Promise<void> {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = (): Promise<RunResult> => runCommand('apt-get', ['install', '-y', ...packages], { ...options, env });
  let result = await install();
  if (result.code !== 0) {
    const update = await runCommand('apt-get', ['update'], { ...options, env });
    if (update.code !== 0) throw new Error(`apt-get update failed (exit ${update.code}):\n${update.tail.join('\n')}`);
    result = await install();
  }
  if (result.code !== 0)
    throw new Error(
      `apt-get install -y ${packages.join(' ')} failed (exit ${result.code}):\n${result.tail.join('\n')}`,
    );
}
