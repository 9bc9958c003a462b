/**
 * The Docker connection's plain reads (engine/runtime/docker-connection.ts) must say what
 * dockerode would: the same container state, the same engine version, "absent" for a container
 * that does not exist — and the short commands must get them without loading dockerode at all
 * (its import is what made `status` slow). Checked in a fresh process, on the machine's engine.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toState } from '../../engine/runtime/container-config.js';
import { getDockerConnection, getDockerode, isNotFound } from '../../engine/runtime/docker-client.js';
import { demuxLogs } from '../../engine/runtime/docker-streams.js';
import { connectRuntime, LABELS } from '../../engine/runtime/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const session = `test-conn-${randomUUID().slice(0, 8)}`;
const name = `bf-${session}-sleeper`;
let docker: Dockerode;

beforeAll(async () => {
  docker = await getDockerode();
  const container = await docker.createContainer({
    name,
    Image: 'breakfix/base:bookworm',
    Cmd: ['sh', '-c', 'echo out-1; echo err-1 >&2; echo out-2; exec sleep 120'],
    Labels: { [LABELS.session]: session, [LABELS.managed]: 'true' },
    HostConfig: { Memory: 64 * 1024 * 1024, PidsLimit: 16 },
  });
  await container.start();
});

afterAll(async () => {
  await docker
    .getContainer(name)
    .remove({ force: true })
    .catch(() => undefined);
});

describe('the Docker connection without dockerode', () => {
  it('reads a container and the engine the way dockerode does', async () => {
    const connection = await getDockerConnection();
    expect(await connection.get('/_ping', 2_000)).toBe('OK');
    const light = await connection.getJson<Dockerode.ContainerInspectInfo>(`/containers/${name}/json`);
    const viaDockerode = await docker.getContainer(name).inspect();
    expect(toState(light)).toEqual(toState(viaDockerode));
    expect(toState(light).status).toBe('running');
    const version = await connection.getJson<{ Version: string; ApiVersion: string }>('/version');
    expect(version.Version).toBe((await docker.version()).Version);
  });

  it("reads a container's logs as dockerode does: both streams, tail", async () => {
    const runtime = await connectRuntime();
    let text = '';
    for (let tries = 0; tries < 50 && !text.includes('out-2'); tries += 1) {
      text = await runtime.logs(name);
      if (!text.includes('out-2')) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const viaDockerode = (await docker.getContainer(name).logs({ stdout: true, stderr: true })) as unknown as Buffer;
    expect(text).toBe(demuxLogs(viaDockerode));
    expect(text.split('\n').filter(Boolean).sort()).toEqual(['err-1', 'out-1', 'out-2']);
    expect(await runtime.logs(name, { tail: 1 })).toMatch(/^(out-2|err-1|out-1)\n$/);
    expect(await runtime.logs(name, { since: new Date(Date.now() + 60_000) })).toBe('');
  });

  it('reports a missing container as HTTP 404, as dockerode does', async () => {
    const connection = await getDockerConnection();
    const error = await connection.getJson(`/containers/bf-${session}-nothing/json`).catch((caught: unknown) => caught);
    expect(isNotFound(error)).toBe(true);
    expect(String(error)).toMatch(/No such container/i);
  });

  it('inspects a container and reads its logs in a new process without loading dockerode; dockerode loads when needed', () => {
    const script = `
      const { connectRuntime } = await import(${JSON.stringify(path.join(root, 'dist/engine/runtime/index.js'))});
      const { createRequire } = await import('node:module');
      const cache = createRequire(import.meta.url).cache;
      const loaded = () => Object.keys(cache).some((file) => file.includes('/node_modules/dockerode/'));
      const runtime = await connectRuntime();
      const state = await runtime.inspectContainer(${JSON.stringify(name)});
      const missing = await runtime.inspectContainer(${JSON.stringify(`bf-${session}-nothing`)});
      const info = await runtime.info();
      const logs = await runtime.logs(${JSON.stringify(name)}, { tail: 5 });
      const before = loaded();
      const images = await runtime.imageExists('breakfix/base:bookworm');
      console.log(JSON.stringify({ logs, status: state?.status, missing: missing ?? null, version: info.serverVersion, before, after: loaded(), images }));
      runtime.close();
    `;
    const run = () =>
      spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    // The first process may have to discover the endpoint (testcontainers, which loads
    // dockerode); the endpoint is cached per user from then on, as for a learner's commands.
    run();
    const result = run();
    expect(result.status, result.stderr).toBe(0);
    const seen = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(seen).toMatchObject({ status: 'running', missing: null, before: false, after: true, images: true });
    expect(typeof seen.version).toBe('string');
    expect(seen.logs).toContain('out-2');
  });
});
