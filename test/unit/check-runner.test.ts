/**
 * runner.ts with a fake CheckDefinition and real (short) timings: the retry window, the
 * per-attempt timeout, errored versus failed, and the abort signal.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  CheckError,
  defineCheck,
  errored,
  failed,
  passed,
  type CheckContext,
  type CheckOutcome,
} from '../../engine/checks/check.js';
import { runCheck } from '../../engine/checks/runner.js';
import type { Runtime } from '../../engine/runtime/runtime.js';

const ctx: Omit<CheckContext, 'signal'> = {
  lab: { sessionId: 'unit01', scenarioId: 'runner', workspace: '/nonexistent/ws' },
  runtime: {} as Runtime,
  host: '127.0.0.1',
  since: { session: new Date(0), apply: new Date(0) },
  service: (name) => ({ container: `bf-unit01-${name}`, image: `bf-unit01/${name}:latest` }),
};

interface Call {
  at: number;
  signal: AbortSignal;
  params: unknown;
}

/** A check whose attempts are scripted; it records when each attempt ran and what it got. */
function fakeCheck(script: (attempt: number, signal: AbortSignal) => Promise<CheckOutcome>) {
  const calls: Call[] = [];
  const started = performance.now();
  const definition = defineCheck({
    type: 'fake',
    summary: 'A scripted check for runner tests.',
    params: z.strictObject({ n: z.number() }),
    run: (context, params) => {
      calls.push({ at: performance.now() - started, signal: context.signal, params });
      expect(context.host).toBe('127.0.0.1');
      return script(calls.length, context.signal);
    },
  });
  return { definition, calls };
}

const never = () => new Promise<CheckOutcome>(() => undefined);

/**
 * Resolves with the check's own verdict once its signal aborts, as http.ts does with fetch —
 * and, like http.ts, only starts listening after a first I/O step (it inspects the container
 * before it sends the request), i.e. after the runner has subscribed to the same signal.
 */
const untilAborted = async (signal: AbortSignal, outcome: () => CheckOutcome): Promise<CheckOutcome> => {
  await new Promise((resolve) => setTimeout(resolve, 10));
  return new Promise<CheckOutcome>((resolve) => {
    if (signal.aborted) resolve(outcome());
    else signal.addEventListener('abort', () => resolve(outcome()), { once: true });
  });
};

describe('the retry window', () => {
  it('a pass on the first attempt returns at once', async () => {
    const { definition, calls } = fakeCheck(async () => passed('ok', 'evidence text'));
    const outcome = await runCheck(definition, { n: 1 }, ctx, { timeoutMs: 1000, withinMs: 5000 });
    expect(outcome).toMatchObject({ status: 'passed', message: 'ok', evidence: 'evidence text', attempts: 1 });
    expect(outcome.durationMs).toBeLessThan(100);
    expect(calls[0]?.params).toEqual({ n: 1 });
  });

  it('retries a failing observation, backing off, until it passes', async () => {
    const { definition, calls } = fakeCheck(async (attempt) =>
      attempt < 3 ? failed(`x: expected up, got down (${attempt})`) : passed('up'),
    );
    const outcome = await runCheck(definition, { n: 1 }, ctx, { timeoutMs: 1000, withinMs: 5000 });
    expect(outcome).toMatchObject({ status: 'passed', message: 'up', attempts: 3 });
    // 200 ms, then 400 ms between attempts.
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(190);
    expect(calls[2]!.at - calls[1]!.at).toBeGreaterThanOrEqual(390);
  });

  it('gives up with the last observation when the window closes, never waiting past it', async () => {
    const { definition } = fakeCheck(async (attempt) => failed(`x: expected up, got down (${attempt})`));
    const outcome = await runCheck(definition, { n: 1 }, ctx, { timeoutMs: 1000, withinMs: 1000 });
    // Attempts at ~0, ~200 and ~600 ms; the next (at ~1400 ms) would fall outside the window.
    expect(outcome).toMatchObject({ status: 'failed', message: 'x: expected up, got down (3)', attempts: 3 });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(550);
    expect(outcome.durationMs).toBeLessThan(1000);
  });

  it('a window of 0 means exactly one attempt', async () => {
    const { definition, calls } = fakeCheck(async () => failed('x: expected a, got b'));
    const outcome = await runCheck(definition, { n: 1 }, ctx, { timeoutMs: 1000, withinMs: 0 });
    expect(outcome).toMatchObject({ status: 'failed', attempts: 1 });
    expect(calls).toHaveLength(1);
  });

  it('counts the window from when it opened: a window that closed while earlier checks ran gets one attempt', async () => {
    const { definition, calls } = fakeCheck(async () => failed('x: expected a, got b'));
    const outcome = await runCheck(
      definition,
      { n: 1 },
      ctx,
      { timeoutMs: 1000, withinMs: 20_000 },
      undefined,
      Date.now() - 30_000,
    );
    expect(outcome).toMatchObject({ status: 'failed', attempts: 1 });
    expect(calls).toHaveLength(1);
    // A window opened 600 ms ago keeps its remaining 400 ms: attempts at ~0 and ~200 ms.
    const late = fakeCheck(async () => failed('x: expected a, got b'));
    const rest = await runCheck(
      late.definition,
      { n: 1 },
      ctx,
      { timeoutMs: 1000, withinMs: 1000 },
      undefined,
      Date.now() - 600,
    );
    expect(rest.attempts).toBe(2);
    expect(rest.durationMs).toBeLessThan(400);
  });

  it('retries errored attempts too (the lab may still be starting), keeping the latest outcome', async () => {
    const { definition } = fakeCheck(async (attempt) =>
      attempt === 1 ? errored('docker busy') : attempt === 2 ? failed('x: expected a, got b') : passed('fine'),
    );
    expect(await runCheck(definition, { n: 1 }, ctx, { timeoutMs: 1000, withinMs: 3000 })).toMatchObject({
      status: 'passed',
      attempts: 3,
    });
    const { definition: alwaysErrored } = fakeCheck(async () => errored('docker busy'));
    expect(await runCheck(alwaysErrored, { n: 1 }, ctx, { timeoutMs: 1000, withinMs: 300 })).toMatchObject({
      status: 'errored',
      message: 'docker busy',
      attempts: 2,
    });
  });
});

describe('the per-attempt timeout', () => {
  it('a run that never answers (and ignores its signal) is errored after the timeout, not hung', async () => {
    const { definition } = fakeCheck(never);
    const outcome = await runCheck(definition, { n: 1 }, ctx, { timeoutMs: 150, withinMs: 0 });
    expect(outcome).toMatchObject({ status: 'errored', message: 'no result within 150ms', attempts: 1 });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(140);
    expect(outcome.durationMs).toBeLessThan(1000);
  });

  it('every attempt gets its own timeout within the window', async () => {
    const { definition, calls } = fakeCheck(never);
    const outcome = await runCheck(definition, { n: 1 }, ctx, { timeoutMs: 100, withinMs: 1200 });
    expect(outcome.status).toBe('errored');
    expect(outcome.attempts).toBeGreaterThanOrEqual(2);
    expect(calls.every((call) => call.signal.aborted)).toBe(true);
    expect(calls.map((call) => (call.signal.reason as Error).name)).toContain('TimeoutError');
  });

  it('a check that listens to its signal reports its own verdict at the timeout (a hung service is failed)', async () => {
    const { definition } = fakeCheck((_, signal) =>
      untilAborted(signal, () => failed('GET api:8080/: expected an HTTP answer, got no answer before the timeout')),
    );
    const outcome = await runCheck(definition, { n: 1 }, ctx, { timeoutMs: 150, withinMs: 0 });
    expect(outcome).toMatchObject({
      status: 'failed',
      message: 'GET api:8080/: expected an HTTP answer, got no answer before the timeout',
    });
    const { definition: expectsSilence } = fakeCheck((_, signal) =>
      untilAborted(signal, () => passed('no HTTP answer, as expected')),
    );
    expect(await runCheck(expectsSilence, { n: 1 }, ctx, { timeoutMs: 150, withinMs: 0 })).toMatchObject({
      status: 'passed',
    });
  });
});

describe('errored versus failed', () => {
  it('a failed observation stays failed; a CheckError is errored with its own message', async () => {
    const { definition } = fakeCheck(async () => failed('api: expected running, got exited'));
    expect(await runCheck(definition, { n: 1 }, ctx, { timeoutMs: 500, withinMs: 0 })).toMatchObject({
      status: 'failed',
      message: 'api: expected running, got exited',
    });
    const { definition: cannot } = fakeCheck(async () => {
      throw new CheckError('the scenario names service api, which the lab does not have');
    });
    expect(await runCheck(cannot, { n: 1 }, ctx, { timeoutMs: 500, withinMs: 0 })).toMatchObject({
      status: 'errored',
      message: 'the scenario names service api, which the lab does not have',
    });
  });

  it('any other exception is errored as "could not run", with Docker’s own message when it has one', async () => {
    const cases: Array<[unknown, string]> = [
      [new Error('connect ENOENT /var/run/docker.sock'), 'could not run: connect ENOENT /var/run/docker.sock'],
      [
        Object.assign(new Error('(HTTP code 500) server error - boom'), {
          json: { message: 'container is restarting' },
        }),
        'could not run: container is restarting',
      ],
      ['a string was thrown', 'could not run: a string was thrown'],
    ];
    for (const [thrown, message] of cases) {
      const { definition } = fakeCheck(async () => {
        throw thrown;
      });
      expect(await runCheck(definition, { n: 1 }, ctx, { timeoutMs: 500, withinMs: 0 })).toMatchObject({
        status: 'errored',
        message,
        attempts: 1,
      });
    }
  });

  it('a synchronous throw from run is errored too', async () => {
    const definition = defineCheck({
      type: 'sync-throw',
      summary: 'Throws before returning a promise.',
      params: z.strictObject({}),
      run: () => {
        throw new TypeError('params.expect is undefined');
      },
    });
    expect(await runCheck(definition, {}, ctx, { timeoutMs: 500, withinMs: 0 })).toMatchObject({
      status: 'errored',
      message: 'could not run: params.expect is undefined',
    });
  });
});

describe('the abort signal', () => {
  it('interrupts a hanging attempt at once, as errored "interrupted", without retrying', async () => {
    const { definition, calls } = fakeCheck(never);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const outcome = await runCheck(
      definition,
      { n: 1 },
      ctx,
      { timeoutMs: 10_000, withinMs: 60_000 },
      controller.signal,
    );
    expect(outcome).toMatchObject({ status: 'errored', message: 'interrupted before a result', attempts: 1 });
    expect(outcome.durationMs).toBeLessThan(1000);
    expect(calls[0]?.signal.aborted).toBe(true);
  });

  it('a check that answers from its aborted request is still "interrupted", not failed', async () => {
    const { definition } = fakeCheck((_, signal) =>
      untilAborted(signal, () => failed('GET api:8080/: expected an HTTP answer, got no answer before the timeout')),
    );
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    expect(
      await runCheck(definition, { n: 1 }, ctx, { timeoutMs: 10_000, withinMs: 0 }, controller.signal),
    ).toMatchObject({ status: 'errored', message: 'interrupted before a result' });
  });

  it('interrupts the wait between attempts: the last observation stands and no new attempt starts', async () => {
    const { definition, calls } = fakeCheck(async () => failed('x: expected a, got b'));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 700);
    const outcome = await runCheck(definition, { n: 1 }, ctx, { timeoutMs: 1000, withinMs: 60_000 }, controller.signal);
    // Attempts at ~0, ~200, ~600 ms; the abort at ~700 ms lands in the 800 ms wait.
    expect(outcome).toMatchObject({ status: 'failed', message: 'x: expected a, got b', attempts: 3 });
    expect(calls).toHaveLength(3);
    expect(outcome.durationMs).toBeLessThan(1200);
  });

  it('an already aborted signal still returns, even from a check that ignores it', async () => {
    const { definition } = fakeCheck(never);
    const controller = new AbortController();
    controller.abort();
    const started = performance.now();
    const outcome = await runCheck(
      definition,
      { n: 1 },
      ctx,
      { timeoutMs: 10_000, withinMs: 60_000 },
      controller.signal,
    );
    expect(outcome).toMatchObject({ status: 'errored', message: 'interrupted before a result', attempts: 1 });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('a pass just before the abort is kept', async () => {
    const controller = new AbortController();
    const { definition } = fakeCheck(async () => {
      controller.abort();
      return passed('fine');
    });
    expect(
      await runCheck(definition, { n: 1 }, ctx, { timeoutMs: 1000, withinMs: 5000 }, controller.signal),
    ).toMatchObject({ status: 'passed', attempts: 1 });
  });
});

describe('certain failures end the window early', () => {
  const withService = (status: string | undefined) => {
    const inspected: string[] = [];
    const runtime = {
      inspectContainer: async (name: string) => {
        inspected.push(name);
        return status === undefined ? undefined : { status, exitCode: status === 'running' ? 0 : 1 };
      },
    } as unknown as Runtime;
    const definition = defineCheck({
      type: 'fake-service',
      summary: 'A failing check that observes the api service.',
      params: z.strictObject({ service: z.string() }),
      services: (params) => [params.service],
      run: async () => failed('api: expected an HTTP answer, got connection refused'),
    });
    return { definition, context: { ...ctx, runtime }, inspected };
  };

  it('reports at once when the observed service has exited (Docker will not restart it)', async () => {
    const { definition, context, inspected } = withService('exited');
    const outcome = await runCheck(definition, { service: 'api' }, context, { timeoutMs: 500, withinMs: 3_000 });
    expect(outcome.status).toBe('failed');
    expect(outcome.attempts).toBe(1);
    expect(outcome.durationMs).toBeLessThan(1_000);
    expect(outcome.certain).toBe('api: exited (exit code 1)');
    expect(inspected).toEqual(['bf-unit01-api']);
  });

  it('reports at once when the service has no container', async () => {
    const { definition, context } = withService(undefined);
    const outcome = await runCheck(definition, { service: 'api' }, context, { timeoutMs: 500, withinMs: 3_000 });
    expect(outcome.certain).toBe('api: no container');
    expect(outcome.attempts).toBe(1);
  });

  it('reports at once when the service was created but never started (its dependency failed)', async () => {
    const { definition, context } = withService('created');
    const outcome = await runCheck(definition, { service: 'api' }, context, { timeoutMs: 500, withinMs: 3_000 });
    expect(outcome.certain).toBe('api: created, never started');
    expect(outcome.attempts).toBe(1);
  });

  it.each(['running', 'restarting', 'paused'])('keeps retrying while the service is %s', async (status) => {
    const { definition, context } = withService(status);
    const outcome = await runCheck(definition, { service: 'api' }, context, { timeoutMs: 200, withinMs: 700 });
    expect(outcome.status).toBe('failed');
    expect(outcome.certain).toBeUndefined();
    expect(outcome.attempts).toBeGreaterThan(1);
  });

  it('keeps retrying when Docker does not answer the inspect', async () => {
    const { definition, context } = withService('exited');
    const broken = {
      ...context,
      runtime: { inspectContainer: () => Promise.reject(new Error('connect ENOENT')) } as unknown as Runtime,
    };
    const outcome = await runCheck(definition, { service: 'api' }, broken, { timeoutMs: 200, withinMs: 700 });
    expect(outcome.certain).toBeUndefined();
    expect(outcome.attempts).toBeGreaterThan(1);
  });
});
