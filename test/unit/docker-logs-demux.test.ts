/**
 * `demuxLogs` (engine/runtime/docker-streams.ts) reads a finished log answer without loading
 * docker-modem; it must give the same text as docker-modem's demuxStream for every input:
 * random sequences of stdout/stderr frames, a TTY's raw output, an incomplete last frame.
 */
import { createRequire } from 'node:module';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { demuxLogs } from '../../engine/runtime/docker-streams.js';

const Modem = createRequire(import.meta.url)('docker-modem') as new () => {
  demuxStream(stream: Readable, stdout: PassThrough, stderr: PassThrough): void;
};

async function viaDockerModem(body: Buffer): Promise<string> {
  const source = Readable.from([body]);
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  new Modem().demuxStream(source, out, out);
  await new Promise<void>((resolve) => source.on('end', resolve));
  return Buffer.concat(chunks).toString('utf8');
}

function frame(stream: number, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header.writeUInt8(stream, 0);
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

/** A small deterministic PRNG: the cases are the same on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('demuxLogs', () => {
  it('interleaves stdout and stderr frames as Docker sent them', () => {
    const body = Buffer.concat([frame(1, 'out 1\n'), frame(2, 'err 1\n'), frame(1, 'out 2\n')]);
    expect(demuxLogs(body)).toBe('out 1\nerr 1\nout 2\n');
  });

  it('gives what docker-modem gives, for 200 random answers', async () => {
    const next = random(42);
    for (let round = 0; round < 200; round += 1) {
      const frames = Array.from({ length: Math.floor(next() * 6) }, (_, index) =>
        frame(next() < 0.5 ? 1 : 2, `line ${round}.${index} ${'é'.repeat(Math.floor(next() * 5))}\n`),
      );
      let body = Buffer.concat(frames);
      // Sometimes a last frame cut short, as a truncated answer would be.
      if (next() < 0.3 && body.length > 3) body = body.subarray(0, body.length - 1 - Math.floor(next() * 3));
      expect(demuxLogs(body)).toBe(await viaDockerModem(body));
    }
  });

  it("passes a TTY's raw output through as text, as docker-modem does", async () => {
    const raw = Buffer.from('a container with a TTY writes plain text\nline two\n');
    expect(demuxLogs(raw)).toBe(await viaDockerModem(raw));
    expect(demuxLogs(raw)).toBe(raw.toString());
  });
});
