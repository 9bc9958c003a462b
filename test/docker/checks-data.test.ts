/**
 * The sql, image, env and file checks against real containers and a real workspace of the
 * tiny fixture lab, through runCheck (runner.ts) with real timings: each in a passing, a
 * failing and an errored case. `env` must never print a value: the lab's known secrets are
 * asserted absent from every message and evidence it produces.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileCheck } from '../../engine/checks/file.js';
import { runCheck, type TimedOutcome } from '../../engine/checks/runner.js';
import { runPsql } from '../../engine/runtime/psql.js';
import { expectErroredWithoutDocker, expectFailed, expectPassed } from '../support/check-expectations.js';
import { LabHarness, TINY_SECRETS } from '../support/lab-harness.js';

const h = new LabHarness({ tag: 'cd' });

/** Nothing a check says may contain a secret value. */
function expectNoSecrets(outcome: TimedOutcome): void {
  for (const secret of Object.values(TINY_SECRETS)) {
    expect(outcome.message).not.toContain(secret);
    expect(outcome.evidence ?? '').not.toContain(secret);
  }
}

beforeAll(async () => {
  await h.prepare();
  await h.deploy(['web', 'db']);
  const seeded = await runPsql(
    h.runtime,
    { container: h.service('db').container },
    "CREATE TABLE notes (id serial PRIMARY KEY, body text); INSERT INTO notes (body) VALUES ('first'), ('second');",
  );
  expect(seeded.exitCode, seeded.stderr).toBe(0);
});

afterAll(async () => {
  expect(await h.cleanup()).toEqual([]);
});

describe('sql', () => {
  it('passes on an equal value, a contained text, a row count; the result is the evidence', async () => {
    const count = await h.check('sql', { query: 'SELECT count(*) FROM notes', expect: { equals: 2 } });
    expectPassed(count);
    expect(count).toMatchObject({
      message: 'db query `SELECT count(*) FROM notes` returned 1 row(s) as expected',
      evidence: '2',
    });
    expectPassed(
      await h.check('sql', {
        service: 'db',
        query: 'SELECT body FROM notes ORDER BY id',
        expect: { contains: 'second', rows: { min: 2, max: 2 } },
      }),
    );
    expectPassed(
      await h.check('sql', {
        query: 'SELECT current_user',
        user: 'tiny',
        database: 'postgres',
        expect: { equals: 'tiny' },
      }),
    );
  });

  it('fails on a different value, a row count, a query the database refuses, a database that is not there', async () => {
    expectFailed(
      await h.check('sql', { query: 'SELECT count(*) FROM notes', expect: { equals: 3 } }),
      /^db query `SELECT count\(\*\) FROM notes`: expected "3", got "2"$/,
    );
    expectFailed(
      await h.check('sql', { query: 'SELECT body FROM notes', expect: { rows: { max: 1 } } }),
      /^db query `SELECT body FROM notes`: expected at most 1 rows, got 2$/,
    );
    expectFailed(
      await h.check('sql', { query: 'SELECT body FROM notes', expect: { contains: 'third' } }),
      /^db query `SELECT body FROM notes`: expected a result containing "third", got "first\\nsecond"$/,
    );
    const refused = await h.check('sql', { query: 'SELECT * FROM schema_migrations', expect: { rows: { min: 1 } } });
    expectFailed(
      refused,
      /^db query `SELECT \* FROM schema_migrations`: expected a result, got "ERROR: {1,2}relation \\"schema_migrations\\" does not exist"$/,
    );
    expect(refused.evidence).toContain('schema_migrations');
    expectFailed(
      await h.check('sql', { service: 'ghost', query: 'SELECT 1', expect: {} }),
      /^ghost: expected a running database, got no container$/,
    );
  });

  it('a query that hangs is errored after the attempt timeout', async () => {
    const started = performance.now();
    const outcome = await h.check('sql', { query: 'SELECT pg_sleep(30)', expect: {} }, { timing: { timeoutMs: 1500 } });
    expect(outcome).toMatchObject({ status: 'errored', message: 'no result within 1500ms' });
    expect(performance.now() - started).toBeLessThan(4000);
    await runPsql(
      h.runtime,
      { container: h.service('db').container },
      "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%' AND pid <> pg_backend_pid()",
    );
  });

  it('errors when Docker cannot be reached', async () => {
    await expectErroredWithoutDocker(h, 'sql', { query: 'SELECT 1', expect: { equals: 1 } });
  });
});

describe('image', () => {
  it('passes on labels, user, exposed ports, size and a clean history; evidence summarises the image', async () => {
    const outcome = await h.check('image', {
      service: 'web',
      expect: {
        labels: { 'org.example.lab': 'tiny', 'breakfix.session': '*' },
        nonRootUser: true,
        exposedPorts: [8000],
        maxSize: '1g',
        historyExcludes: ['token\\.txt', '\\.env\\b'],
      },
    });
    expectPassed(outcome);
    expect(outcome.message).toBe('web image: as expected');
    expect(outcome.evidence).toMatch(/^id [0-9a-f]{12}, user "10001:10001", \d+ MiB, \d+ layers$/);
    expectPassed(
      await h.check('image', { image: 'breakfix/postgres:15', expect: { exposedPorts: [5432], nonRootUser: false } }),
    );
  });

  it('fails on each expectation, saying what the image has', async () => {
    expectFailed(
      await h.check('image', { service: 'web', expect: { maxSize: '1m' } }),
      /^web image: expected at most 1\.0 MiB, got \d+ MiB$/,
    );
    expectFailed(
      await h.check('image', { service: 'web', expect: { labels: { 'org.example.lab': 'other' } } }),
      /^web image: expected label org\.example\.lab=other, got "tiny"$/,
    );
    expectFailed(
      await h.check('image', { service: 'web', expect: { labels: { 'org.opencontainers.image.revision': '*' } } }),
      /expected label org\.opencontainers\.image\.revision=\*, got no such label$/,
    );
    expectFailed(
      await h.check('image', { service: 'web', expect: { exposedPorts: [8000, 9999] } }),
      /^web image: expected EXPOSE 9999, got 8000\/tcp$/,
    );
    expectFailed(
      await h.check('image', { image: 'breakfix/postgres:15', expect: { nonRootUser: true } }),
      /^breakfix\/postgres:15: expected a non-root USER, got "root"$/,
    );
    expectFailed(
      await h.check('image', { service: 'web', expect: { historyExcludes: ['http\\.server'] } }),
      /^web image: expected no layer matching \/http\\\.server\/, got ".*CMD \[.*http\.server/,
    );
    expectFailed(
      await h.check('image', { image: 'breakfix/no-such-image:0', expect: {} }),
      /^breakfix\/no-such-image:0: expected an image, got none$/,
    );
  });

  it('errors when Docker cannot be reached', async () => {
    await expectErroredWithoutDocker(h, 'image', { service: 'web', expect: { nonRootUser: true } });
  });
});

describe('env', () => {
  it('passes on present, absent and equal values without printing any value', async () => {
    const outcome = await h.check('env', {
      service: 'web',
      expect: {
        present: ['API_TOKEN', 'GREETING'],
        absent: ['DEBUG'],
        equals: { API_TOKEN: TINY_SECRETS.apiToken, GREETING: 'hello' },
      },
    });
    expectPassed(outcome);
    expect(outcome.message).toBe('web env: as expected');
    // Names only, as evidence.
    expect(outcome.evidence?.split(', ')).toEqual(expect.arrayContaining(['API_TOKEN', 'GREETING', 'PATH']));
    expectNoSecrets(outcome);
  });

  it('fails with the variable’s name and at most a fingerprint, never its value', async () => {
    const wrong = await h.check('env', { service: 'web', expect: { equals: { API_TOKEN: 'not-the-token' } } });
    expectFailed(
      wrong,
      /^web env: expected API_TOKEN to have the required value, got a different value \(sha256 [0-9a-f]{8}…\)$/,
    );
    expect(wrong.message).not.toContain('not-the-token');
    expectNoSecrets(wrong);

    const plainSecret = await h.check('env', { service: 'db', expect: { absentMatching: ['PASSWORD$'] } });
    expectFailed(plainSecret, /^db env: expected no variable matching \/PASSWORD\$\/, got POSTGRES_PASSWORD$/);
    expectNoSecrets(plainSecret);

    for (const outcome of [
      await h.check('env', { service: 'web', expect: { present: ['DATABASE_URL'] } }),
      await h.check('env', { service: 'web', expect: { absent: ['API_TOKEN'] } }),
      await h.check('env', { service: 'web', expect: { equals: { MISSING: 'x' } } }),
    ]) {
      expectFailed(
        outcome,
        /^web env: expected (DATABASE_URL to be set, got it missing|API_TOKEN to be absent, got it set|MISSING to have the required value, got it missing)$/,
      );
      expectNoSecrets(outcome);
    }
    expectFailed(
      await h.check('env', { service: 'ghost', expect: { present: ['X'] } }),
      /^ghost: expected a container, got none$/,
    );
  });

  it('errors when Docker cannot be reached, without printing anything either', async () => {
    expectNoSecrets(
      await expectErroredWithoutDocker(h, 'env', {
        service: 'web',
        expect: { equals: { API_TOKEN: TINY_SECRETS.apiToken } },
      }),
    );
  });
});

describe('file', () => {
  it('passes on exists, contains, absent, matches; the evidence never shows the content', async () => {
    const outcome = await h.check('file', {
      path: '.dockerignore',
      expect: { exists: true, contains: ['.env', 'secrets'], absent: 'site', matches: '^releases$' },
    });
    expectPassed(outcome);
    // A workspace file may hold secrets (.env): evidence gives its size, never its text.
    expect(outcome).toMatchObject({ message: '.dockerignore: as expected', evidence: '3 lines, 22 bytes' });
    expectPassed(await h.check('file', { path: 'runbook.md', expect: { exists: false } }));
  });

  it('fails on a missing file, a folder, missing or forbidden text, no match, a file that should not exist', async () => {
    await writeFile(path.join(h.workspace, 'runbook.md'), '# Runbook\n\n## Deploy\n\nbreakfix apply\n');
    expectFailed(
      await h.check('file', { path: 'RUNBOOK.txt', expect: { contains: 'Rollback' } }),
      /^RUNBOOK\.txt: expected a file, got nothing$/,
    );
    expectFailed(
      await h.check('file', { path: 'site', expect: { contains: 'x' } }),
      /^site: expected a file, got a folder$/,
    );
    const missing = await h.check('file', { path: 'runbook.md', expect: { contains: '## Rollback' } });
    expectFailed(missing, /^runbook\.md: expected to contain "## Rollback", got no such text$/);
    expect(missing.evidence).toBe('5 lines, 37 bytes');
    expectFailed(
      await h.check('file', { path: 'runbook.md', expect: { absent: 'breakfix apply' } }),
      /^runbook\.md: expected no "breakfix apply", got it on line 5$/,
    );
    expectFailed(
      await h.check('file', { path: 'runbook.md', expect: { matches: '^## Roll' } }),
      /^runbook\.md: expected to match \/\^## Roll\/, got no match$/,
    );
    expectFailed(
      await h.check('file', { path: 'runbook.md', expect: { exists: false } }),
      /^runbook\.md: expected not to exist, got a file$/,
    );
  });

  it('errors (never reads) when handed a path that leaves the workspace', async () => {
    // The schema refuses such a path when the scenario loads; the engine must refuse it again.
    const outcome = await runCheck(
      fileCheck,
      { path: '../../../etc/hostname', expect: { exists: true } },
      h.checkContext(),
      { timeoutMs: 2000, withinMs: 0 },
    );
    expect(outcome).toMatchObject({
      status: 'errored',
      message: 'could not run: ../../../etc/hostname: path leaves the workspace',
    });
  });
});

describe('http: numbers in a JSON body', () => {
  it('holds a value between min and max, a numeric string too (PostgreSQL counts arrive as text)', async () => {
    const json = (expectations: Array<Record<string, unknown>>) =>
      h.check('http', { service: 'web', path: '/info.json', expect: { json: expectations } });
    expectPassed(
      await json([
        { path: 'notes', min: 1, max: 3 },
        { path: 'bytes', min: 1000 },
      ]),
    );
    expectFailed(await json([{ path: 'notes', min: 4 }]), /expected notes at least 4, got 3$/);
    expectFailed(await json([{ path: 'bytes', max: 999 }]), /expected bytes at most 999, got "1200"$/);
    expectFailed(
      await json([{ path: 'version', min: 0, max: 10 }]),
      /expected version to be a number between 0 and 10, got "2.0.0"$/,
    );
  });
});
