/**
 * Runs one check entry of a scenario: validates nothing (the loader already did), gives every
 * attempt its own timeout and retries a failing observation until the retry window closes,
 * because a lab that was just redeployed needs a moment before it answers — but only while it
 * can still settle: a failure observed on a service whose container cannot change without the
 * learner (settled.ts) is certain, and reported at once.
 */
import type { CheckContext, CheckDefinition, CheckOutcome } from './check.js';
import { CheckError } from './check.js';
import { settledService } from './settled.js';

export interface CheckTiming {
  /** One attempt may take this long. */
  timeoutMs: number;
  /** Keep retrying a failed or errored attempt until this much time has passed. */
  withinMs: number;
}

export interface TimedOutcome extends CheckOutcome {
  durationMs: number;
  attempts: number;
  /** Set when the failure was reported before the window closed: what made it certain. */
  certain?: string;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

/** Docker errors carry an HTTP status and a JSON body; keep the readable part. */
function describeError(error: unknown): string {
  if (error instanceof Error) {
    const json = (error as { json?: { message?: string } }).json;
    return json?.message ?? error.message;
  }
  return String(error);
}

/**
 * Once an attempt's signal aborts, how long a check that listens to it gets to report its own
 * verdict before the runner calls the attempt errored. Without it the runner's deadline, which
 * subscribes to the signal first, always won: an http check against a hung (e.g. paused)
 * service came back errored instead of the failed (or, with `reachable: false`, passed) that
 * http.ts decides, and a pause scenario's symptom could never be observed.
 */
const SETTLE_MS = 250;

async function attempt(
  definition: CheckDefinition,
  params: unknown,
  ctx: Omit<CheckContext, 'signal'>,
  timeoutMs: number,
  outer?: AbortSignal,
): Promise<CheckOutcome> {
  const signal = outer ? AbortSignal.any([outer, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
  let settle: NodeJS.Timeout | undefined;
  try {
    const run = definition.run({ ...ctx, signal }, params as never);
    // Checks that do not listen to the signal (an exec in a hung container) still end on time.
    const deadline = new Promise<CheckOutcome>((resolve) => {
      const expire = () => {
        settle = setTimeout(
          () =>
            resolve({
              status: 'errored',
              message: outer?.aborted ? 'interrupted before a result' : `no result within ${timeoutMs}ms`,
            }),
          SETTLE_MS,
        );
      };
      // An already-aborted signal never fires 'abort' again: without this, a run that ignores
      // the signal would hang for ever when runCheck is called after an interruption.
      if (signal.aborted) expire();
      else signal.addEventListener('abort', expire, { once: true });
    });
    const outcome = await Promise.race([run, deadline]);
    // Interrupted (not timed out): what a check concluded from its aborted request says nothing about the lab.
    if (outer?.aborted && outcome.status !== 'passed')
      return { status: 'errored', message: 'interrupted before a result' };
    return outcome;
  } catch (error) {
    if (outer?.aborted) return { status: 'errored', message: 'interrupted before a result' };
    // A check that gives up when its attempt's deadline aborts it (an exec) had no result in time.
    if (signal.aborted) return { status: 'errored', message: `no result within ${timeoutMs}ms` };
    return {
      status: 'errored',
      message: error instanceof CheckError ? error.message : `could not run: ${describeError(error)}`,
    };
  } finally {
    clearTimeout(settle);
  }
}

export async function runCheck(
  definition: CheckDefinition,
  params: unknown,
  ctx: Omit<CheckContext, 'signal'>,
  timing: CheckTiming,
  signal?: AbortSignal,
  /** When the retry window opened (epoch ms; default now): see run-order.ts. At least one attempt is always made. */
  opensAt?: number,
): Promise<TimedOutcome> {
  const started = performance.now();
  const windowEnds = (opensAt ?? Date.now()) + timing.withinMs;
  let attempts = 0;
  let delay = 200;
  for (;;) {
    attempts += 1;
    const outcome = await attempt(definition, params, ctx, timing.timeoutMs, signal);
    const elapsed = performance.now() - started;
    if (outcome.status === 'passed' || Date.now() + delay >= windowEnds || signal?.aborted) {
      return { ...outcome, durationMs: Math.round(elapsed), attempts };
    }
    if (outcome.status === 'failed') {
      const certain = await settledService(definition, params, ctx);
      if (certain) return { ...outcome, durationMs: Math.round(performance.now() - started), attempts, certain };
    }
    await sleep(delay, signal);
    // Interrupted while waiting to retry: the last observation stands, no attempt is started.
    if (signal?.aborted) return { ...outcome, durationMs: Math.round(performance.now() - started), attempts };
    delay = Math.min(delay * 2, 1000);
  }
}
