/**
 * Teardowns and builds of the same lab by different sessions, at once, on one engine: no build
 * fails because a teardown pruned the cached step it stood on (`No such image: sha256:…`),
 * every teardown leaves nothing labelled with its session, and once no build runs a teardown
 * prunes the parents again. Each round builds the lab for one session while another session,
 * whose images share every cached step, is torn down.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teardownLab } from '../../engine/deploy/teardown.js';
import { getDockerode } from '../../engine/runtime/docker-client.js';
import { LEASE_LABELS, liveLeases } from '../../engine/runtime/image-leases.js';
import { connectRuntime, LABELS, type DockerRuntime } from '../../engine/runtime/index.js';

const run = randomUUID().slice(0, 8);
const sessions = Array.from({ length: 9 }, (_, index) => `test-par-${run}-${index}`);
let runtime: DockerRuntime;
let context: string;

beforeAll(async () => {
  runtime = await connectRuntime();
  context = await mkdtemp(path.join(os.tmpdir(), 'bf-parallel-'));
  // Many cheap cached steps (a build walks them one by one, each a moment where a pruned parent
  // breaks it), then one step that differs per session.
  const shared = Array.from({ length: 12 }, (_, step) => `RUN echo ${run}-${step} > /step-${step}`);
  await writeFile(
    path.join(context, 'Dockerfile'),
    ['FROM breakfix/base:bookworm', ...shared, 'ARG SESSION', 'RUN echo "$SESSION" > /session'].join('\n'),
  );
});

afterAll(async () => {
  for (const session of sessions) await teardownLab(runtime, session).catch(() => undefined);
  await rm(context, { recursive: true, force: true });
});

const build = (session: string) =>
  runtime.buildImage({
    context,
    dockerfile: 'Dockerfile',
    tag: `bf-${session}/app:1`,
    labels: { [LABELS.session]: session, [LABELS.managed]: 'true', [LABELS.scenario]: 'parallel-test' },
    args: { SESSION: session },
  });

describe('builds and teardowns of one lab by several sessions at once', () => {
  it('no build loses a cached parent, no teardown leaves anything labelled', async () => {
    await build(sessions[0]!);
    const failures: string[] = [];
    // Round n: session n is torn down while sessions n+1 and n+2 build on the same cache.
    for (let round = 0; round + 2 < sessions.length; round += 2) {
      const [down, upA, upB] = [sessions[round]!, sessions[round + 1]!, sessions[round + 2]!];
      const outcomes = await Promise.allSettled([
        build(upA),
        new Promise((resolve) => setTimeout(resolve, 50)).then(() => teardownLab(runtime, down)),
        new Promise((resolve) => setTimeout(resolve, 100)).then(() => build(upB)),
      ]);
      for (const outcome of outcomes)
        if (outcome.status === 'rejected') failures.push(String((outcome.reason as Error).message ?? outcome.reason));
      expect(await runtime.listLabelled(LABELS.session, down)).toEqual([]);
      await teardownLab(runtime, upA);
      expect(await runtime.listLabelled(LABELS.session, upA)).toEqual([]);
    }
    expect(failures).toEqual([]);

    // No build runs now: the last teardown prunes the parents its images had.
    const last = sessions.at(-1)!;
    const docker = await getDockerode();
    // The first ancestor without the session label is the step only this session built.
    let unique = (await docker.getImage(`bf-${last}/app:1`).inspect()).Parent;
    while ((await docker.getImage(unique).inspect()).Config.Labels?.[LABELS.session] === last)
      unique = (await docker.getImage(unique).inspect()).Parent;
    // On a shared engine another process's build may be running now: then the teardown rightly
    // keeps the parents (that is the point of the leases), and only the rest can be checked.
    const othersBuilding = await liveLeases(docker, 'build');
    await teardownLab(runtime, last);
    expect(await runtime.listLabelled(LABELS.session, last)).toEqual([]);
    const parent = await docker
      .getImage(unique)
      .inspect()
      .then(
        () => 'still there',
        () => 'gone',
      );
    if (othersBuilding === 0 && (await liveLeases(docker, 'build')) === 0) expect(parent).toBe('gone');
    else console.warn(`another build ran on the engine during the last teardown: its parent was ${parent}`);
    // And no lease outlives its build or teardown.
    const leases = await docker.listVolumes({ filters: { label: [LEASE_LABELS.kind] } });
    const ours = (leases.Volumes ?? []).filter((volume) => sessions.includes(volume.Labels?.[LABELS.session] ?? ''));
    expect(ours).toEqual([]);
  }, 600_000);
});
