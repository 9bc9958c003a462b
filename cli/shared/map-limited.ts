/**
 * A small worker pool: `work` runs over `items` with at most `limit` in flight, and the results
 * keep the items' order whatever order they finish in. `shouldStop` is asked before each new
 * item, so an interrupt lets running work finish (and clean up) but starts nothing new; items
 * never started are `undefined` in the result.
 */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  shouldStop: () => boolean,
  work: (item: T, index: number) => Promise<R>,
): Promise<Array<R | undefined>> {
  const results = new Array<R | undefined>(items.length).fill(undefined);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !shouldStop()) {
      const index = next++;
      results[index] = await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
