/** The one tick loop every front end runs on its LabSession (engine/session/tick-schedule.ts). */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BreakfixError } from '../../engine/errors.js';
import { sessionResult, type SessionResult } from '../../engine/index.js';
import { createTickSchedule } from '../../engine/session/tick-schedule.js';
import { makeContext } from '../support/fake-lab-session.js';

beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }));
afterEach(() => vi.useRealTimers());

function lab(dueIn: number | undefined) {
  let due = dueIn === undefined ? undefined : Date.now() + dueIn;
  const ticks: number[] = [];
  let failWith: unknown;
  return {
    ticks,
    setDue: (value: number | undefined) => (due = value),
    fail: (error: unknown) => (failWith = error),
    nextDeadlineAt: () => due,
    tick: async (): Promise<SessionResult> => {
      ticks.push(Date.now());
      if (failWith) throw failWith;
      due = undefined;
      return sessionResult({ sessionId: 'abc123', workspace: '/tmp/ws' }, 'active', makeContext());
    },
  };
}

describe('tick schedule', () => {
  it('ticks once a deadline is due, not before, and stops re-arming when none is left', async () => {
    const session = lab(60_000);
    const schedule = createTickSchedule(session);
    await vi.advanceTimersByTimeAsync(59_000);
    expect(session.ticks).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(session.ticks).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(600_000);
    expect(session.ticks).toHaveLength(1);
    schedule.stop();
  });

  it('waits while the front end is busy, and retries a lab another process holds', async () => {
    const session = lab(1_000);
    let busy = true;
    const errors: unknown[] = [];
    const schedule = createTickSchedule(session, { busy: () => busy, retryMs: 5_000, onError: (e) => errors.push(e) });
    await vi.advanceTimersByTimeAsync(4_000);
    expect(session.ticks).toHaveLength(0);
    busy = false;
    session.fail(new BreakfixError('usage', 'the session is busy: applying', undefined, 'session-busy'));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(session.ticks).toHaveLength(1);
    expect(errors).toEqual([]); // busy is not an error worth reporting
    session.fail(undefined);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(session.ticks).toHaveLength(2);
    schedule.stop();
  });

  it('reports other failures, keeps trying, and stop() ends it', async () => {
    const session = lab(0);
    const errors: unknown[] = [];
    session.fail(new Error('Docker went away'));
    const schedule = createTickSchedule(session, { retryMs: 1_000, onError: (e) => errors.push(e) });
    await vi.advanceTimersByTimeAsync(2_500);
    expect(session.ticks.length).toBeGreaterThanOrEqual(2);
    expect(errors[0]).toBeInstanceOf(Error);
    schedule.stop();
    const count = session.ticks.length;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(session.ticks).toHaveLength(count);
  });

  it('rearm() picks up a deadline learned later (another terminal moved it)', async () => {
    const session = lab(undefined);
    const schedule = createTickSchedule(session);
    await vi.advanceTimersByTimeAsync(10_000);
    session.setDue(Date.now() + 1_000);
    schedule.rearm();
    await vi.advanceTimersByTimeAsync(1_500);
    expect(session.ticks).toHaveLength(1);
    schedule.stop();
  });
});
