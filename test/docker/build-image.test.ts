/**
 * buildImage against the real engine: labels, build args, target and .dockerignore reach the
 * image; a failing RUN surfaces as the failing step plus the build's own output; a missing
 * FROM image fails at once instead of turning into a pull.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildProgress } from '../../engine/runtime/build-progress.js';
import { BuildError, buildImage } from '../../engine/runtime/build-image.js';
import { getDockerode } from '../../engine/runtime/docker-client.js';
import { LABELS } from '../../engine/runtime/labels.js';
import { listLabelled, removeLabelled } from '../support/labelled-resources.js';

const session = `test-build-${randomUUID().slice(0, 8)}`;
const labels = { [LABELS.session]: session, [LABELS.managed]: 'true' };
let docker: Dockerode;
let context: string;

beforeAll(async () => {
  docker = await getDockerode();
  context = await mkdtemp(path.join(os.tmpdir(), 'bf-build-'));
});

afterAll(async () => {
  await removeLabelled(docker, await listLabelled(docker, LABELS.session, session));
  await rm(context, { recursive: true, force: true });
});

describe('buildImage', () => {
  it('builds with labels, build args, a target stage and the .dockerignore applied', async () => {
    await writeFile(
      path.join(context, 'Dockerfile'),
      [
        'FROM breakfix/base:bookworm AS app',
        'ARG GREETING=unset',
        'COPY . /ctx/',
        'RUN echo "$GREETING" > /greeting && ls -A /ctx > /ctx-listing',
        'FROM app AS never-built',
        'RUN exit 1',
      ].join('\n'),
    );
    await writeFile(path.join(context, '.dockerignore'), '.env\n');
    await writeFile(path.join(context, '.env'), 'SECRET=do-not-ship');
    await writeFile(path.join(context, 'app.txt'), 'hello');
    const events: BuildProgress[] = [];
    const tag = `bf-${session}/ok:1`;
    const built = await buildImage({
      context,
      tag,
      labels: { ...labels, extra: 'yes' },
      args: { GREETING: 'hi there' },
      target: 'app',
      onProgress: (event) => events.push(event),
    });
    expect(built.tag).toBe(tag);

    const image = await docker.getImage(tag).inspect();
    expect(image.Config.Labels).toMatchObject({ ...labels, extra: 'yes' });
    expect(
      events.filter((event) => event.kind === 'step').map((event) => (event.kind === 'step' ? event.instruction : '')),
    ).toContain('FROM breakfix/base:bookworm AS app');

    const container = await docker.createContainer({
      Image: tag,
      Cmd: ['sh', '-c', 'cat /greeting /ctx-listing'],
      Labels: labels,
    });
    await container.start();
    await container.wait();
    const output = (await container.logs({ stdout: true, stderr: true })).toString('utf8');
    await container.remove({ force: true });
    expect(output).toContain('hi there');
    expect(output).toContain('app.txt');
    expect(output).toContain('.dockerignore');
    expect(output).not.toContain('.env');
  });

  it("fails with the failing step and the build's own last output lines", async () => {
    await writeFile(
      path.join(context, 'Dockerfile'),
      [
        'FROM breakfix/base:bookworm',
        'RUN for i in $(seq 1 40); do echo "progress $i"; done; echo "fatal: the config is missing" >&2; exit 3',
      ].join('\n'),
    );
    const error = await buildImage({ context, tag: `bf-${session}/broken:1`, labels }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(BuildError);
    const message = (error as BuildError).message;
    expect(message).toContain(`building bf-${session}/broken:1 failed at step 2/`);
    expect(message).toContain('returned a non-zero code: 3');
    expect(message).toContain('fatal: the config is missing');
    expect(message).toContain('progress 40');
    expect(message).not.toMatch(/progress 1\n/);
  });

  it('refuses a FROM image that is not present instead of pulling it', async () => {
    await writeFile(path.join(context, 'Dockerfile'), 'FROM breakfix/does-not-exist:1\nRUN true\n');
    const started = performance.now();
    await expect(buildImage({ context, tag: `bf-${session}/nofrom:1`, labels })).rejects.toThrow(
      'FROM breakfix/does-not-exist:1: image not present locally (run `breakfix images` to build it)',
    );
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
