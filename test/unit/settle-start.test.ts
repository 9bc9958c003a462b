/** A live check round's windows open when the lab last changed: the last apply or a container's start. */
import { describe, expect, it } from 'vitest';
import type { ContainerState, Runtime } from '../../engine/runtime/runtime.js';
import { labSettleStart } from '../../engine/session/settle-start.js';

function runtimeWith(started: Record<string, string>): Runtime {
  const inspectContainer = async (name: string) => {
    if (name === 'broken') throw new Error('Docker says no');
    const startedAt = started[name];
    return startedAt === undefined ? undefined : ({ startedAt } as ContainerState);
  };
  return { inspectContainer } as unknown as Runtime;
}

const at = (iso: string) => Date.parse(iso);
const NOW = at('2026-12-03T12:00:00Z');

describe('labSettleStart', () => {
  it('takes the newest container start when it is later than the last apply', async () => {
    const runtime = runtimeWith({ db: '2026-12-03T11:50:00Z', api: '2026-12-03T11:58:30Z' });
    expect(await labSettleStart(runtime, ['db', 'api'], at('2026-12-03T11:55:00Z'), NOW)).toBe(
      at('2026-12-03T11:58:30Z'),
    );
  });

  it('takes the last apply when no container started after it', async () => {
    const runtime = runtimeWith({ db: '2026-12-03T11:50:00Z' });
    expect(await labSettleStart(runtime, ['db'], at('2026-12-03T11:55:00Z'), NOW)).toBe(at('2026-12-03T11:55:00Z'));
  });

  it("ignores a container never started (Docker's zero time), one gone and one Docker cannot describe", async () => {
    const runtime = runtimeWith({ job: '0001-01-01T00:00:00Z', api: '2026-12-03T11:40:00Z' });
    expect(await labSettleStart(runtime, ['job', 'gone', 'broken', 'api'], undefined, NOW)).toBe(
      at('2026-12-03T11:40:00Z'),
    );
  });

  it('falls back to now when nothing is known, and never opens a window in the future', async () => {
    expect(await labSettleStart(runtimeWith({}), ['gone'], undefined, NOW)).toBe(NOW);
    const ahead = runtimeWith({ api: '2026-12-03T12:00:05Z' });
    expect(await labSettleStart(ahead, ['api'], undefined, NOW)).toBe(NOW);
  });
});
