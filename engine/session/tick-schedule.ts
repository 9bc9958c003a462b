/**
 * The one tick loop: fire a session's hint and escalation deadlines when they come due. The
 * engine only fires a deadline while a process drives the session, so the TUI, `watch` and the
 * server each run one of these on their LabSession; the retry rules live here, not in each.
 */
import { failureCodeOf } from '../errors.js';
import type { SessionResult } from './session.js';

export interface TickScheduleOptions {
  /** How to tick (a front end may wrap it to show progress); defaults to the session's `tick`. */
  tick?: () => Promise<SessionResult>;
  /** True while this front end runs another operation on the session: the tick waits. */
  busy?: () => boolean;
  /** Wait this long before trying again when the session is busy or a tick failed. */
  retryMs?: number;
  /** A tick that failed for another reason than "busy" (Docker went away). */
  onError?: (error: unknown) => void;
  now?: () => number;
}

export interface TickSchedule {
  /** Read the next deadline again (the handle calls this after every operation). */
  rearm(): void;
  stop(): void;
}

/** Fire a little after the deadline, so the restored machine sees it as due. */
const SLACK_MS = 250;
/** setTimeout's limit; a deadline further out is re-read when this timer fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function createTickSchedule(
  session: { tick(): Promise<SessionResult>; nextDeadlineAt(): number | undefined },
  options: TickScheduleOptions = {},
): TickSchedule {
  const now = options.now ?? Date.now;
  const retryMs = options.retryMs ?? 5_000;
  const tick = options.tick ?? (() => session.tick());
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running = false;

  const arm = (delay: number) => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (stopped) return;
    timer = setTimeout(fire, Math.min(MAX_TIMER_MS, Math.max(0, delay)));
    timer.unref?.();
  };
  const rearm = () => {
    if (stopped || running) return;
    const due = session.nextDeadlineAt();
    if (due === undefined) {
      if (timer) clearTimeout(timer);
      timer = undefined;
      return;
    }
    arm(due - now() + SLACK_MS);
  };
  const fire = () => {
    timer = undefined;
    if (stopped) return;
    const due = session.nextDeadlineAt();
    if (due === undefined) return;
    if (due > now()) return rearm();
    if (options.busy?.()) return arm(retryMs);
    running = true;
    tick().then(
      () => {
        running = false;
        rearm();
      },
      (error: unknown) => {
        running = false;
        if (failureCodeOf(error) !== 'session-busy') options.onError?.(error);
        arm(retryMs);
      },
    );
  };
  rearm();
  return {
    rearm,
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
