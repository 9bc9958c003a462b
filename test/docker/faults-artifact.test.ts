/**
 * Artifact faults (image.retag, image.bake-secret) against real builds of the tiny fixture lab:
 * the service's tag must really move to another build, and running it must show it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpGet, LabHarness, TINY_SECRETS } from '../support/lab-harness.js';

const h = new LabHarness({ tag: 'fa' });
let currentId = '';

async function version(): Promise<string> {
  const port = await h.publishedPort('web', 8000);
  const answer = await httpGet(`http://${h.host}:${port}/version.txt`);
  if (!('status' in answer)) throw new Error(`web gave no answer: ${answer.error}`);
  return answer.body.trim();
}

beforeAll(async () => {
  await h.prepare();
  await h.deploy(['web']);
  currentId = (await h.runtime.inspectImage(h.service('web').image))!.id;
  expect(await version()).toBe('2.0.0');
  // As in the stale-image-tag scenario: the workspace no longer builds the image, it runs the tag.
  await h.applyFault('compose.unset', { path: 'services.web.build' });
});

afterAll(async () => {
  expect(await h.cleanup()).toEqual([]);
});

describe('image.retag', () => {
  it('points the service’s tag at a build of the older folder, and the redeployed service runs it', async () => {
    const tag = h.service('web').image;
    expect(tag).toBe(`bf-${h.sessionId}/tiny-web:2.0.0`);
    expect(await h.applyFault('image.retag', { service: 'web', from: 'releases/1.0.0' })).toBe(
      `${tag} now points at a build of releases/1.0.0`,
    );

    const retagged = await h.runtime.inspectImage(tag);
    expect(retagged?.id).not.toBe(currentId);
    // Labelled like everything breakfix creates, so teardown and gc find it.
    expect(retagged?.labels).toMatchObject({ 'breakfix.session': h.sessionId, 'breakfix.fault': 'image.retag' });

    const deployed = await h.deploy(['web']);
    expect(deployed.web).toMatchObject({ outcome: 'recreated', imageId: retagged?.id });
    expect(await version()).toBe('1.0.0');
  });

  it('a folder that is not in the lab fails with the build’s reason', async () => {
    await expect(h.applyFault('image.retag', { service: 'web', from: 'releases/9.9.9' })).rejects.toThrow(
      /releases\/9\.9\.9\/Dockerfile/,
    );
  });
});

describe('image.bake-secret', () => {
  it('builds the image with the secret in a layer: visible in the history and in the filesystem', async () => {
    const tag = h.service('web').image;
    const before = await h.runtime.inspectImage(tag);
    expect(
      await h.applyFault('image.bake-secret', { service: 'web', secret: 'secrets/token.txt', path: '/srv/.token' }),
    ).toBe(`${tag} carries secrets/token.txt at /srv/.token`);

    const baked = await h.runtime.inspectImage(tag);
    expect(baked?.id).not.toBe(before?.id);
    expect(baked?.labels).toMatchObject({ 'breakfix.session': h.sessionId, 'breakfix.fault': 'image.bake-secret' });
    // A layer of its own, as `COPY .env .` would leave it (only breakfix's LABEL layers are newer).
    const copy =
      baked?.history.findIndex((layer) => /COPY file:[0-9a-f]+ in \/srv\/\.token/.test(layer.createdBy)) ?? -1;
    expect(copy).toBeGreaterThanOrEqual(0);
    expect(baked?.history.slice(0, copy).every((layer) => layer.createdBy.includes('LABEL'))).toBe(true);
    expect(baked?.history[copy]?.sizeBytes).toBe(TINY_SECRETS.baked.length + 1);
    // Built from the lab's current source (from: "."), not from the retagged old release.
    const deployed = await h.deploy(['web']);
    expect(deployed.web?.imageId).toBe(baked?.id);
    expect(await version()).toBe('2.0.0');

    const read = await h.exec('web', ['cat', '/srv/.token']);
    expect(read.stdout.trim()).toBe(TINY_SECRETS.baked);
    // The image check that a scenario would grade with sees the layer.
    const graded = await h.check('image', { service: 'web', expect: { historyExcludes: ['/srv/\\.token'] } });
    expect(graded.status).toBe('failed');
    expect(graded.message).toMatch(
      /^web image: expected no layer matching \/\/srv\/\\\.token\/, got ".*COPY file:[0-9a-f]+ in \/srv\/\.token/,
    );
    // …and anyone who can reach the service can download it: the reason it is a fault.
    const port = await h.publishedPort('web', 8000);
    expect(await httpGet(`http://${h.host}:${port}/.token`)).toMatchObject({
      status: 200,
      body: `${TINY_SECRETS.baked}\n`,
    });
  });

  it('a secret file missing from the workspace is a FaultError naming it', async () => {
    const tag = h.service('web').image;
    const before = await h.runtime.inspectImage(tag);
    const failure = await h
      .applyFault('image.bake-secret', { service: 'web', secret: 'secrets/nope.txt', path: '/srv/.nope' })
      .catch((error: unknown) => error);
    expect((failure as Error).name).toBe('FaultError');
    expect((failure as Error).message).toBe('secrets/nope.txt does not exist in the workspace');
    // Refused before any build: the image is what it was.
    expect((await h.runtime.inspectImage(tag))?.id).toBe(before?.id);
  });
});
