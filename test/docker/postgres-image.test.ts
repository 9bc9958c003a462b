/**
 * breakfix/postgres:15 behaves like the official image where labs rely on it: env and _FILE
 * variables, init scripts, the refusal to start without a password, a healthcheck — and it is
 * ready fast. Also: breakfix/python:3.11 reaches it over a lab network with psycopg2.
 */
import { randomUUID } from 'node:crypto';
import type Dockerode from 'dockerode';
import pg from 'pg';
import { GenericContainer, PullPolicy, Wait, type StartedTestContainer } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDockerode } from '../../engine/runtime/docker-client.js';
import { LABELS } from '../../engine/runtime/labels.js';
import { listLabelled, removeLabelled } from '../support/labelled-resources.js';
import { freePort } from '../support/free-port.js';

const POSTGRES = 'breakfix/postgres:15';
const PYTHON = 'breakfix/python:3.11';
const session = `test-pg-${randomUUID().slice(0, 8)}`;
const labels = { [LABELS.session]: session, [LABELS.managed]: 'true' };

let docker: Dockerode;
let networkName: string;
const started: StartedTestContainer[] = [];

function postgres(env: Record<string, string>, name: string): GenericContainer {
  return new GenericContainer(POSTGRES)
    .withPullPolicy(PullPolicy.neverPull())
    .withName(`bf-${session}-${name}`)
    .withLabels({ ...labels, [LABELS.service]: name })
    .withEnvironment(env)
    .withNetworkMode(networkName)
    .withNetworkAliases(name)
    .withExposedPorts(5432);
}

async function query<T extends pg.QueryResultRow>(config: pg.ClientConfig, sql: string): Promise<T[]> {
  const client = new pg.Client({ host: '127.0.0.1', connectionTimeoutMillis: 2_000, ...config });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  docker = await getDockerode();
  networkName = `bf-${session}-net`;
  // A network breakfix labels itself: testcontainers' Network cannot carry labels.
  await docker.createNetwork({ Name: networkName, Labels: labels });
});

afterAll(async () => {
  for (const container of started.splice(0)) await container.stop().catch(() => undefined);
  const left = await listLabelled(docker, LABELS.session, session);
  await removeLabelled(docker, left);
});

describe('breakfix/postgres:15', () => {
  it('accepts queries over the published 127.0.0.1 port soon after start', async () => {
    const hostPort = await freePort();
    const container = postgres({ POSTGRES_PASSWORD: 'lab-secret' }, 'db').withExposedPorts({
      container: 5432,
      host: hostPort,
    });
    // Poll from before the container starts: the figure is "start → first answered query".
    let firstAnswer: number | undefined;
    let polling = true;
    const poller = (async () => {
      while (polling && firstAnswer === undefined) {
        try {
          await query(
            {
              port: hostPort,
              user: 'postgres',
              password: 'lab-secret',
              database: 'postgres',
              connectionTimeoutMillis: 500,
            },
            'SELECT 1',
          );
          firstAnswer = Date.now();
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    })();
    const db = await container
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/))
      .start();
    started.push(db);
    await Promise.race([poller, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    polling = false;

    const inspect = await docker.getContainer(db.getId()).inspect();
    const startedAt = Date.parse(inspect.State.StartedAt);
    expect(firstAnswer, 'no query was answered within 10 s of start').toBeDefined();
    const readyMs = (firstAnswer ?? Number.NaN) - startedAt;
    process.stdout.write(`[measure] ${POSTGRES}: first query answered ${readyMs} ms after container start\n`);
    // The figure is printed, not asserted (~1.2 s on a quiet machine): a timed assertion failed
    // at 3.1 s in a CI whose other work loaded both cores, and timings belong in bench/. What
    // this test holds the image to is an answer within the 10 s above.

    const rows = await query<{ user: string; version: string }>(
      { port: hostPort, user: 'postgres', password: 'lab-secret', database: 'postgres' },
      'SELECT current_user AS user, version() AS version',
    );
    expect(rows[0]?.user).toBe('postgres');
    expect(rows[0]?.version).toMatch(/^PostgreSQL 15\./);

    await expect(
      query({ port: hostPort, user: 'postgres', password: 'wrong', database: 'postgres' }, 'SELECT 1'),
    ).rejects.toThrow(/password authentication failed/);

    // The server runs as postgres, never root, and logs go to `docker logs`.
    const top = await docker.getContainer(db.getId()).top({ ps_args: '-o pid,user,args' });
    const userColumn = top.Titles.indexOf('USER');
    const argsColumn = top.Titles.indexOf('COMMAND');
    // Docker runs the image's HEALTHCHECK (pg_isready, every second) as the image's user, root;
    // a CI run caught one in flight. What must never be root is the server and its workers.
    const server = top.Processes.filter((row: string[]) => !/pg_isready/.test(row[argsColumn] ?? ''));
    const users = new Set(server.map((row: string[]) => row[userColumn]));
    expect([...users]).not.toContain('root');
    expect(server.length).toBeGreaterThan(0);
    const logs = (await docker.getContainer(db.getId()).logs({ stdout: true, stderr: true })).toString('utf8');
    expect(logs).toContain('database system is ready to accept connections');
  });

  it('takes the password from POSTGRES_PASSWORD_FILE and creates POSTGRES_USER and POSTGRES_DB', async () => {
    const db = await postgres(
      { POSTGRES_PASSWORD_FILE: '/run/secrets/db_password', POSTGRES_USER: 'notes', POSTGRES_DB: 'notes_db' },
      'secretdb',
    )
      .withCopyContentToContainer([{ content: "it's a s3cret\n", target: '/run/secrets/db_password', mode: 0o444 }])
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/))
      .start();
    started.push(db);
    const port = db.getMappedPort(5432);
    // The file's trailing newline is not part of the password (same as the official image).
    const rows = await query<{ user: string; db: string; superuser: boolean }>(
      { port, user: 'notes', password: "it's a s3cret", database: 'notes_db' },
      'SELECT current_user AS user, current_database() AS db, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser',
    );
    expect(rows).toEqual([{ user: 'notes', db: 'notes_db', superuser: true }]);
    // Like the official image, POSTGRES_USER *is* the superuser: no separate "postgres" role.
    const roles = await query<{ rolname: string }>(
      { port, user: 'notes', password: "it's a s3cret", database: 'notes_db' },
      "SELECT rolname FROM pg_roles WHERE rolname IN ('postgres', 'notes')",
    );
    expect(roles.map((role) => role.rolname)).toEqual(['notes']);
    await expect(
      query({ port, user: 'notes', password: 'lab-secret', database: 'notes_db' }, 'SELECT 1'),
    ).rejects.toThrow(/password authentication failed/);
  });

  it('runs /docker-entrypoint-initdb.d scripts on first start, and reports healthy', async () => {
    const db = await postgres({ POSTGRES_PASSWORD: 'pw', POSTGRES_DB: 'app' }, 'initdb')
      .withCopyContentToContainer([
        {
          content: 'CREATE TABLE notes (id int PRIMARY KEY, body text);\nINSERT INTO notes VALUES (1, $$hello$$);\n',
          target: '/docker-entrypoint-initdb.d/01-schema.sql',
        },
        {
          content:
            'psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d "$POSTGRES_DB" -c "INSERT INTO notes VALUES (2, \'from sh\')"\n',
          target: '/docker-entrypoint-initdb.d/02-seed.sh',
        },
      ])
      .withWaitStrategy(Wait.forHealthCheck())
      .withStartupTimeout(30_000)
      .start();
    started.push(db);
    const rows = await query<{ id: number; body: string }>(
      { port: db.getMappedPort(5432), user: 'postgres', password: 'pw', database: 'app' },
      'SELECT id, body FROM notes ORDER BY id',
    );
    expect(rows).toEqual([
      { id: 1, body: 'hello' },
      { id: 2, body: 'from sh' },
    ]);
    const inspect = await docker.getContainer(db.getId()).inspect();
    expect(inspect.State.Health?.Status).toBe('healthy');
  });

  it("refuses to initialise without a password, with the official image's message", async () => {
    // testcontainers removes a container whose startup fails; a lab keeps it for `docker logs`,
    // and so does this test: plain dockerode.
    const container = await docker.createContainer({
      Image: POSTGRES,
      name: `bf-${session}-nopassword`,
      Labels: { ...labels, [LABELS.service]: 'nopassword' },
      HostConfig: { NetworkMode: networkName },
    });
    await container.start();
    const exit = (await container.wait()) as { StatusCode: number };
    expect(exit.StatusCode).toBe(1);
    const logs = (await container.logs({ stdout: true, stderr: true })).toString('utf8');
    expect(logs).toContain('Database is uninitialized and superuser password is not specified.');
    expect(logs).toContain('POSTGRES_HOST_AUTH_METHOD=trust');
  });

  it('is reachable by its network alias from breakfix/python:3.11 with psycopg2', async () => {
    const db = await postgres({ POSTGRES_PASSWORD: 'pw', POSTGRES_USER: 'api', POSTGRES_DB: 'api' }, 'pydb')
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/))
      .start();
    started.push(db);
    const script = [
      'import psycopg2',
      'conn = psycopg2.connect(host="pydb", user="api", password="pw", dbname="api", connect_timeout=5)',
      'cur = conn.cursor()',
      'cur.execute("SELECT current_database(), 6 * 7")',
      'print(*cur.fetchone())',
    ].join('\n');
    const client = await new GenericContainer(PYTHON)
      .withPullPolicy(PullPolicy.neverPull())
      .withName(`bf-${session}-pyclient`)
      .withLabels({ ...labels, [LABELS.service]: 'pyclient' })
      .withNetworkMode(networkName)
      .withCommand(['python3', '-c', script])
      .withWaitStrategy(Wait.forOneShotStartup())
      .start();
    started.push(client);
    const logs = (await docker.getContainer(client.getId()).logs({ stdout: true, stderr: true })).toString('utf8');
    expect(logs).toContain('api 42');
  });

  it('leaves nothing behind once stopped: labelled resources and anonymous data volumes', async () => {
    const containers = (await listLabelled(docker, LABELS.session, session)).filter(
      (resource) => resource.kind === 'container',
    );
    expect(containers.length).toBeGreaterThanOrEqual(5);
    const dataVolumes: string[] = [];
    for (const container of containers) {
      const info = await docker.getContainer(container.id).inspect();
      for (const mount of info.Mounts) if (mount.Type === 'volume' && mount.Name) dataVolumes.push(mount.Name);
    }
    // Every postgres container got an anonymous volume for PGDATA (the image declares VOLUME).
    expect(dataVolumes.length).toBeGreaterThanOrEqual(4);

    for (const container of started.splice(0)) await container.stop();
    // The crashed no-password container is the test's own (not testcontainers'): remove it like a lab teardown does.
    await docker.getContainer(`bf-${session}-nopassword`).remove({ force: true, v: true });
    await docker.getNetwork(networkName).remove();

    expect(await listLabelled(docker, LABELS.session, session)).toEqual([]);
    const volumes = new Set(((await docker.listVolumes()).Volumes ?? []).map((volume) => volume.Name));
    expect(dataVolumes.filter((name) => volumes.has(name))).toEqual([]);
  });
});
