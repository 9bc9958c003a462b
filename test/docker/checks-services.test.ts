/**
 * The http, container, logs and exec checks against real containers of the tiny fixture lab, run through
 * runCheck (runner.ts) with real timings: each passing, failing and errored. Failure messages must read
 * `<what>: expected <x>, got <y>`.
 *
 *   web    http.server on 8000, healthcheck on /health.txt, uid 10001
 *   quiet  publishes 9000 with nothing listening; a healthcheck that cannot fail; root
 *   job    printed one JSON line and exited with code 3
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectErroredWithoutDocker, expectFailed, expectPassed } from '../support/check-expectations.js';
import { httpGet, LabHarness, sleep, waitFor } from '../support/lab-harness.js';
const h = new LabHarness({ tag: 'cs' });
let sessionStart: Date;

beforeAll(async () => {
  sessionStart = new Date();
  await h.prepare();
  await h.deploy(['web', 'quiet', 'job']);
});

afterAll(async () => {
  expect(await h.cleanup()).toEqual([]);
});

describe('http', () => {
  it('passes on the expected status, body, JSON and header, with the response as evidence', async () => {
    const outcome = await h.check('http', {
      service: 'web',
      path: '/info.json',
      expect: {
        status: [200, 204],
        bodyContains: '"tiny"',
        bodyMatches: 'version"\\s*:\\s*"2\\.',
        json: [
          { path: 'version', equals: '2.0.0' },
          { path: '$.features[0].enabled', equals: true },
          { path: 'missing', exists: false },
        ],
        headers: { 'content-type': 'application/json' },
        maxLatency: '5s',
      },
    });
    expectPassed(outcome);
    expect(outcome.message).toMatch(/^GET web:8000\/info\.json answered 200 in \d+/);
    expect(outcome.evidence).toMatch(/^HTTP 200 in .+\n\{"name":"tiny"/);
  });

  it('fails on a wrong status, a missing text, a wrong JSON value, a header, the latency', async () => {
    expectFailed(
      await h.check('http', { service: 'web', path: '/missing' }),
      /^GET web:8000\/missing: expected status 200, got 404$/,
    );
    expectFailed(
      await h.check('http', { service: 'web', path: '/', expect: { bodyContains: 'tiny 3.0.0' } }),
      /expected body to contain "tiny 3.0.0", got "<h1>tiny 2.0.0<\/h1>"/,
    );
    expectFailed(
      await h.check('http', {
        service: 'web',
        path: '/info.json',
        expect: { json: [{ path: 'version', equals: '1.0.0' }] },
      }),
      /expected version = "1.0.0", got "2.0.0"/,
    );
    expectFailed(
      await h.check('http', { service: 'web', path: '/info.json', expect: { json: [{ path: 'features[3].id' }] } }),
      /expected features\[3\]\.id in the body, got nothing/,
    );
    expectFailed(
      await h.check('http', { service: 'web', path: '/', expect: { json: [{ path: 'version' }] } }),
      /expected a JSON body, got "<h1>/,
    );
    expectFailed(
      await h.check('http', { service: 'web', path: '/', expect: { headers: { 'x-request-id': 'abc' } } }),
      /expected header x-request-id: abc, got no such header/,
    );
    expectFailed(
      await h.check('http', { service: 'web', path: '/', expect: { maxLatency: 0 } }),
      /expected an answer within 0ms, got \d+/,
    );
    const failed = await h.check('http', { service: 'web', path: '/missing' });
    expect(failed.evidence).toMatch(/^HTTP 404/);
  });

  it('fails when the asked port is not published, or the service is not deployed', async () => {
    expectFailed(
      await h.check('http', { service: 'web', port: 1234 }),
      /^web: expected container port 1234 published, got 8000$/,
    );
    expectFailed(await h.check('http', { service: 'job' }), /^job: expected a published port, got none$/);
    expectFailed(
      await h.check('http', { service: 'ghost' }),
      /^ghost: expected a container, got none \(not deployed\)$/,
    );
  });

  it('reachable: false passes against a published port nothing listens on, and fails against a live one', async () => {
    const quiet = await h.check('http', { service: 'quiet', expect: { reachable: false } });
    expectPassed(quiet);
    expect(quiet.message).toMatch(
      /^GET quiet:9000\/: no HTTP answer \((connection refused|connection reset)\), as expected$/,
    );
    expectFailed(await h.check('http', { service: 'quiet' }), /^GET quiet:9000\/: expected an HTTP answer, got /);
    expectFailed(
      await h.check('http', { service: 'web', expect: { reachable: false } }),
      /^GET web:8000\/: expected no HTTP answer, got status 200$/,
    );
  });

  it('a paused service gives no answer: failed (the lab misbehaves), and reachable: false passes', async () => {
    await h.applyFault('container.pause', { service: 'web' });
    try {
      const started = performance.now();
      const hung = await h.check('http', { service: 'web', path: '/health.txt' }, { timing: { timeoutMs: 1500 } });
      expect(performance.now() - started).toBeLessThan(4000);
      expectFailed(hung, /^GET web:8000\/health\.txt: expected an HTTP answer, got no answer before the timeout$/);
      expect(hung.evidence).toMatch(/^state: paused, health: /);
      expectPassed(
        await h.check(
          'http',
          { service: 'web', path: '/health.txt', expect: { reachable: false } },
          { timing: { timeoutMs: 1500 } },
        ),
      );
    } finally {
      await h.docker.getContainer(h.service('web').container).unpause();
      // Probes timed out while it was frozen; the next tests want it healthy again.
      await h.waitForHealthy('web');
    }
  });

  it('errors when Docker cannot be reached', async () => {
    await expectErroredWithoutDocker(h, 'http', { service: 'web' });
  });
});

describe('container', () => {
  it('passes for a running, healthy, non-root service with a real healthcheck', async () => {
    const outcome = await h.check('container', {
      service: 'web',
      expect: {
        running: true,
        healthy: true,
        restarts: { max: 0 },
        oomKilled: false,
        nonRootUser: true,
        healthcheck: { contains: '/health.txt', excludes: ['\\|\\|\\s*(exit 0|true)'] },
      },
    });
    expectPassed(outcome);
    expect(outcome.message).toBe('web: status running, health healthy');
    expect(outcome.evidence).toMatch(/^status running, health healthy\nlast health probe: exit 0/);
  });

  it('judges the healthcheck command: a probe that cannot fail is reported even though it says healthy', async () => {
    // The probe always succeeds, so Docker calls it healthy…
    expectPassed(await h.check('container', { service: 'quiet', expect: { running: true, healthy: true } }));
    // …which is exactly what expect.healthcheck catches.
    expectFailed(
      await h.check('container', { service: 'quiet', expect: { healthcheck: { excludes: ['\\|\\|\\s*exit 0'] } } }),
      /^quiet: expected a healthcheck that can fail, got "CMD-SHELL curl -fsS http:\/\/127\.0\.0\.1:9000\/ \|\| exit 0" \(matches \/.+\/\)$/,
    );
    expectFailed(
      await h.check('container', { service: 'quiet', expect: { healthcheck: { contains: '/health' } } }),
      /^quiet: expected the healthcheck to contain "\/health", got "CMD-SHELL curl/,
    );
    expectFailed(
      await h.check('container', { service: 'job', expect: { healthcheck: {} } }),
      /^job: expected a healthcheck, got none$/,
    );
  });

  it('fails on state, exit code, health, user and restarts, saying what it saw', async () => {
    expectFailed(
      await h.check('container', { service: 'web', expect: { running: false } }),
      /^web: expected not running, got status running, health healthy$/,
    );
    expectPassed(await h.check('container', { service: 'job', expect: { running: false, exitCode: 3 } }));
    expectFailed(
      await h.check('container', { service: 'job', expect: { exitCode: 0 } }),
      /^job: expected to have exited with code 0, got status exited, exit code 3$/,
    );
    expectFailed(
      await h.check('container', { service: 'web', expect: { exitCode: 0 } }),
      /^web: expected to have exited with code 0, got status running/,
    );
    expectFailed(
      await h.check('container', { service: 'job', expect: { healthy: true } }),
      /^job: expected healthy, got no healthcheck$/,
    );
    expectFailed(
      await h.check('container', { service: 'quiet', expect: { nonRootUser: true } }),
      /^quiet: expected a non-root user, got uid 0$/,
    );
    expectFailed(
      await h.check('container', { service: 'web', expect: { restarts: { min: 1 } } }),
      /^web: expected at least 1 restarts, got 0$/,
    );
    expectFailed(
      await h.check('container', { service: 'web', expect: { oomKilled: true } }),
      /^web: expected an OOM kill, got status running/,
    );
    expectFailed(
      await h.check('container', { service: 'ghost', expect: { running: true } }),
      /^ghost: expected a container, got none \(not deployed\)$/,
    );
  });

  it('errors when Docker cannot be reached', async () => {
    await expectErroredWithoutDocker(h, 'container', { service: 'web', expect: { running: true } });
  });
});

describe('exec', () => {
  it('passes on exit code and output, with the output as evidence', async () => {
    const outcome = await h.check('exec', {
      service: 'web',
      command: 'cat /srv/version.txt',
      expect: { exitCode: 0, stdoutContains: '2.0.0', stdoutMatches: '^\\d+\\.\\d+\\.\\d+$', stdoutAbsent: '1.0.0' },
    });
    expectPassed(outcome);
    expect(outcome.message).toBe('web `sh -c cat /srv/version.txt` exited 0');
    expect(outcome.evidence).toBe('exit 0\n2.0.0');
    expectPassed(
      await h.check('exec', { service: 'web', command: ['id', '-u'], user: '0', expect: { stdoutContains: '0' } }),
    );
  });

  it('fails on a wrong exit code or output, and when the container is not running', async () => {
    const exit = await h.check('exec', { service: 'web', command: 'echo oops >&2; exit 4' });
    expectFailed(exit, /^web `sh -c echo oops >&2; exit 4`: expected exit code 0, got 4$/);
    expect(exit.evidence).toBe('exit 4\n\nstderr: oops');
    expectFailed(
      await h.check('exec', { service: 'web', command: ['id', '-u'], expect: { stdoutContains: '0\n' } }),
      /expected output containing "0\\n", got "10001"/,
    );
    expectFailed(
      await h.check('exec', { service: 'web', command: 'echo 1.0.0', expect: { stdoutMatches: '^2\\.' } }),
      /expected output matching \/\^2\\.\/, got "1.0.0"/,
    );
    expectFailed(
      await h.check('exec', { service: 'job', command: 'true' }),
      /^job: expected a running container to exec in, got exited$/,
    );
    expectFailed(
      await h.check('exec', { service: 'ghost', command: 'true' }),
      /^ghost: expected a running container to exec in, got none$/,
    );
  });

  it('a command that hangs is errored after the attempt timeout instead of hanging', async () => {
    const started = performance.now();
    const outcome = await h.check(
      'exec',
      { service: 'web', command: 'sleep 60' },
      { timing: { timeoutMs: 1500, withinMs: 0 } },
    );
    const took = performance.now() - started;
    expect(outcome).toMatchObject({ status: 'errored', message: 'no result within 1500ms', attempts: 1 });
    expect(took).toBeGreaterThanOrEqual(1400);
    expect(took).toBeLessThan(4000);
  });

  it('an abort stops a hanging check at once, and says it was interrupted', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const started = performance.now();
    const outcome = await h.check(
      'exec',
      { service: 'web', command: 'sleep 60' },
      { timing: { timeoutMs: 20_000, withinMs: 30_000 }, signal: controller.signal },
    );
    expect(performance.now() - started).toBeLessThan(2000);
    expect(outcome.status).toBe('errored');
    expect(outcome.attempts).toBe(1);
    expect(outcome.message).toMatch(/interrupted/);
  });

  it('errors when Docker cannot be reached', async () => {
    await expectErroredWithoutDocker(h, 'exec', { service: 'web', command: 'true' });
  });
});

describe('logs', () => {
  let applyMark: Date;

  beforeAll(async () => {
    const port = await h.publishedPort('web', 8000);
    // http.server logs every request line to stderr: the markers are real log lines.
    await httpGet(`http://${h.host}:${port}/marker-one`);
    await sleep(300);
    applyMark = new Date();
    await sleep(300);
    await httpGet(`http://${h.host}:${port}/marker-two`);
    await sleep(300);
    // A restart starts a new container run: `since: container` only sees what came after it.
    await h.docker.getContainer(h.service('web').container).restart({ t: 1 });
    // A restart publishes on a new ephemeral host port.
    const after = await h.publishedPort('web', 8000);
    await waitFor('web to answer after its restart', async () => {
      const answer = await httpGet(`http://${h.host}:${after}/health.txt`);
      return 'status' in answer ? true : undefined;
    });
    await httpGet(`http://${h.host}:${after}/marker-three`);
    await h.waitForHealthy('web');
  });

  const since = () => h.checkContext({ since: { session: sessionStart, apply: applyMark } });

  it('since: session sees everything the lab logged', async () => {
    const outcome = await h.check(
      'logs',
      { service: 'web', since: 'session', expect: { contains: ['marker-one', 'marker-two', 'marker-three'] } },
      { ctx: since() },
    );
    expectPassed(outcome);
    expect(outcome.evidence).toContain('GET /marker-three');
  });

  it('since: apply starts at the last apply', async () => {
    expectPassed(
      await h.check(
        'logs',
        { service: 'web', since: 'apply', expect: { contains: ['marker-two', 'marker-three'], absent: 'marker-one' } },
        { ctx: since() },
      ),
    );
    expectFailed(
      await h.check('logs', { service: 'web', since: 'apply', expect: { contains: 'marker-one' } }, { ctx: since() }),
      /^web logs: expected a line containing "marker-one", got \d+ lines without it$/,
    );
  });

  it('since: container (the default) starts when the container last started', async () => {
    expectPassed(
      await h.check(
        'logs',
        { service: 'web', expect: { contains: 'marker-three', absent: ['marker-one', 'marker-two'] } },
        { ctx: since() },
      ),
    );
    const outcome = await h.check(
      'logs',
      { service: 'web', since: 'session', expect: { absent: 'marker-two' } },
      { ctx: since() },
    );
    expectFailed(outcome, /^web logs: expected no "marker-two", got ".*GET \/marker-two HTTP\/1\.1\\" 404/);
    expect(outcome.evidence).toContain('marker-two');
  });

  it('judges JSON lines, patterns and line counts', async () => {
    expectPassed(
      await h.check('logs', {
        service: 'job',
        expect: { jsonLines: true, minLines: 1, maxLines: 1, matches: '"msg":"job done"' },
      }),
    );
    expectFailed(
      await h.check('logs', { service: 'web', since: 'session', expect: { jsonLines: true } }, { ctx: since() }),
      /^web logs: expected every line to be a JSON object, got ".+"$/,
    );
    expectFailed(
      await h.check('logs', { service: 'web', since: 'session', expect: { maxLines: 0 } }, { ctx: since() }),
      /^web logs: expected at most 0 lines, got \d+$/,
    );
    expectFailed(
      await h.check('logs', { service: 'job', expect: { minLines: 5 } }),
      /^web logs|^job logs: expected at least 5 lines, got 1$/,
    );
    expectFailed(
      await h.check('logs', { service: 'job', expect: { matches: 'level.:.error' } }),
      /^job logs: expected a line matching \/level\.:\.error\/, got 1 lines without one$/,
    );
    expectFailed(
      await h.check('logs', { service: 'quiet', expect: { jsonLines: true } }),
      /^quiet logs: expected JSON lines, got no log lines$/,
    );
    expectFailed(
      await h.check('logs', { service: 'ghost', expect: { contains: 'x' } }),
      /^ghost: expected logs, got no container$/,
    );
  });

  it('retries within its window: a line that appears later passes on a later attempt', async () => {
    const port = await h.publishedPort('web', 8000);
    setTimeout(() => void httpGet(`http://${h.host}:${port}/marker-late`), 700);
    const outcome = await h.check(
      'logs',
      { service: 'web', expect: { contains: 'marker-late' } },
      { timing: { timeoutMs: 2000, withinMs: 6000 } },
    );
    expectPassed(outcome);
    expect(outcome.attempts).toBeGreaterThan(1);
  });

  it('errors when Docker cannot be reached', async () => {
    await expectErroredWithoutDocker(h, 'logs', { service: 'web', expect: { contains: 'x' } });
  });
});
