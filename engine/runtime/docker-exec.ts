/**
 * `docker exec` with an end. testcontainers' exec attaches stdin and has no timeout: an exec
 * that never finishes (a psql waiting on a paused database) keeps its socket, and with it the
 * whole process, alive after the caller gave up. Here the caller's timeout or abort destroys
 * the stream; the command itself may linger in the container until the container stops (Docker
 * has no API to kill an exec), but nothing of it stays in this process.
 */
import { PassThrough, type Duplex } from 'node:stream';
import type Dockerode from 'dockerode';
import type { ExecResult } from './runtime.js';

export interface ExecOptions {
  user?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export async function execInContainer(
  docker: Dockerode,
  container: string,
  command: string[],
  options: ExecOptions = {},
): Promise<ExecResult> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const exec = await docker.getContainer(container).exec({
    Cmd: command,
    AttachStdout: true,
    AttachStderr: true,
    AttachStdin: false,
    ...(options.user ? { User: options.user } : {}),
    ...(options.env ? { Env: Object.entries(options.env).map(([key, value]) => `${key}=${value}`) } : {}),
  });
  const stream = (await exec.start({ Detach: false, Tty: false })) as Duplex;
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  const out = new PassThrough().on('data', (chunk: Buffer) => stdout.push(chunk));
  const err = new PassThrough().on('data', (chunk: Buffer) => stderr.push(chunk));
  docker.modem.demuxStream(stream, out, err);
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (reason: string) => {
        stream.destroy();
        reject(new Error(`\`${command.join(' ')}\` in ${container} ${reason}`));
      };
      timer = setTimeout(() => fail(`did not finish within ${timeoutMs}ms`), timeoutMs);
      onAbort = () => fail('was interrupted');
      if (options.signal?.aborted) return onAbort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', reject);
    });
  } finally {
    clearTimeout(timer);
    if (onAbort) options.signal?.removeEventListener('abort', onAbort);
  }
  // Docker may still say Running for a moment after the output ended.
  let info = await exec.inspect();
  for (let tries = 0; info.Running && tries < 20; tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    info = await exec.inspect();
  }
  return {
    exitCode: info.ExitCode ?? -1,
    stdout: Buffer.concat(stdout).toString('utf8'),
    stderr: Buffer.concat(stderr).toString('utf8'),
  };
}
