/** Checks run at once, except exclusive ones (load, stop, traffic-driving), which run alone in place. */
import { describe, expect, it } from 'vitest';
import { runInOrder } from '../../engine/checks/run-order.js';

const http = (id: string) => ({ id, type: 'http', params: { service: 'api' } });
const load = (id: string) => ({ id, type: 'load', params: { service: 'api', requests: 10 } });
const scrape = (id: string) => ({ id, type: 'metrics', params: { service: 'api', sample: 'x', expect: {} } });
const scrapeAround = (id: string) => ({
  id,
  type: 'metrics',
  params: { service: 'api', sample: 'x', traffic: { requests: 5 }, expect: { increase: { min: 1 } } },
});

describe('runInOrder', () => {
  it('runs plain checks together, and an exclusive one alone, at its place', async () => {
    const log: string[] = [];
    let running = 0;
    let maxTogether = 0;
    const results = await runInOrder(
      [http('a'), http('b'), load('burst'), http('after1'), scrape('after2'), scrapeAround('traffic'), http('last')],
      async (entry) => {
        running += 1;
        maxTogether = Math.max(maxTogether, running);
        log.push(`start ${entry.id} with ${running - 1} others`);
        await new Promise((resolve) => setTimeout(resolve, 20));
        running -= 1;
        return entry.id;
      },
    );
    expect(results).toEqual(['a', 'b', 'burst', 'after1', 'after2', 'traffic', 'last']);
    expect(log).toEqual([
      'start a with 0 others',
      'start b with 1 others',
      'start burst with 0 others',
      'start after1 with 0 others',
      'start after2 with 1 others',
      'start traffic with 0 others',
      'start last with 0 others',
    ]);
    expect(maxTogether).toBe(2);
  });

  it("opens a check's retry window when the round starts, or when the last exclusive check before it ended", async () => {
    let clock = 1000;
    const opened: Record<string, number> = {};
    await runInOrder(
      [http('a'), http('b'), scrapeAround('traffic'), http('after'), load('burst'), http('last')],
      async (entry, opensAt) => {
        opened[entry.id] = opensAt;
        // Every check takes 10 "seconds" of the fake clock.
        clock += 10_000;
        return entry.id;
      },
      () => clock,
    );
    // The exclusive check that waited for a and b keeps the round's window: the lab has had
    // that time already. Only after a disturbing check does a new window open.
    expect(opened).toEqual({ a: 1000, b: 1000, traffic: 1000, after: 31_000, burst: 31_000, last: 51_000 });
  });

  it('opens the first windows when the live lab last changed, if it says so', async () => {
    let clock = 100_000;
    const opened: Record<string, number> = {};
    await runInOrder(
      [http('a'), load('burst'), http('after')],
      async (entry, opensAt) => {
        opened[entry.id] = opensAt;
        clock += 10_000;
        return entry.id;
      },
      () => clock,
      40_000,
    );
    // A burst disturbs the lab: what follows it gets a new window, whatever the lab's age.
    expect(opened).toEqual({ a: 40_000, burst: 40_000, after: 120_000 });
  });
});
