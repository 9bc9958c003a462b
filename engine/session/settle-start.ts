/**
 * When a live lab last changed, so that a `check` round's retry windows open then rather than
 * at the round's start. A check's `within` is the time a redeployed lab gets to settle; a lab
 * that was deployed (or whose containers last started) longer ago than that has settled, and a
 * learner checking a broken lab for the third time should hear so at once rather than wait out
 * every window again. `grade` and `verify` deploy fresh and keep windows from the round's start.
 */
import type { Runtime } from '../runtime/runtime.js';

export async function labSettleStart(
  runtime: Runtime,
  containers: readonly string[],
  lastApplyAt: number | undefined,
  now: number = Date.now(),
): Promise<number> {
  const states = await Promise.all(containers.map((name) => runtime.inspectContainer(name).catch(() => undefined)));
  let latest = lastApplyAt ?? 0;
  for (const state of states) {
    // A container restarting (a crash loop, a restart policy) starts its window again; one that
    // was never started, or that Docker cannot describe, leaves the window where it was.
    const started = state ? Date.parse(state.startedAt) : Number.NaN;
    if (Number.isFinite(started) && started > latest) latest = started;
  }
  // Nothing known (no container, no apply): the round's start, as before.
  if (latest === 0) return now;
  return Math.min(latest, now);
}
