import pLimit from 'p-limit';

/**
 * `work` over `items` with at most `limit` in flight (p-limit's queue), the results in the items'
 * order whatever order they finish in. `shouldStop` is asked as each item's turn comes, so an
 * interrupt lets running work finish (and clean up) but starts nothing new; items never started
 * are `undefined` in the result.
 *
 * Items `alone` says yes to run first, one at a time, with nothing beside them (a measurement
 * another item's CPU use would change); the others then share the `limit` lanes.
 */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  shouldStop: () => boolean,
  work: (item: T, index: number) => Promise<R>,
  alone: (item: T) => boolean = () => false,
): Promise<Array<R | undefined>> {
  const results: Array<R | undefined> = new Array<R | undefined>(items.length).fill(undefined);
  const turn = async (item: T, index: number) => {
    results[index] = shouldStop() ? undefined : await work(item, index);
  };
  for (const [index, item] of items.entries()) if (alone(item)) await turn(item, index);
  const lanes = pLimit(Math.max(1, limit));
  await Promise.all(items.map((item, index) => (alone(item) ? undefined : lanes(() => turn(item, index)))));
  return results;
}
