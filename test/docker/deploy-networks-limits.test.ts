/**
 * The compose keys a platform lab needs, deployed for real: several networks (an internal one
 * that only its members reach), `cpus`, and a size-limited tmpfs volume that `apply` recreates
 * when its options change. The tiny fixture lab, changed through compose.set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployLab } from '../../engine/deploy/deploy.js';
import type { LabProgress } from '../../engine/deploy/progress.js';
import { LabHarness, waitFor } from '../support/lab-harness.js';

const h = new LabHarness({ tag: 'dn' });
const SERVICES = ['web', 'quiet', 'db'];

beforeAll(async () => {
  await h.prepare();
  const set = (path: string, value: unknown) => h.applyFault('compose.set', { path, value });
  await set('networks', { back: { internal: true } });
  await set('services.db.networks', ['back']);
  await set('services.web.networks', { default: null, back: { aliases: ['frontdoor'] } });
  await set('services.web.cpus', 0.25);
  await set('volumes.db-data', { driver_opts: { type: 'tmpfs', device: 'tmpfs', o: 'size=64m' } });
  await h.deploy(SERVICES);
});

afterAll(async () => {
  expect(await h.cleanup()).toEqual([]);
});

/** A TCP connection from one service to another, with bash's /dev/tcp (every lab image has bash). */
const connect = (from: string, host: string, port: number) =>
  h.exec(from, ['timeout', '3', 'bash', '-c', `exec 3<>/dev/tcp/${host}/${port}`]);
const resolves = async (from: string, host: string) => (await h.exec(from, ['getent', 'hosts', host])).exitCode === 0;

describe('networks', () => {
  it('creates the declared networks, the internal one internal', async () => {
    const back = await h.docker.getNetwork(`bf-${h.sessionId}-net-back`).inspect();
    expect(back.Internal).toBe(true);
    expect(back.Labels?.['breakfix.session']).toBe(h.sessionId);
    expect((await h.docker.getNetwork(`bf-${h.sessionId}-net`).inspect()).Internal).toBe(false);
    expect(Object.keys((await h.inspect('web')).NetworkSettings.Networks).sort()).toEqual(
      [`bf-${h.sessionId}-net`, `bf-${h.sessionId}-net-back`].sort(),
    );
  });

  it('a service reaches another on the network they share, by name and alias; others cannot even resolve it', async () => {
    expect((await connect('web', 'db', 5432)).exitCode).toBe(0);
    expect((await connect('db', 'frontdoor', 8000)).exitCode).toBe(0);
    expect(await resolves('web', 'db')).toBe(true);
    expect(await resolves('quiet', 'db')).toBe(false);
    expect((await connect('quiet', 'db', 5432)).exitCode).not.toBe(0);
    // web still publishes its port: it is also on a network that is not internal.
    expect(await h.publishedPort('web', 8000)).toBeGreaterThan(0);
  });
});

describe('cpus and a tmpfs volume', () => {
  it('the CPU limit is Docker’s NanoCpus', async () => {
    expect((await h.inspect('web')).HostConfig.NanoCpus).toBe(250_000_000);
  });

  it('the volume is a tmpfs of the given size', async () => {
    const volume = await h.docker.getVolume(`bf-${h.sessionId}-db-data`).inspect();
    expect(volume.Options).toEqual({ type: 'tmpfs', device: 'tmpfs', o: 'size=64m' });
    const df = await h.exec('db', ['df', '-B1M', '--output=size,fstype', '/var/lib/postgresql/data']);
    expect(df.stdout).toMatch(/\b64\b/);
  });

  it('apply recreates the volume when its options change, and says so; the database comes back', async () => {
    await h.applyFault('compose.set', {
      path: 'volumes.db-data',
      value: { driver_opts: { type: 'tmpfs', device: 'tmpfs', o: 'size=128m' } },
    });
    const events: LabProgress[] = [];
    await deployLab({
      lab: h.lab,
      plan: await h.loadPlan(SERVICES),
      runtime: h.runtime,
      onProgress: (e) => events.push(e),
    });
    expect(events).toContainEqual({
      phase: 'service',
      service: 'db',
      status: 'removed',
      detail: 'volume db-data is recreated with its new options; its data is gone',
    });
    expect((await h.docker.getVolume(`bf-${h.sessionId}-db-data`).inspect()).Options?.o).toBe('size=128m');
    await waitFor(
      'db to be healthy again',
      async () =>
        (await h.runtime.inspectContainer(h.service('db').container))?.health === 'healthy' ? true : undefined,
      60_000,
    );
    // web did not use the volume: it was kept.
    expect(events.some((e) => e.phase === 'service' && e.service === 'web' && e.status === 'removed')).toBe(false);
  });
});
