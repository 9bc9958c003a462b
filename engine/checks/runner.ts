/**
 * Runs one check entry of a scenario: validates nothing (the loader already did), gives every
 * attempt its own timeout and retries a failing observation until the retry window closes,
 * because a lab that was just redeployed needs a moment before it answers.
 */
import type { CheckContext, CheckDefinition, CheckOutcome } from './check.js';
import { CheckError } from './check.js';

export interface CheckTiming {
  /** One attempt may take this long. */
  timeoutMs: number;
  /** Keep retrying a failed or errored attempt until this much time has passed. */
  withinMs: number;
}

export interface TimedOutcome extends CheckOutcome {
  durationMs: number;
  attempts: number;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });

/** Docker errors carry an HTTP status and a JSON body; keep the readable part. */
function describeError(error: unknown): string {
  if (error instanceof Error) {
    const json = (error as { json?: { message?: string } }).json;
    return json?.message ?? error.message;
  }
  return String(error);
}

async function attempt(definition: CheckDefinition, params: unknown, ctx: Omit<CheckContext, 'signal'>, timeoutMs: number, outer?: AbortSignal): Promise<CheckOutcome> {
  const signal = outer ? AbortSignal.any([outer, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
  try {
    const run = definition.run({ ...ctx, signal }, params as never);
    // Checks that do not listen to the signal (an exec in a hung container) still end on time.
    const deadline = new Promise<CheckOutcome>((resolve) => {
      signal.addEventListener('abort', () => resolve({ status: 'errored', message: `no result within ${timeoutMs}ms` }), { once: true });
    });
    return await Promise.race([run, deadline]);
  } catch (error) {
    return { status: 'errored', message: error instanceof CheckError ? error.message : `could not run: ${describeError(error)}` };
  }
}

export async function runCheck(
  definition: CheckDefinition,
  params: unknown,
  ctx: Omit<CheckContext, 'signal'>,
  timing: CheckTiming,
  signal?: AbortSignal,
): Promise<TimedOutcome> {
  const started = performance.now();
  let attempts = 0;
  let delay = 200;
  for (;;) {
    attempts += 1;
    const outcome = await attempt(definition, params, ctx, timing.timeoutMs, signal);
    const elapsed = performance.now() - started;
    if (outcome.status === 'passed' || elapsed + delay >= timing.withinMs || signal?.aborted) {
      return { ...outcome, durationMs: Math.round(elapsed), attempts };
    }
    await sleep(delay, signal);
    delay = Math.min(delay * 2, 1000);
  }
}
