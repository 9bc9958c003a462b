/**
 * Runtime faults applied to a real, deployed lab (the tiny fixture lab) through their registry
 * definitions with a real FaultContext, and their effect asserted with Docker itself. Also one
 * workspace fault end to end (compose.set → what the deployed container really gets), and the
 * failure path of every runtime fault against a container that does not exist.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFault } from '../../engine/faults/registry.js';
import { runPsql } from '../../engine/runtime/psql.js';
import { httpGet, LabHarness, waitFor } from '../support/lab-harness.js';

const h = new LabHarness({ tag: 'fr' });
const SERVICES = ['web', 'db'];

/** Puts back what a fault broke: `apply` recreates the containers that are not running as planned. */
async function redeploy(): Promise<void> {
  await h.deploy(SERVICES);
}

beforeAll(async () => {
  await h.prepare();
  // A workspace fault before the first deploy, so its effect can be read off the container.
  await h.applyFault('compose.set', { path: 'services.web.environment.GREETING', value: 'bonjour' });
  await h.deploy(SERVICES);
  const created = await runPsql(
    h.runtime,
    { container: h.service('db').container },
    "CREATE TABLE notes (id serial PRIMARY KEY, body text); INSERT INTO notes (body) VALUES ('one'), ('two');",
  );
  expect(created.stderr).toBe('');
  expect(created.exitCode).toBe(0);
});

afterAll(async () => {
  expect(await h.cleanup()).toEqual([]);
});

describe('a workspace fault reaches the deployed container', () => {
  it('compose.set on a list-form environment changes what the container runs with', async () => {
    const info = await h.inspect('web');
    expect(info.Config.Env).toContain('GREETING=bonjour');
    expect(info.Config.Env).not.toContain('GREETING=hello');
  });
});

describe('container.kill', () => {
  it('SIGKILL (the default) leaves the container exited with code 137, kept for docker logs', async () => {
    expect(await h.applyFault('container.kill', { service: 'web' })).toBe('sent SIGKILL to web');
    const state = await waitFor('web to exit', async () => {
      const current = await h.runtime.inspectContainer(h.service('web').container);
      return current && !current.running ? current : undefined;
    });
    expect(state).toMatchObject({ status: 'exited', exitCode: 137, running: false });
    // Not auto-removed: the learner can still read its logs.
    expect((await h.inspect('web')).State.Status).toBe('exited');
    // What a scenario's symptom would observe.
    expect(await h.check('container', { service: 'web', expect: { running: false, exitCode: 137 } })).toMatchObject({
      status: 'passed',
    });
  });

  it('a signal Docker does not know is a clear error', async () => {
    await redeploy();
    await expect(h.applyFault('container.kill', { service: 'web', signal: 'SIGNOTREAL' })).rejects.toThrow(/signal/i);
    expect((await h.inspect('web')).State.Running).toBe(true);
  });
});

describe('container.stop', () => {
  it('stops the container (exited), within its grace period', async () => {
    await redeploy();
    const started = performance.now();
    expect(await h.applyFault('container.stop', { service: 'web', timeoutSeconds: 1 })).toBe('stopped web');
    expect(performance.now() - started).toBeLessThan(10_000);
    const info = await h.inspect('web');
    expect(info.State.Status).toBe('exited');
    expect(info.State.Running).toBe(false);
  });
});

describe('container.pause', () => {
  it('freezes the container: status paused, and an HTTP request gets no answer', async () => {
    await redeploy();
    const port = await h.publishedPort('web', 8000);
    expect(await httpGet(`http://${h.host}:${port}/health.txt`)).toMatchObject({ status: 200 });

    expect(await h.applyFault('container.pause', { service: 'web' })).toBe('paused web');
    const info = await h.inspect('web');
    expect(info.State.Status).toBe('paused');
    expect(info.State.Paused).toBe(true);
    expect(await httpGet(`http://${h.host}:${port}/health.txt`, 1500)).toEqual({ error: 'timeout' });

    await h.docker.getContainer(h.service('web').container).unpause();
    expect(await httpGet(`http://${h.host}:${port}/health.txt`)).toMatchObject({ status: 200 });
  });
});

describe('container.memory', () => {
  it('updates the running container’s memory limit (and swap, so it cannot spill over)', async () => {
    await redeploy();
    expect((await h.inspect('web')).HostConfig.Memory).toBe(96 * 1024 ** 2);
    expect(await h.applyFault('container.memory', { service: 'web', limit: '48m' })).toBe('limited web to 48 MiB');
    const info = await h.inspect('web');
    expect(info.HostConfig.Memory).toBe(48 * 1024 ** 2);
    expect(info.HostConfig.MemorySwap).toBe(48 * 1024 ** 2);
    expect(info.State.Running).toBe(true);
    expect((await h.runtime.inspectContainer(h.service('web').container))?.memoryBytes).toBe(48 * 1024 ** 2);
  });

  it('a limit Docker refuses is a clear error', async () => {
    await expect(h.applyFault('container.memory', { service: 'web', limit: '1m' })).rejects.toThrow(/memory/i);
  });
});

describe('sql', () => {
  const notesTable = async () =>
    (
      await runPsql(h.runtime, { container: h.service('db').container }, "SELECT to_regclass('public.notes')")
    ).stdout.trim();

  it('runs the statement in the database: the table is really dropped', async () => {
    expect(await notesTable()).toBe('notes');
    expect(await h.applyFault('sql', { statement: 'DROP TABLE notes' })).toBe('ran SQL on db');
    expect(await notesTable()).toBe('');
    // Seen from psql as the lab's own user too.
    const listed = await h.exec('db', ['psql', '-At', '-U', 'tiny', '-d', 'tiny', '-c', '\\dt'], 'postgres');
    expect(listed.stdout).not.toMatch(/\bnotes\b/);
  });

  it('honours database and user, and a failing statement is a FaultError with psql’s reason', async () => {
    expect(
      await h.applyFault('sql', {
        service: 'db',
        statement: 'CREATE TABLE t_from_fault (id int)',
        database: 'postgres',
        user: 'tiny',
      }),
    ).toBe('ran SQL on db');
    const owner = await runPsql(
      h.runtime,
      { container: h.service('db').container, database: 'postgres' },
      "SELECT tableowner FROM pg_tables WHERE tablename = 't_from_fault'",
    );
    expect(owner.stdout.trim()).toBe('tiny');

    const failure = await h
      .applyFault('sql', { statement: 'DROP TABLE no_such_table' })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).name).toBe('FaultError');
    expect((failure as Error).message).toMatch(/^sql on db failed: .*no_such_table.*does not exist/);
  });
});

describe('sql.reversible', () => {
  const table = async (name: string) =>
    (
      await runPsql(h.runtime, { container: h.service('db').container }, `SELECT to_regclass('public.${name}')`)
    ).stdout.trim();
  const params = {
    statement: 'ALTER TABLE kept RENAME TO kept_moved',
    undo: 'ALTER TABLE IF EXISTS kept_moved RENAME TO kept',
  };
  const undo = async () => {
    const definition = findFault('sql.reversible');
    if (!definition?.restore) throw new Error('sql.reversible is not restorable');
    await definition.restore.undo(h.faultContext(), definition.params.parse(params), undefined);
  };

  it('changes the database under the running service, and its undo puts it back (harmless when it never ran)', async () => {
    const created = await runPsql(
      h.runtime,
      { container: h.service('db').container },
      'CREATE TABLE kept (id int); INSERT INTO kept VALUES (1), (2);',
    );
    expect(created.exitCode).toBe(0);
    // Undone before it ran (a probe interrupted early): nothing happens, nothing fails.
    await undo();
    expect(await table('kept')).toBe('kept');

    expect(await h.applyFault('sql.reversible', params)).toBe('ran SQL on db');
    expect(await table('kept')).toBe('');
    expect(await table('kept_moved')).toBe('kept_moved');
    await undo();
    expect(await table('kept')).toBe('kept');
    const rows = await runPsql(h.runtime, { container: h.service('db').container }, 'SELECT count(*) FROM kept');
    expect(rows.stdout.trim()).toBe('2');
    // A second undo is as harmless as the first.
    await undo();
    expect(await table('kept')).toBe('kept');
  });

  it('a statement that fails is a FaultError naming the part that failed', async () => {
    const failure = await h
      .applyFault('sql.reversible', { statement: 'DROP TABLE no_such_table', undo: 'SELECT 1' })
      .catch((error: unknown) => error);
    expect((failure as Error).name).toBe('FaultError');
    expect((failure as Error).message).toMatch(/^sql.reversible statement on db failed: .*no_such_table/);
  });
});

describe('network.disconnect', () => {
  const resolveDb = () => h.exec('web', ['python3', '-c', "import socket; print(socket.gethostbyname('db'))"]);

  it('takes the container off the lab network: its peers no longer resolve it', async () => {
    await redeploy();
    const network = h.faultContext().network;
    expect(Object.keys((await h.inspect('db')).NetworkSettings.Networks)).toEqual([network]);
    expect((await resolveDb()).exitCode).toBe(0);

    expect(await h.applyFault('network.disconnect', { service: 'db' })).toBe('disconnected db from the lab network');
    expect(Object.keys((await h.inspect('db')).NetworkSettings.Networks)).not.toContain(network);
    expect((await h.runtime.inspectContainer(h.service('db').container))?.networks).not.toContain(network);
    const lookup = await resolveDb();
    expect(lookup.exitCode).not.toBe(0);
    expect(lookup.stderr).toMatch(/gaierror|Name or service not known|not known/);
    // The container itself still runs: only the network is gone.
    expect((await h.inspect('db')).State.Running).toBe(true);
  });
});

describe('runtime faults against a container that does not exist', () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ['container.kill', { service: 'ghost' }],
    ['container.stop', { service: 'ghost' }],
    ['container.pause', { service: 'ghost' }],
    ['container.memory', { service: 'ghost', limit: '64m' }],
    ['network.disconnect', { service: 'ghost' }],
    ['sql', { service: 'ghost', statement: 'SELECT 1' }],
  ];

  it.each(cases)('%s fails with an error naming the missing container', async (type, params) => {
    const error = await h.applyFault(type, params).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error, `${type} must not succeed against a missing container`).toBeInstanceOf(Error);
    // Docker's own words: "No such container: bf-…" (network.disconnect: "endpoint bf-… not found").
    expect((error as Error).message).toMatch(/no such container|not found/i);
    expect((error as Error).message).toContain(h.service('ghost').container);
  });
});
