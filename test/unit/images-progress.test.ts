import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BuildProgress } from '../../engine/runtime/build-progress.js';
import {
  BUILD_ERROR_TAIL,
  BuildError,
  BuildStreamReader,
  baseImagesOf,
  listContextFiles,
} from '../../engine/runtime/build-image.js';
import { importChanges } from '../../engine/images/base-image.js';
import { describeImagesProgress, fitLine, formatSeconds } from '../../engine/images/progress-text.js';
import { mountsBelow } from '../../engine/images/scratch-dir.js';
import { parseOsRelease, isDebianLike } from '../../engine/images/host-system.js';

const ref = { image: 'postgres' as const, tag: 'breakfix/postgres:15' };

describe('image progress lines', () => {
  it('describes each kind of event in one line; output lines only show live', () => {
    expect(describeImagesProgress({ ...ref, kind: 'current' })).toBe('breakfix/postgres:15: up to date');
    expect(describeImagesProgress({ ...ref, kind: 'start', reason: 'missing' })).toBe(
      'breakfix/postgres:15: building (not present)',
    );
    expect(describeImagesProgress({ ...ref, kind: 'start', reason: 'outdated' })).toBe(
      'breakfix/postgres:15: building (recipe changed)',
    );
    expect(describeImagesProgress({ ...ref, kind: 'step', step: 2, total: 9, instruction: 'RUN apt-get update' })).toBe(
      'breakfix/postgres:15: step 2/9 RUN apt-get update',
    );
    expect(
      describeImagesProgress({ ...ref, kind: 'output', line: 'Get:1 http://x bookworm InRelease' }),
    ).toBeUndefined();
    expect(
      describeImagesProgress({
        image: 'base',
        tag: 'breakfix/base:bookworm',
        kind: 'done',
        seconds: 31.4,
        origin: 'debootstrap',
      }),
    ).toBe('breakfix/base:bookworm: built in 31 s (debootstrap, no registry)');
  });

  it('keeps a long multi-line instruction on one line within the width', () => {
    const line = describeImagesProgress(
      {
        ...ref,
        kind: 'step',
        step: 2,
        total: 9,
        instruction: `RUN set -eux; \\\n    apt-get install -y ${'pkg '.repeat(60)}`,
      },
      80,
    );
    expect(line).toBeDefined();
    expect(line!.length).toBeLessThanOrEqual(80);
    expect(line).not.toContain('\n');
    expect(line!.endsWith('…')).toBe(true);
  });

  it('formats durations for humans', () => {
    expect(formatSeconds(0.42)).toBe('0.4 s');
    expect(formatSeconds(12.6)).toBe('13 s');
    expect(formatSeconds(125)).toBe('2 min 5 s');
    expect(fitLine('a   b\tc', 10)).toBe('a b c');
    expect(fitLine('abcdefghij', 5)).toBe('abcd…');
  });
});

/** Feeds a JSON-lines build stream in awkward chunks, like the socket delivers it. */
function feed(messages: object[], chunkSize = 7): { reader: BuildStreamReader; events: BuildProgress[] } {
  const events: BuildProgress[] = [];
  const reader = new BuildStreamReader((event) => events.push(event));
  const text = messages.map((message) => `${JSON.stringify(message)}\r\n`).join('');
  for (let i = 0; i < text.length; i += chunkSize) reader.push(text.slice(i, i + chunkSize));
  reader.end();
  return { reader, events };
}

describe('classic builder stream', () => {
  it('turns "Step N/M : X" into step events and other lines into output events', () => {
    const { reader, events } = feed([
      { stream: 'Step 1/3 : FROM breakfix/base:bookworm' },
      { stream: '\n' },
      { stream: ' ---> 1c4da3963eef\n' },
      { stream: 'Step 2/3 : RUN echo hi\n' },
      { stream: ' ---> Running in 5e1d\n' },
      { stream: 'hi\n' },
      { aux: { ID: 'sha256:abc' } },
      { stream: 'Successfully built abc\n' },
    ]);
    expect(events.filter((event) => event.kind === 'step')).toEqual([
      { kind: 'step', step: 1, total: 3, instruction: 'FROM breakfix/base:bookworm' },
      { kind: 'step', step: 2, total: 3, instruction: 'RUN echo hi' },
    ]);
    expect(events).toContainEqual({ kind: 'output', line: 'hi' });
    expect(reader.imageId).toBe('sha256:abc');
    expect(reader.error).toBeUndefined();
    // The daemon's own chatter is shown live but kept out of an error's excerpt.
    expect(reader.lastLines).toEqual(['hi']);
  });

  it('keeps the failing step and the last output lines for the error', () => {
    const noise = Array.from({ length: 30 }, (_, i) => ({ stream: `line ${i}\n` }));
    const { reader } = feed([
      { stream: 'Step 1/4 : FROM breakfix/base:bookworm\n' },
      { stream: 'Step 2/4 : RUN apt-get install -y nosuchpackage\n' },
      ...noise,
      { stream: 'E: Unable to locate package nosuchpackage\n' },
      {
        errorDetail: {
          code: 100,
          message: "The command '/bin/sh -c apt-get install -y nosuchpackage' returned a non-zero code: 100",
        },
        error: "The command '/bin/sh -c apt-get install -y nosuchpackage' returned a non-zero code: 100",
      },
    ]);
    expect(reader.error).toMatch(/returned a non-zero code: 100/);
    expect(reader.step).toEqual({ step: 2, total: 4, instruction: 'RUN apt-get install -y nosuchpackage' });
    expect(reader.lastLines).toHaveLength(BUILD_ERROR_TAIL);
    expect(reader.lastLines.at(-1)).toBe('E: Unable to locate package nosuchpackage');

    const error = new BuildError('breakfix/x:1', reader.step, reader.error ?? '', reader.lastLines);
    expect(error.message).toContain('building breakfix/x:1 failed at step 2/4 (RUN apt-get install -y nosuchpackage)');
    expect(error.message).toContain('returned a non-zero code: 100');
    expect(error.message).toContain('  E: Unable to locate package nosuchpackage');
    expect(error.message).toContain('  line 29');
    expect(error.message).not.toContain('line 14\n');
  });
});

describe('FROM images of a Dockerfile', () => {
  it('resolves ARG defaults and build args, and skips stages and scratch', () => {
    const dockerfile = [
      'ARG BASE=breakfix/base:bookworm',
      'ARG RUNTIME',
      '# FROM commented:out',
      'FROM --platform=linux/amd64 ${BASE} AS build',
      'RUN make',
      'FROM build AS test',
      'FROM scratch',
      'FROM $RUNTIME',
      'from breakfix/python:3.11 as final',
    ].join('\n');
    expect(baseImagesOf(dockerfile)).toEqual(['breakfix/base:bookworm', 'breakfix/python:3.11']);
    expect(baseImagesOf(dockerfile, { BASE: 'other/base:1', RUNTIME: 'breakfix/postgres:15' })).toEqual([
      'other/base:1',
      'breakfix/postgres:15',
      'breakfix/python:3.11',
    ]);
  });

  it('joins continuation lines', () => {
    expect(baseImagesOf('FROM \\\n  breakfix/base:bookworm\nRUN true')).toEqual(['breakfix/base:bookworm']);
  });
});

describe('build context', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('honours .dockerignore, exceptions included, but always sends the Dockerfile and .dockerignore', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'bf-ctx-'));
    await mkdir(path.join(dir, 'node_modules/pkg'), { recursive: true });
    await mkdir(path.join(dir, 'src'), { recursive: true });
    await mkdir(path.join(dir, 'logs'), { recursive: true });
    await mkdir(path.join(dir, 'secrets'), { recursive: true });
    await writeFile(path.join(dir, 'secrets/db_password'), 'x');
    await writeFile(path.join(dir, 'secrets/README.md'), '');
    await writeFile(path.join(dir, 'node_modules/pkg/index.js'), '');
    await writeFile(path.join(dir, 'src/app.py'), '');
    await writeFile(path.join(dir, 'src/app.pyc'), '');
    await writeFile(path.join(dir, '.env'), 'SECRET=1');
    await writeFile(path.join(dir, 'logs/a.log'), '');
    await writeFile(path.join(dir, 'logs/keep.log'), '');
    await writeFile(path.join(dir, 'Dockerfile'), 'FROM breakfix/python:3.11');
    await writeFile(
      path.join(dir, '.dockerignore'),
      'node_modules\n.env\n**/*.pyc\nlogs/*.log\n!logs/keep.log\nsecrets\n!secrets/README.md\nDockerfile\n.dockerignore\n',
    );
    expect(await listContextFiles(dir)).toEqual([
      '.dockerignore',
      'Dockerfile',
      'logs',
      'logs/keep.log',
      'secrets/README.md',
      'src',
      'src/app.py',
    ]);
  });

  it("never sends breakfix's own state folder of a workspace used as the context", async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'bf-ctx-'));
    await writeFile(path.join(dir, 'Dockerfile'), 'FROM x');
    await mkdir(path.join(dir, '.breakfix'));
    await writeFile(path.join(dir, '.breakfix', 'session.json'), '{}');
    await mkdir(path.join(dir, 'site'));
    await mkdir(path.join(dir, 'site', '.breakfix'));
    expect(await listContextFiles(dir)).toEqual(['Dockerfile', 'site', 'site/.breakfix']);
  });

  it('sends everything when there is no .dockerignore', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'bf-ctx-'));
    await writeFile(path.join(dir, 'Dockerfile'), 'FROM x');
    await writeFile(path.join(dir, '.env'), 'SECRET=1');
    expect(await listContextFiles(dir)).toEqual(['.env', 'Dockerfile']);
  });
});

describe('base image helpers', () => {
  it('imports with labels, PATH and CMD as docker import changes', () => {
    expect(importChanges({ 'breakfix.recipe': 'abc', 'breakfix.managed': 'true' })).toEqual([
      'LABEL breakfix.recipe="abc"',
      'LABEL breakfix.managed="true"',
      'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      'CMD ["bash"]',
    ]);
  });

  it('finds mounts left below a scratch folder, deepest first, and only below it', () => {
    const mounts = [
      'proc /proc proc rw 0 0',
      'proc /var/tmp/breakfix-rootfs-x/rootfs/proc proc rw 0 0',
      'sysfs /var/tmp/breakfix-rootfs-x/rootfs/sys sysfs rw 0 0',
      'devpts /var/tmp/breakfix-rootfs-x/rootfs/dev/pts devpts rw 0 0',
      'tmpfs /var/tmp/breakfix-rootfs-xy/rootfs/proc tmpfs rw 0 0',
      'tmpfs /var/tmp/with\\040space/rootfs/proc tmpfs rw 0 0',
    ].join('\n');
    expect(mountsBelow(mounts, '/var/tmp/breakfix-rootfs-x')).toEqual([
      '/var/tmp/breakfix-rootfs-x/rootfs/dev/pts',
      '/var/tmp/breakfix-rootfs-x/rootfs/proc',
      '/var/tmp/breakfix-rootfs-x/rootfs/sys',
    ]);
    expect(mountsBelow(mounts, '/var/tmp/with space')).toEqual(['/var/tmp/with space/rootfs/proc']);
  });

  it('recognises Debian and Ubuntu (directly or through ID_LIKE) from os-release', () => {
    expect(isDebianLike(parseOsRelease('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n'))).toBe(true);
    expect(isDebianLike(parseOsRelease('ID=linuxmint\nID_LIKE="ubuntu debian"\n'))).toBe(true);
    expect(isDebianLike(parseOsRelease('ID="fedora"\n'))).toBe(false);
    expect(isDebianLike(undefined)).toBe(false);
    expect(parseOsRelease('ID=debian\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"').prettyName).toBe(
      'Debian GNU/Linux 12 (bookworm)',
    );
  });
});
