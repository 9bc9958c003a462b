/** How items may share the lanes: every item not named by either rule shares them freely. */
export interface LaneRules<T> {
  /** Runs first, one at a time, with nothing beside it (a measurement another item's CPU use would change). */
  alone?: (item: T) => boolean;
  /**
   * Never beside another item this names, but beside the others (a heavy lab: two of them starve
   * each other, one beside a light item fills the time the light one waits). These start as soon
   * as a lane and their turn allow, before the free items, so the long ones do not end the run.
   */
  oneAtATime?: (item: T) => boolean;
}

/**
 * `work` over `items` with at most `limit` in flight, the results in the items' order whatever
 * order they finish in. `shouldStop` is asked as each item's turn comes, so an interrupt lets
 * running work finish (and clean up) but starts nothing new; items never started are `undefined`
 * in the result. The first failure rejects the whole once running work has settled.
 *
 * Written by hand, not on p-limit: its queue is first come, first served, and `oneAtATime` needs
 * a queue that lets a later item pass one that must wait.
 */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  shouldStop: () => boolean,
  work: (item: T, index: number) => Promise<R>,
  rules: LaneRules<T> = {},
): Promise<Array<R | undefined>> {
  const results: Array<R | undefined> = new Array<R | undefined>(items.length).fill(undefined);
  const alone = rules.alone ?? (() => false);
  const single = (item: T) => !alone(item) && (rules.oneAtATime?.(item) ?? false);
  const turn = async (index: number) => {
    const item = items[index] as T;
    results[index] = shouldStop() ? undefined : await work(item, index);
  };
  for (const index of items.keys()) if (alone(items[index] as T)) await turn(index);

  const indices = [...items.keys()].filter((index) => !alone(items[index] as T));
  const pending = [
    ...indices.filter((index) => single(items[index] as T)),
    ...indices.filter((index) => !single(items[index] as T)),
  ];
  const lanes = Math.max(1, limit);
  let running = 0;
  let singleRunning = false;
  let failure: { error: unknown } | undefined;
  await new Promise<void>((resolve) => {
    const next = () => {
      while (failure === undefined && running < lanes) {
        const at = pending.findIndex((index) => !(singleRunning && single(items[index] as T)));
        if (at < 0) break;
        const [index] = pending.splice(at, 1) as [number];
        const isSingle = single(items[index] as T);
        running += 1;
        if (isSingle) singleRunning = true;
        turn(index)
          .catch((error: unknown) => {
            failure ??= { error };
          })
          .finally(() => {
            running -= 1;
            if (isSingle) singleRunning = false;
            next();
          });
      }
      if (running === 0) resolve();
    };
    next();
  });
  if (failure) throw failure.error;
  return results;
}
