/**
 * The order a list of check entries runs in. Checks run at once, to keep a round short —
 * except those that drive traffic or disturb the lab (a load burst, a stop): they run alone, at
 * their place in the list, so they do not skew each other's counts or fail the checks around
 * them, and the checks listed after one observe the lab as it left it ("healthy after the
 * burst"). Results keep the list's order.
 *
 * Each run is told when its retry window opened (`opensAt`, epoch ms): when the round started,
 * or when the last exclusive check before it ended — only a check that disturbed the lab gives
 * the lab a fresh window to settle in. An exclusive check that had to wait for the checks before
 * it does not start its window again: the lab has had that time to settle already, and a round
 * on a lab that never settles (a crash loop) would otherwise pay the windows one after another.
 */
import type { CheckDefinition } from './check.js';
import { findCheck } from './registry.js';

export function isExclusive(definition: CheckDefinition | undefined, params: unknown): boolean {
  if (!definition?.exclusive) return false;
  return typeof definition.exclusive === 'function' ? definition.exclusive(params as never) : definition.exclusive;
}

export async function runInOrder<Entry extends { type: string; params: unknown }, Result>(
  entries: readonly Entry[],
  run: (entry: Entry, opensAt: number) => Promise<Result>,
  now: () => number = Date.now,
  /** When the first windows open (default: now) — a live lab's last change (session/settle-start.ts). */
  firstOpensAt?: number,
): Promise<Result[]> {
  const results: Result[] = new Array<Result>(entries.length);
  let opensAt = firstOpensAt ?? now();
  let batch: number[] = [];
  const flush = async (): Promise<void> => {
    const indexes = batch;
    batch = [];
    await Promise.all(
      indexes.map(async (index) => {
        results[index] = await run(entries[index] as Entry, opensAt);
      }),
    );
  };
  for (const [index, entry] of entries.entries()) {
    const definition = findCheck(entry.type);
    // Params that do not parse never reach a check's run (it fails with the parse error), so
    // they cannot disturb the lab: such an entry runs with the others.
    const parsed = definition?.params.safeParse(entry.params);
    if (parsed?.success && isExclusive(definition, parsed.data)) {
      await flush();
      results[index] = await run(entry, opensAt);
      opensAt = now();
    } else batch.push(index);
  }
  await flush();
  return results;
}
