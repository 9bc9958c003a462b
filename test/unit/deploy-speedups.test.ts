/**
 * The pieces that make a lab start and redeploy faster (docs/performance.md): the healthcheck
 * the engine runs itself while waiting for a dependency, the split of a build's labels into one
 * LABEL step, and the hash that lets `apply` skip a build whose inputs did not change.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildInputsHash } from '../../engine/deploy/images.js';
import { probeCommand } from '../../engine/deploy/wait-for.js';
import { LABELS } from '../../engine/runtime/labels.js';
import { labelInstruction, splitLabels } from '../../engine/runtime/image-labels.js';
import type { ImageDetails, Runtime } from '../../engine/runtime/runtime.js';

describe('probeCommand', () => {
  it('runs CMD as an argv and CMD-SHELL through /bin/sh -c, like Docker', () => {
    expect(probeCommand(['CMD', 'pg_isready', '-h', '127.0.0.1'])).toEqual(['pg_isready', '-h', '127.0.0.1']);
    expect(probeCommand(['CMD-SHELL', 'curl -fsS http://127.0.0.1:8080/health || exit 1'])).toEqual([
      '/bin/sh',
      '-c',
      'curl -fsS http://127.0.0.1:8080/health || exit 1',
    ]);
  });

  it('has nothing to run for NONE or an empty test', () => {
    expect(probeCommand(['NONE'])).toBeUndefined();
    expect(probeCommand(['CMD'])).toBeUndefined();
    expect(probeCommand([])).toBeUndefined();
  });
});

describe('build labels', () => {
  const labels = {
    [LABELS.session]: 'abc123',
    [LABELS.scenario]: 'wrong-port',
    [LABELS.workspace]: '/tmp/my "lab" $HOME',
    [LABELS.managed]: 'true',
  };

  it('keeps only the session label on the build and puts the rest in one LABEL step', () => {
    expect(splitLabels(labels)).toEqual({
      first: { [LABELS.session]: 'abc123' },
      rest: { [LABELS.scenario]: 'wrong-port', [LABELS.workspace]: '/tmp/my "lab" $HOME', [LABELS.managed]: 'true' },
    });
  });

  it('quotes keys and values so quotes, backslashes and $ survive the Dockerfile', () => {
    expect(labelInstruction({ 'a.b': 'say "hi" \\ $HOME' })).toBe('LABEL "a.b"="say \\"hi\\" \\\\ \\$HOME"');
  });

  it('does not split without a session label, with too few labels, or with a value that cannot sit on one line', () => {
    expect(splitLabels({ [LABELS.scenario]: 'x', [LABELS.managed]: 'true' })).toBeUndefined();
    expect(splitLabels({ [LABELS.session]: 'abc', [LABELS.managed]: 'true' })).toBeUndefined();
    expect(splitLabels({ ...labels, note: 'two\nlines' })).toBeUndefined();
  });
});

describe('buildInputsHash', () => {
  let context: string;
  const images = new Map<string, string>([['breakfix/python:3.11', 'sha256:base1']]);
  const runtime = {
    inspectImage: async (ref: string) => (images.has(ref) ? ({ id: images.get(ref) } as ImageDetails) : undefined),
  } as unknown as Runtime;
  const build = () => ({ context, dockerfile: 'Dockerfile', args: { APP_VERSION: '2.0.0' }, target: 'runtime' });

  beforeEach(async () => {
    context = await mkdtemp(path.join(os.tmpdir(), 'bf-hash-'));
    await writeFile(
      path.join(context, 'Dockerfile'),
      'ARG BASE=breakfix/python:3.11\nFROM ${BASE} AS runtime\nCOPY app.py /app/\n',
    );
    await writeFile(path.join(context, 'app.py'), 'print("v2")\n');
    await writeFile(path.join(context, 'notes.txt'), 'not sent to the builder\n');
    await writeFile(path.join(context, '.dockerignore'), 'notes.txt\n');
  });

  afterEach(async () => {
    await rm(context, { recursive: true, force: true });
    images.set('breakfix/python:3.11', 'sha256:base1');
  });

  it('is stable for unchanged inputs and ignores files the daemon never receives', async () => {
    const first = await buildInputsHash(build(), { a: '1' }, runtime);
    expect(first).toMatch(/^[0-9a-f]{32}$/);
    await writeFile(path.join(context, 'notes.txt'), 'edited, still ignored\n');
    expect(await buildInputsHash(build(), { a: '1' }, runtime)).toBe(first);
  });

  it('changes with a source file, a build arg, the target, the labels or the base image', async () => {
    const first = await buildInputsHash(build(), { a: '1' }, runtime);
    expect(await buildInputsHash({ ...build(), args: { APP_VERSION: '2.0.1' } }, { a: '1' }, runtime)).not.toBe(first);
    expect(await buildInputsHash({ ...build(), target: 'build' }, { a: '1' }, runtime)).not.toBe(first);
    expect(await buildInputsHash(build(), { a: '2' }, runtime)).not.toBe(first);
    images.set('breakfix/python:3.11', 'sha256:rebuilt');
    expect(await buildInputsHash(build(), { a: '1' }, runtime)).not.toBe(first);
    images.set('breakfix/python:3.11', 'sha256:base1');
    await writeFile(path.join(context, 'app.py'), 'print("v2.0.1")\n');
    expect(await buildInputsHash(build(), { a: '1' }, runtime)).not.toBe(first);
  });

  it('is undefined (so the build runs and reports the problem) when a FROM image is missing', async () => {
    images.delete('breakfix/python:3.11');
    expect(await buildInputsHash(build(), {}, runtime)).toBeUndefined();
  });
});
