/**
 * Docker's byte streams: multiplexed logs (stdout and stderr in one framed stream), the tar
 * archive that carries secrets into a container, and the time format `since` wants.
 */
import { PassThrough, Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import type { ContainerSpec } from './runtime.js';

/** Docker wants `since` as seconds with a fractional part, like the CLI sends it. */
export function dockerTime(date: Date): string {
  const ms = date.getTime();
  return `${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}000000`;
}

/** archiver is loaded on first use: importing it costs a new process ~0.2 s, and `status` never writes a tar. */
export async function tarOf(files: ContainerSpec['files']): Promise<Readable> {
  const { TarArchive } = await import('archiver');
  const archive = new TarArchive();
  for (const file of files) archive.append(file.content, { name: file.target.replace(/^\//, ''), mode: file.mode });
  void archive.finalize();
  return archive;
}

/**
 * The text of a finished (non-follow) log answer, both streams interleaved as Docker sent them:
 * Docker's multiplexed frames (8-byte header: stream 0/1/2, three zero bytes, the payload's
 * length big-endian). Written here rather than taken from docker-modem's demuxStream because
 * loading docker-modem is what a short command avoids (docker-connection.ts); it follows that
 * function: a header that is not a stream's (a TTY's raw output) turns the rest into plain
 * text, and an incomplete last frame is dropped.
 */
export function demuxLogs(body: Buffer): string {
  const parts: Buffer[] = [];
  let offset = 0;
  while (body.length - offset >= 8) {
    const type = body.readUInt8(offset);
    if (type > 2) {
      parts.push(body.subarray(offset));
      break;
    }
    const length = body.readUInt32BE(offset + 4);
    if (body.length - offset - 8 < length) break;
    parts.push(body.subarray(offset + 8, offset + 8 + length));
    offset += 8 + length;
  }
  return Buffer.concat(parts).toString('utf8');
}

/**
 * Calls `onLine` for each line of a following log stream until it ends or `signal` aborts. The
 * socket is destroyed on abort: a follow stream left open keeps the process alive.
 */
export async function followLines(
  docker: Dockerode,
  stream: Readable,
  onLine: (line: string) => void,
  signal: AbortSignal,
): Promise<void> {
  const out = new PassThrough();
  let partial = '';
  out.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  docker.modem.demuxStream(stream, out, out);
  await new Promise<void>((resolve) => {
    const finish = () => {
      signal.removeEventListener('abort', abort);
      if (partial) onLine(partial);
      partial = '';
      resolve();
    };
    const abort = () => {
      stream.destroy();
      finish();
    };
    if (signal.aborted) return abort();
    signal.addEventListener('abort', abort, { once: true });
    stream.on('end', finish);
    stream.on('close', finish);
    stream.on('error', finish);
  });
}
