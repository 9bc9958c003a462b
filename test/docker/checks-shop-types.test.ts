/**
 * The check and fault types the shop-api scenarios brought, against the metered fixture lab:
 * redis-info (Redis's own counters around traffic), stop (a stop with requests in flight, and the
 * container brought back), memory (the effective limit), git-history with the git.commit fault,
 * and file.chmod (a secret keeps its file's mode inside the container).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectErroredWithoutDocker, expectFailed, expectPassed } from '../support/check-expectations.js';
import { FIXTURE_LABS, httpGet, LabHarness, waitFor } from '../support/lab-harness.js';

const h = new LabHarness({ tag: 'st', labSource: path.join(FIXTURE_LABS, 'metered') });
const long = { timing: { timeoutMs: 60_000 } };
const inFlight = { path: '/ok/order', body: { productId: 1, quantity: 1 }, requests: 2, sendFor: '800ms' };

async function answering(service: string): Promise<void> {
  const port = await h.publishedPort(service, 8000);
  await waitFor(
    `${service} to answer`,
    async () => ('status' in (await httpGet(`http://${h.host}:${port}/ok`)) ? true : undefined),
    90_000,
  );
}

beforeAll(async () => {
  await h.prepare();
  await h.deploy();
  await answering('web');
  await answering('stubborn');
});

afterAll(async () => {
  expect(await h.cleanup()).toEqual([]);
});

describe('redis-info', () => {
  it('counts the hits Redis itself served while traffic went to the web service', async () => {
    const outcome = await h.check(
      'redis-info',
      {
        service: 'cache',
        field: 'keyspace_hits',
        traffic: { service: 'web', path: '/cached/k1', requests: 10, concurrency: 1 },
        expect: { increase: { min: 9, max: 9 } },
      },
      long,
    );
    expectPassed(outcome);
    expect(outcome.message).toBe('cache: INFO stats keyspace_hits: +9 while 10 × GET web:8000/cached/k1 were sent');
  });

  it('fails when the traffic never reaches Redis, and on a field that does not exist', async () => {
    expectFailed(
      await h.check(
        'redis-info',
        {
          service: 'cache',
          field: 'keyspace_hits',
          traffic: { service: 'web', path: '/ok/x', requests: 5 },
          expect: { increase: { min: 1 } },
        },
        long,
      ),
      /^cache: INFO stats keyspace_hits: expected to increase by at least 1 while 5 × GET web:8000\/ok\/x were sent, got \+0$/,
    );
    expectFailed(
      await h.check('redis-info', { service: 'cache', field: 'no_such_field', expect: {} }),
      /expected a number, got none/,
    );
  });

  it('is errored when Docker cannot be reached', async () => {
    await expectErroredWithoutDocker(h, 'redis-info', { service: 'cache', field: 'keyspace_hits', expect: {} });
  });
});

describe('memory', () => {
  it('reads the limit the container runs with', async () => {
    expectPassed(await h.check('memory', { service: 'web', expect: { limit: { min: '64m', max: '96m' } } }));
    expectFailed(
      await h.check('memory', { service: 'web', expect: { limit: { max: '64m' } } }),
      /^web: expected a memory limit of at most 64 MiB, got 96 MiB$/,
    );
  });
});

describe('stop', () => {
  it('passes when the process drains and exits 0, then brings the container back', async () => {
    const outcome = await h.check('stop', { service: 'web', inFlight, expect: { exitCode: 0, within: '5s' } }, long);
    expectPassed(outcome);
    expect(outcome.message).toMatch(
      /^web stopped with 2 request\(s\) in flight: stopped in .+, exit code 0, answers 200, 200$/,
    );
    expect((await h.runtime.inspectContainer(h.service('web').container))?.running).toBe(true);
  });

  it('fails when a shell as PID 1 swallows SIGTERM until the kill, and still restores', async () => {
    const outcome = await h.check(
      'stop',
      { service: 'stubborn', inFlight: { ...inFlight, sendFor: '3s' }, grace: '1s', expect: { exitCode: 0 } },
      long,
    );
    expectFailed(
      outcome,
      /^stubborn stopped with 2 request\(s\) in flight: expected exit code 0, got 137 \(killed when the grace period ran out\)/,
    );
    expect(outcome.evidence).toMatch(/in-flight POST stubborn:8000\/ok\/order: (ECONNRESET|socket hang up)/);
    expect((await h.runtime.inspectContainer(h.service('stubborn').container))?.running).toBe(true);
  });
});

describe('git.commit and git-history', () => {
  it('finds a live secret committed once, even after it was untracked', async () => {
    const fault = (params: Record<string, unknown>) => h.applyFault('git.commit', params);
    expectFailed(
      await h.check('git-history', { expect: { commits: { min: 1 } } }),
      /^the workspace: expected a git repository .*, got none$/,
    );
    await fault({ message: 'initial' });
    expectPassed(await h.check('git-history', { expect: { secretsIgnored: true, commits: { min: 1, max: 1 } } }));
    const secret = { service: 'web', file: '/run/secrets/token' };
    expectPassed(await h.check('git-history', { secret, expect: { secretAbsent: true } }));
    await fault({ message: 'add the token', add: ['secrets/token.txt'], force: true, date: '2026-03-03T09:00:00Z' });
    await fault({
      message: 'untrack it',
      add: ['.gitignore'],
      untrack: ['secrets/token.txt'],
      date: '2026-03-04T09:00:00Z',
    });
    const found = await h.check('git-history', { secret, expect: { secretAbsent: true } });
    expectFailed(
      found,
      /^git history: expected the secret web uses now to be in no commit, got it in a committed or staged file$/,
    );
    expect(`${found.message}\n${found.evidence}`).not.toContain('metered-token');
    expectPassed(
      await h.check('git-history', { expect: { secretsIgnored: true, commits: { min: 3 }, messages: ['initial'] } }),
    );
    expectFailed(
      await h.check('git-history', { expect: { messages: ['never made'] } }),
      /"never made" to still be there/,
    );
  });
});

describe('file.chmod', () => {
  it('a secret left 0600 on the host is readable by root only in the container; 0644 by the app user', async () => {
    const token = (user?: string) => h.exec('web', ['cat', '/run/secrets/token'], user);
    expect((await token()).exitCode).toBe(0);
    await h.applyFault('file.chmod', { file: 'secrets/token.txt', mode: '0600' });
    await h.deploy(['web', 'cache']);
    await answering('web');
    expect((await token()).exitCode).not.toBe(0);
    expect((await token('0')).stdout.trim()).toBe('metered-token-5e1f09');
    await h.applyFault('file.chmod', { file: 'secrets/token.txt', mode: '644' });
    await h.deploy(['web', 'cache']);
    await answering('web');
    expect((await token()).exitCode).toBe(0);
  });
});
