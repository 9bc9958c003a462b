/**
 * The load and metrics checks against the real metered fixture lab (a Node.js server with a
 * Prometheus endpoint, test/fixtures/labs/metered), through its published port: a passing, a
 * failing and an errored case each, with the counts a learner would see.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectErroredWithoutDocker, expectFailed, expectPassed } from '../support/check-expectations.js';
import { FIXTURE_LABS, httpGet, LabHarness, waitFor } from '../support/lab-harness.js';

const h = new LabHarness({ tag: 'lm', labSource: path.join(FIXTURE_LABS, 'metered') });
const long = { timing: { timeoutMs: 30_000 } };

beforeAll(async () => {
  await h.prepare();
  await h.deploy(['web', 'cache']);
  const port = await h.publishedPort('web', 8000);
  await waitFor(
    'web to answer',
    async () => {
      const answer = await httpGet(`http://${h.host}:${port}/ok`);
      return 'status' in answer ? true : undefined;
    },
    90_000,
  );
});

afterAll(async () => {
  expect(await h.cleanup()).toEqual([]);
});

describe('load', () => {
  it('sends exactly N requests and reports success, status counts and p95', async () => {
    const outcome = await h.check(
      'load',
      {
        service: 'web',
        path: '/ok/exact',
        requests: 120,
        concurrency: 6,
        expect: { successRatio: 1, status: { '200': { min: 120, max: 120 } }, p95: '2s', errors: { max: 0 } },
      },
      long,
    );
    expectPassed(outcome);
    expect(outcome.message).toMatch(
      /^120 × GET web:8000\/ok\/exact at concurrency 6: 100% successful \(200 ×120; p95 \d+ms/,
    );
    // The server's own count agrees: every request arrived once.
    const counted = await h.check('metrics', {
      service: 'web',
      sample: 'fixture_requests_total',
      labels: { path: '/ok/exact', status: '200' },
      expect: { value: { min: 120, max: 120 } },
    });
    expectPassed(counted);
  });

  it('fails on the success ratio, a status count and the p95, without printing a fix', async () => {
    expectFailed(
      await h.check(
        'load',
        { service: 'web', path: '/flaky/a', requests: 40, concurrency: 4, expect: { successRatio: 0.9 } },
        long,
      ),
      // The fixture answers at once, so the early stop (below) may or may not cut the run short.
      /^40 × GET web:8000\/flaky\/a at concurrency 4: expected at least 90% successful answers, got \d+(\.\d)?% \(200 ×\d+, 503 ×\d+/,
    );
    expectFailed(
      await h.check(
        'load',
        {
          service: 'web',
          path: '/flaky/b',
          requests: 10,
          concurrency: 2,
          expect: { successRatio: 0, status: { '503': { max: 0 } } },
        },
        long,
      ),
      /expected at most 0 answers 503, got [1-5] /,
    );
    expectFailed(
      await h.check(
        'load',
        { service: 'web', path: '/slow/p95?ms=300', requests: 8, concurrency: 4, expect: { p95: '100ms' } },
        long,
      ),
      /expected p95 latency within 100ms, got \d+ms/,
    );
    expectFailed(
      await h.check('load', { service: 'web', path: '/missing', requests: 4, concurrency: 2 }, long),
      /^4 × GET web:8000\/missing at concurrency 2: expected at least 100% successful answers, got 0% \(404 ×[1-4]/,
    );
  });

  it('counts requests that get no answer in time as errors', async () => {
    const outcome = await h.check(
      'load',
      {
        service: 'web',
        path: '/slow/timeout?ms=3000',
        requests: 4,
        concurrency: 2,
        requestTimeout: '1s',
        expect: { errors: { max: 0 } },
      },
      long,
    );
    // With at most 0 allowed, the first timeout settles the verdict and the run stops early, so
    // one to four requests may have been counted (a CI run saw 1: the second of the pair was
    // still in flight when the first gave up).
    expectFailed(
      outcome,
      /expected at most 0 requests without an answer, got ([1-4]) \(\1 without an answer \(timeout\)/,
    );
  });

  it('gives every request its own URL when the path holds {n}', async () => {
    expectPassed(await h.check('load', { service: 'web', path: '/ok/n{n}', requests: 12, concurrency: 3 }, long));
    const port = await h.publishedPort('web', 8000);
    const scrape = await httpGet(`http://${h.host}:${port}/metrics`);
    if (!('body' in scrape)) throw new Error(`no scrape: ${scrape.error}`);
    const counts = [...scrape.body.matchAll(/^fixture_requests_total\{path="\/ok\/n(\d+)",status="200"\} (\d+)$/gm)];
    // Twelve different paths, each asked once (the numbers need not be 1–12 without a gap).
    expect(counts).toHaveLength(12);
    expect(counts.every((match) => match[2] === '1')).toBe(true);
  });

  it('stops sending once the verdict is decided, and says so', async () => {
    // 30 requests that each time out after 1 s, two at a time, would take 15 s; the first
    // timeout already fails `errors: { max: 0 }`, so the rest are never sent.
    const started = Date.now();
    const outcome = await h.check(
      'load',
      {
        service: 'web',
        path: '/slow/decided?ms=3000',
        requests: 30,
        concurrency: 2,
        requestTimeout: '1s',
        expect: { errors: { max: 0 } },
      },
      long,
    );
    expectFailed(
      outcome,
      /expected at most 0 requests without an answer, got \d+ .*; stopped after (\d+) \(the rest could not change the verdict\)/,
    );
    const stoppedAfter = Number(/stopped after (\d+)/.exec(outcome.message)?.[1]);
    expect(stoppedAfter).toBeLessThan(10);
    expect(Date.now() - started).toBeLessThan(10_000);
    // The server saw only what was sent: the slow requests it finished, each after its client left.
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    expectPassed(
      await h.check('metrics', {
        service: 'web',
        sample: 'fixture_requests_total',
        labels: { path: '/slow/decided', status: '200' },
        expect: { value: { max: 10 } },
      }),
    );
  });

  it('can expect failures: a share of at most, and errors of at least', async () => {
    expectPassed(
      await h.check(
        'load',
        { service: 'web', path: '/flaky/c', requests: 10, concurrency: 1, expect: { successRatio: { max: 0.5 } } },
        long,
      ),
    );
    expectFailed(
      await h.check(
        'load',
        { service: 'web', path: '/ok/fine', requests: 4, concurrency: 2, expect: { successRatio: { max: 0.5 } } },
        long,
      ),
      /expected at most 50% successful answers, got 100%/,
    );
  });

  it('is errored when Docker cannot be reached', async () => {
    await expectErroredWithoutDocker(h, 'load', { service: 'web', requests: 1 });
  });
});

describe('metrics', () => {
  it('compares the increase of a labelled counter over traffic it drives itself', async () => {
    const outcome = await h.check(
      'metrics',
      {
        service: 'web',
        sample: 'fixture_requests_total',
        labels: { path: '/ok' },
        traffic: { path: '/ok', requests: 25, concurrency: 5 },
        expect: { increase: { min: 25, max: 25 } },
      },
      long,
    );
    expectPassed(outcome);
    expect(outcome.message).toBe(
      'GET web:8000/metrics: fixture_requests_total{path="/ok"} +25 while 25 × GET web:8000/ok were sent',
    );
    expect(outcome.evidence).toMatch(/traffic: 25 × GET web:8000\/ok: 200 ×25/);
  });

  it('keeps the labels of histogram series apart (one _count per path)', async () => {
    await h.check('load', { service: 'web', path: '/slow/histogram?ms=1', requests: 3, concurrency: 1 }, long);
    const slow = await h.check('metrics', {
      service: 'web',
      sample: 'fixture_request_seconds_count',
      labels: { path: '/slow/histogram' },
      expect: { value: { min: 3, max: 3 } },
    });
    expectPassed(slow);
  });

  it("compares a size with the memory limit the service's container runs with (96m)", async () => {
    const fits = await h.check('metrics', {
      service: 'web',
      sample: 'fixture_cache_bytes',
      labels: { cache: 'small' },
      expect: { belowMemoryLimit: true },
    });
    expectPassed(fits);
    expectFailed(
      await h.check('metrics', {
        service: 'web',
        sample: 'fixture_cache_bytes',
        labels: { cache: 'large' },
        expect: { belowMemoryLimit: true },
      }),
      /expected fixture_cache_bytes\{cache="large"\} below the container's memory limit \(96 MiB\), got 1073741824 \(1\.0 GiB\)$/,
    );
  });

  it('fails on a value, an increase, a rate, a missing series and a broken format', async () => {
    expectFailed(
      await h.check('metrics', { service: 'web', sample: 'fixture_up', expect: { value: { min: 2 } } }),
      /^GET web:8000\/metrics: expected fixture_up at least 2, got 1$/,
    );
    expectFailed(
      await h.check(
        'metrics',
        {
          service: 'web',
          sample: 'fixture_requests_total',
          labels: { path: '/ok' },
          traffic: { path: '/missing', requests: 5 },
          expect: { increase: { min: 1 } },
        },
        long,
      ),
      /expected fixture_requests_total\{path="\/ok"\} to increase by at least 1 while 5 × GET web:8000\/missing were sent, got \+0$/,
    );
    expectFailed(
      await h.check('metrics', {
        service: 'web',
        sample: 'fixture_up',
        interval: '500ms',
        expect: { rate: { min: 1 } },
      }),
      /expected fixture_up to grow at least 1 per second over 500ms, got 0\/s$/,
    );
    expectFailed(
      await h.check('metrics', { service: 'web', sample: 'no_such_metric', expect: { exists: true } }),
      /expected a series no_such_metric, got none \(.*fixture_up/,
    );
    expectFailed(
      await h.check('metrics', { service: 'web', path: '/bad-metrics', sample: 'fixture_up', expect: {} }),
      /^GET web:8000\/bad-metrics: expected the Prometheus text format, got .*fixture_up/,
    );
    expectFailed(
      await h.check('metrics', { service: 'web', path: '/missing', sample: 'fixture_up', expect: {} }),
      /expected status 200, got 404$/,
    );
  });

  it('is errored when Docker cannot be reached', async () => {
    await expectErroredWithoutDocker(h, 'metrics', { service: 'web', sample: 'x', expect: {} });
  });
});
