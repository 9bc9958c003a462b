/**
 * image.secretsExcluded remembers its answer per image id and secret values: a second check
 * round on the same image does not stream `docker save` again, a rotated secret does.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { CheckContext } from '../../engine/checks/check.js';
import { imageCheck } from '../../engine/checks/image.js';
import type { ImageDetails, Runtime } from '../../engine/runtime/runtime.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

const image: ImageDetails = {
  id: 'sha256:0123456789abcdef',
  tags: ['shop-api:1.3.0'],
  labels: {},
  user: 'shop',
  exposedPorts: [],
  entrypoint: [],
  command: [],
  env: [],
  sizeBytes: 1000,
  created: '2026-12-02T00:00:00Z',
  history: [],
};

describe('image.secretsExcluded', () => {
  it('scans an image once per secret value; the answer comes back from the state folder', async () => {
    const workspace = await mkdtemp(path.join(os.tmpdir(), 'breakfix-scan-'));
    dirs.push(workspace);
    await writeFile(path.join(workspace, 'key.txt'), 'first-secret-value\n');
    let saves = 0;
    const runtime = {
      inspectImage: async () => image,
      saveImage: async () => {
        saves += 1;
        return Readable.from([Buffer.from('layer.tar … first-secret-value … manifest.json')]);
      },
    } as unknown as Runtime;
    const ctx = {
      lab: { workspace },
      runtime,
      host: '127.0.0.1',
      service: () => ({ container: 'c', image: image.id }),
      since: { session: new Date(), apply: new Date() },
      signal: new AbortController().signal,
    } as unknown as CheckContext;
    const params = imageCheck.params.parse({ image: 'shop-api:1.3.0', expect: { secretsExcluded: ['key.txt'] } });

    const first = await imageCheck.run(ctx, params);
    expect(first.status).toBe('failed');
    expect(first.message).not.toContain('first-secret-value');
    expect(await imageCheck.run(ctx, params)).toEqual(first);
    expect(saves).toBe(1);

    // Rotated: the new value is not in the image, and it is a new question.
    await writeFile(path.join(workspace, 'key.txt'), 'rotated-secret-value\n');
    expect((await imageCheck.run(ctx, params)).status).toBe('passed');
    expect(saves).toBe(2);
  });
});
