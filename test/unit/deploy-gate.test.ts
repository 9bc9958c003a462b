/**
 * The deploy gate: at most N deploys at once, the rest in arrival order; a queued deploy says how
 * many are ahead and gives its place up when interrupted; a running one finishes on its own terms.
 */
import { describe, expect, it } from 'vitest';
import { DeployGate, deploysAtOnce } from '../../engine/deploy/deploy-gate.js';

/** A deploy the test finishes by hand. */
function pending() {
  let finish: (value: string) => void = () => undefined;
  const promise = new Promise<string>((resolve) => (finish = resolve));
  return { promise, finish };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('DeployGate', () => {
  it('runs at most N at once and starts the waiting ones in arrival order', async () => {
    const gate = new DeployGate(2);
    const deploys = [pending(), pending(), pending(), pending()];
    const started: number[] = [];
    const ahead: number[] = [];
    const results = deploys.map((deploy, index) =>
      gate.run(
        () => {
          started.push(index);
          return deploy.promise;
        },
        { onQueued: (count) => ahead.push(count) },
      ),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    expect(ahead).toEqual([2, 3]);
    expect([gate.running, gate.waiting]).toEqual([2, 2]);
    deploys[1]?.finish('b');
    await tick();
    expect(started).toEqual([0, 1, 2]);
    deploys[0]?.finish('a');
    deploys[2]?.finish('c');
    await tick();
    expect(started).toEqual([0, 1, 2, 3]);
    deploys[3]?.finish('d');
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd']);
    expect([gate.running, gate.waiting]).toEqual([0, 0]);
  });

  it('gives a queued deploy up at once when interrupted, and never runs it', async () => {
    const gate = new DeployGate(1);
    const first = pending();
    const running = gate.run(() => first.promise);
    const controller = new AbortController();
    let ran = false;
    const queued = gate.run(
      async () => {
        ran = true;
        return 'never';
      },
      { signal: controller.signal },
    );
    controller.abort();
    await expect(queued).rejects.toThrow('deploy interrupted');
    first.finish('done');
    expect(await running).toBe('done');
    await tick();
    expect(ran).toBe(false);
    expect([gate.running, gate.waiting]).toEqual([0, 0]);
  });

  it('lets a running deploy finish on its own terms when interrupted', async () => {
    const gate = new DeployGate(1);
    const controller = new AbortController();
    const deploy = pending();
    const result = gate.run(() => deploy.promise, { signal: controller.signal });
    await tick();
    controller.abort();
    let settled = false;
    void result.then(() => (settled = true));
    await tick();
    expect(settled).toBe(false);
    deploy.finish('cleaned up');
    expect(await result).toBe('cleaned up');
  });
});

describe('deploysAtOnce', () => {
  it('reads BREAKFIX_DEPLOYS_AT_ONCE, else two per core', () => {
    expect(deploysAtOnce({ BREAKFIX_DEPLOYS_AT_ONCE: '3' })).toBe(3);
    expect(deploysAtOnce({})).toBeGreaterThanOrEqual(2);
  });
  it('refuses a value that is not a whole number of at least 1, naming it', () => {
    expect(() => deploysAtOnce({ BREAKFIX_DEPLOYS_AT_ONCE: '0' })).toThrow(/BREAKFIX_DEPLOYS_AT_ONCE.*"0"/);
    expect(() => deploysAtOnce({ BREAKFIX_DEPLOYS_AT_ONCE: 'many' })).toThrow(/at least 1/);
  });
});
