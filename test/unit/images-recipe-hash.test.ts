import { chmod, mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { baseImagesOf } from '../../engine/runtime/build-image.js';
import { IMAGE_CATALOGUE, imageSpec } from '../../engine/images/catalogue.js';
import { recipeFiles, recipeHash } from '../../engine/images/recipe-hash.js';
import { recipeHashes } from '../../engine/images/image-status.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'bf-recipe-'));
  await mkdir(path.join(dir, 'rootfs', 'etc'), { recursive: true });
  await writeFile(path.join(dir, 'Dockerfile'), 'FROM breakfix/base:bookworm\n');
  await writeFile(path.join(dir, 'rootfs', 'etc', 'conf'), 'a=1\n');
  await writeFile(path.join(dir, 'entrypoint.sh'), '#!/bin/sh\n', { mode: 0o644 });
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('recipe hash', () => {
  it('lists the recipe files recursively, sorted, as POSIX paths', async () => {
    expect(await recipeFiles(dir)).toEqual(['Dockerfile', 'entrypoint.sh', 'rootfs/etc/conf']);
  });

  it('is stable for the same content and changes when a nested file changes', async () => {
    const first = await recipeHash(dir);
    expect(await recipeHash(dir)).toBe(first);
    expect(first).toMatch(/^[0-9a-f]{16}$/);
    await writeFile(path.join(dir, 'rootfs', 'etc', 'conf'), 'a=2\n');
    expect(await recipeHash(dir)).not.toBe(first);
  });

  it('changes when a file is added or renamed, not only when content changes', async () => {
    const first = await recipeHash(dir);
    await writeFile(path.join(dir, 'extra'), '');
    const withExtra = await recipeHash(dir);
    expect(withExtra).not.toBe(first);
    await rm(path.join(dir, 'extra'));
    await writeFile(path.join(dir, 'extra2'), '');
    expect(await recipeHash(dir)).not.toBe(withExtra);
  });

  it('changes with the executable bit (an entrypoint that loses it breaks the image)', async () => {
    const before = await recipeHash(dir);
    await chmod(path.join(dir, 'entrypoint.sh'), 0o755);
    expect(await recipeHash(dir)).not.toBe(before);
  });

  it('includes the parent hash, so a base change rebuilds its children', async () => {
    expect(await recipeHash(dir, 'aaaa')).not.toBe(await recipeHash(dir, 'bbbb'));
  });
});

describe('image catalogue', () => {
  it('lists parents before children, base first', () => {
    const names = IMAGE_CATALOGUE.map((spec) => spec.name);
    expect(names[0]).toBe('base');
    for (const [index, spec] of IMAGE_CATALOGUE.entries()) {
      if (spec.parent) expect(names.indexOf(spec.parent)).toBeLessThan(index);
    }
  });

  it('builds every Dockerfile image FROM its catalogue parent tag', async () => {
    for (const spec of IMAGE_CATALOGUE.filter((candidate) => candidate.kind === 'dockerfile')) {
      const dockerfile = await readFile(path.join(spec.recipeDir, 'Dockerfile'), 'utf8');
      expect(baseImagesOf(dockerfile), spec.name).toEqual([imageSpec(spec.parent ?? 'base').tag]);
    }
  });

  it('chains recipe hashes: each child hash depends on its parent hash', async () => {
    const hashes = await recipeHashes();
    expect([...hashes.keys()]).toEqual(['base', 'postgres', 'python', 'node', 'node-build', 'redis', 'fault-helper']);
    const postgres = imageSpec('postgres');
    expect(hashes.get('postgres')).toBe(await recipeHash(postgres.recipeDir, hashes.get('base')));
    expect(hashes.get('postgres')).not.toBe(await recipeHash(postgres.recipeDir, ''));
    // Two levels deep: the build image's hash follows node's, which follows base's.
    const nodeBuild = imageSpec('node-build');
    expect(hashes.get('node-build')).toBe(await recipeHash(nodeBuild.recipeDir, hashes.get('node')));
  });

  it('rejects a catalogue where a child comes before its parent', async () => {
    const [base, postgres] = IMAGE_CATALOGUE;
    await expect(recipeHashes([postgres!, base!])).rejects.toThrow(/before its parent base/);
  });
});
