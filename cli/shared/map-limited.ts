import pLimit from 'p-limit';

/**
 * `work` over `items` with at most `limit` in flight (p-limit's queue), the results in the items'
 * order whatever order they finish in. `shouldStop` is asked as each item's turn comes, so an
 * interrupt lets running work finish (and clean up) but starts nothing new; items never started
 * are `undefined` in the result.
 */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  shouldStop: () => boolean,
  work: (item: T, index: number) => Promise<R>,
): Promise<Array<R | undefined>> {
  const lanes = pLimit(Math.max(1, limit));
  return Promise.all(items.map((item, index) => lanes(() => (shouldStop() ? undefined : work(item, index)))));
}
