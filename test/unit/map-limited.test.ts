import { describe, expect, it } from 'vitest';
import { mapLimited } from '../../cli/shared/map-limited.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('mapLimited', () => {
  it('keeps the items’ order when later items finish first', async () => {
    const results = await mapLimited(
      [30, 5, 20, 1],
      2,
      () => false,
      async (ms) => {
        await sleep(ms);
        return ms * 10;
      },
    );
    expect(results).toEqual([300, 50, 200, 10]);
  });

  it('never runs more than the limit at once, and uses all of it', async () => {
    let running = 0;
    let peak = 0;
    await mapLimited(
      Array.from({ length: 9 }, (_, index) => index),
      3,
      () => false,
      async () => {
        running += 1;
        peak = Math.max(peak, running);
        await sleep(5);
        running -= 1;
      },
    );
    expect(peak).toBe(3);
  });

  it('starts nothing new once told to stop, lets running work finish, and leaves the rest undefined', async () => {
    let stop = false;
    const started: number[] = [];
    const results = await mapLimited(
      [0, 1, 2, 3, 4],
      2,
      () => stop,
      async (item) => {
        started.push(item);
        if (item === 1) stop = true;
        await sleep(5);
        return item;
      },
    );
    expect(started).toEqual([0, 1]);
    expect(results).toEqual([0, 1, undefined, undefined, undefined]);
  });

  it('rejects with the first failure', async () => {
    await expect(
      mapLimited(
        [1, 2],
        2,
        () => false,
        async (item) => {
          if (item === 2) throw new Error('boom');
          return item;
        },
      ),
    ).rejects.toThrow('boom');
  });

  it('runs the items `alone` says yes to first, each with nothing beside it, then the rest in lanes', async () => {
    let running = 0;
    const seen: Array<{ item: string; beside: number }> = [];
    const results = await mapLimited(
      ['a', 'LOAD1', 'b', 'c', 'LOAD2', 'd'],
      3,
      () => false,
      async (item) => {
        running += 1;
        await sleep(item.startsWith('LOAD') ? 10 : 5);
        seen.push({ item, beside: running - 1 });
        running -= 1;
        return item.toLowerCase();
      },
      { alone: (item) => item.startsWith('LOAD') },
    );
    expect(results).toEqual(['a', 'load1', 'b', 'c', 'load2', 'd']);
    expect(seen.slice(0, 2)).toEqual([
      { item: 'LOAD1', beside: 0 },
      { item: 'LOAD2', beside: 0 },
    ]);
    // The rest still share all three lanes.
    expect(Math.max(...seen.slice(2).map((entry) => entry.beside))).toBe(2);
  });

  it('never runs two `oneAtATime` items together, fills the other lanes with free items, and starts them first', async () => {
    const running = new Set<string>();
    const overlaps: string[] = [];
    const order: string[] = [];
    await mapLimited(
      ['a', 'H1', 'b', 'H2', 'c', 'd', 'H3'],
      2,
      () => false,
      async (item) => {
        order.push(item);
        if (item.startsWith('H') && [...running].some((other) => other.startsWith('H'))) overlaps.push(item);
        running.add(item);
        await sleep(item.startsWith('H') ? 12 : 5);
        running.delete(item);
      },
      { oneAtATime: (item) => item.startsWith('H') },
    );
    expect(overlaps).toEqual([]);
    // H1 takes the first lane; H2 must wait, so the free items pass it in the second.
    expect(order.slice(0, 2)).toEqual(['H1', 'a']);
    expect(order.indexOf('H2')).toBeGreaterThan(order.indexOf('a'));
    expect(order.filter((item) => item.startsWith('H'))).toEqual(['H1', 'H2', 'H3']);
  });

  it('waits for running work to settle before rejecting, and starts nothing after a failure', async () => {
    const finished: string[] = [];
    await expect(
      mapLimited(
        ['slow', 'bad', 'never'],
        2,
        () => false,
        async (item) => {
          if (item === 'bad') throw new Error('boom');
          await sleep(10);
          finished.push(item);
        },
      ),
    ).rejects.toThrow('boom');
    expect(finished).toEqual(['slow']);
  });

  it('handles no items', async () => {
    expect(
      await mapLimited(
        [],
        4,
        () => false,
        async () => 1,
      ),
    ).toEqual([]);
  });
});
