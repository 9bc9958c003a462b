/**
 * disk.fill and process.stress on a real lab (the tiny fixture lab, given a CPU limit and a
 * size-limited tmpfs volume through compose.set, as a scenario's workspace would), applied and
 * restored through their `restore` hooks; and proof that nothing of theirs is left: no helper
 * container, no ballast file, no stress process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultContext } from '../../engine/faults/fault.js';
import { findFault } from '../../engine/faults/registry.js';
import { runPsql } from '../../engine/runtime/psql.js';
import { LABELS } from '../../engine/runtime/labels.js';
import { LabHarness, sleep, waitFor } from '../support/lab-harness.js';

const h = new LabHarness({ tag: 'fd' });
const BALLAST = '/var/lib/postgresql/data/pg_log_archive.dat';

beforeAll(async () => {
  await h.prepare();
  await h.applyFault('compose.set', { path: 'services.web.cpus', value: 0.5 });
  await h.applyFault('compose.set', {
    path: 'volumes.db-data',
    value: { driver_opts: { type: 'tmpfs', device: 'tmpfs', o: 'size=96m' } },
  });
  await h.deploy(['web', 'quiet', 'db']);
  await waitFor(
    'db to be healthy',
    async () =>
      (await h.runtime.inspectContainer(h.service('db').container))?.health === 'healthy' ? true : undefined,
    60_000,
  );
  const created = await runPsql(h.runtime, { container: h.service('db').container }, 'CREATE TABLE notes (body text)');
  expect(created.exitCode).toBe(0);
});

afterAll(async () => {
  expect(await h.cleanup()).toEqual([]);
});

async function restore(type: string, params: Record<string, unknown>, ctx: FaultContext = h.faultContext()) {
  const definition = findFault(type);
  if (!definition?.restore) throw new Error(`${type} is not restorable`);
  const parsed = definition.params.parse(params);
  return {
    captured: await definition.restore.capture?.(ctx, parsed),
    undo: (captured?: unknown) => definition.restore?.undo(ctx, parsed, captured as never),
  };
}

const helpersLeft = async () =>
  (await h.leftovers()).filter((resource) => resource.kind === 'container' && resource.labels[LABELS.fault]);

const insert = (bytes: number) =>
  runPsql(h.runtime, { container: h.service('db').container }, `INSERT INTO notes SELECT repeat('x', ${bytes})`);

describe('disk.fill', () => {
  it('fills the size-limited volume: writes fail with ENOSPC while the database still answers; undo frees it', async () => {
    expect((await insert(1000)).exitCode).toBe(0);
    const hooks = await restore('disk.fill', { service: 'db', file: BALLAST, leave: 0 });
    expect(hooks.captured).toEqual({ volume: `bf-${h.sessionId}-db-data`, relative: 'pg_log_archive.dat' });
    expect(await h.applyFault('disk.fill', { service: 'db', file: BALLAST, leave: 0 })).toMatch(
      /^filled db's volume with \/var\/lib\/postgresql\/data\/pg_log_archive\.dat \(\d+(\.\d)? MiB\)$/,
    );
    // Owned like the data around it, as if the database had written it.
    const owner = await h.exec('db', ['stat', '-c', '%U %s', BALLAST]);
    expect(owner.stdout.trim()).toMatch(/^postgres \d+$/);
    const full = await insert(2_000_000);
    expect(full.exitCode).not.toBe(0);
    expect(full.stderr).toMatch(/No space left on device|could not extend file|could not write/i);
    expect((await h.exec('db', ['pg_isready', '-h', '127.0.0.1', '-U', 'tiny'])).exitCode).toBe(0);

    await hooks.undo(hooks.captured);
    await hooks.undo(hooks.captured); // idempotent
    expect((await h.exec('db', ['test', '-e', BALLAST])).exitCode).toBe(1);
    expect((await insert(2_000_000)).exitCode).toBe(0);
    expect(await helpersLeft()).toEqual([]);
  });

  it('a size writes that much; a second fill of the same file is refused; a path off the volumes too', async () => {
    await h.applyFault('disk.fill', { service: 'db', file: BALLAST, size: '8m' });
    expect((await h.exec('db', ['stat', '-c', '%s', BALLAST])).stdout.trim()).toBe(String(8 * 1024 ** 2));
    await expect(h.applyFault('disk.fill', { service: 'db', file: BALLAST, size: '1m' })).rejects.toThrow(
      /already exists: disk.fill writes a new file/,
    );
    await expect(h.applyFault('disk.fill', { service: 'db', file: '/tmp/x.dat', size: '1m' })).rejects.toThrow(
      /\/tmp\/x\.dat is not on a named volume of db/,
    );
    await (await restore('disk.fill', { service: 'db', file: BALLAST, size: '8m' })).undo();
    expect((await h.exec('db', ['test', '-e', BALLAST])).exitCode).toBe(1);
    expect(await helpersLeft()).toEqual([]);
  });
});

/** CPU time the container's cgroup has used, in seconds (cgroup v1, as on this project's engine). */
async function cpuSeconds(): Promise<number> {
  const usage = await h.exec('web', ['cat', '/sys/fs/cgroup/cpuacct/cpuacct.usage']);
  return Number(usage.stdout.trim()) / 1e9;
}

async function stressProcesses(service = 'web'): Promise<number> {
  const found = await h.runtime.exec(
    h.service(service).container,
    [
      'sh',
      '-c',
      'n=0; for d in /proc/[0-9]*; do grep -qsz "^BREAKFIX_STRESS=" "$d/environ" && n=$((n+1)); done; echo $n',
    ],
    { user: '0' },
  );
  return Number(found.stdout.trim());
}

describe('process.stress', () => {
  it('busy loops inside the service, capped by its CPU limit; undo ends them', async () => {
    expect((await h.inspect('web')).HostConfig.NanoCpus).toBe(500_000_000);
    const hooks = await restore('process.stress', { service: 'web', cpu: 2 });
    try {
      expect(await h.applyFault('process.stress', { service: 'web', cpu: 2 })).toBe('2 busy CPU loops in web');
      expect(await stressProcesses()).toBeGreaterThanOrEqual(3);
      const [before, started] = [await cpuSeconds(), performance.now()];
      await sleep(2000);
      const used = (await cpuSeconds()) - before;
      const elapsed = (performance.now() - started) / 1000;
      // Two loops want two CPUs; the service's limit gives them half of one, however idle the host.
      expect(used).toBeGreaterThan(0.05);
      expect(used).toBeLessThan(elapsed * 0.5 * 1.2);
    } finally {
      await hooks.undo();
    }
    expect(await stressProcesses()).toBe(0);
  });

  it('holds memory in the service’s own cgroup; undo gives it back', async () => {
    const usage = async () =>
      (
        (await h.docker.getContainer(h.service('web').container).stats({ stream: false })) as {
          memory_stats: { usage: number };
        }
      ).memory_stats.usage;
    const before = await usage();
    const hooks = await restore('process.stress', { service: 'web', memory: '40m' });
    try {
      expect(await h.applyFault('process.stress', { service: 'web', memory: '40m' })).toBe('40 MiB held in web');
      await waitFor('the memory to be held', async () =>
        (await usage()) - before > 35 * 1024 ** 2 ? true : undefined,
      );
    } finally {
      await hooks.undo();
    }
    expect(await stressProcesses()).toBe(0);
    await waitFor('the memory to be given back', async () =>
      (await usage()) - before < 15 * 1024 ** 2 ? true : undefined,
    );
  });

  it('CPU stress on a service without a CPU limit is refused: it would compete for the host', async () => {
    await expect(h.applyFault('process.stress', { service: 'quiet', cpu: 1 })).rejects.toThrow(
      /quiet has no CPU limit/,
    );
    expect(await stressProcesses('quiet')).toBe(0);
  });
});
