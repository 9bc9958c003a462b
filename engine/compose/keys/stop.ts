/**
 * How a service stops and who is PID 1: `stop_signal`, `stop_grace_period` and `init`. A
 * redeploy, rollback, reset or teardown stops a container the way `docker compose` does — the
 * stop signal, then up to the grace period, then SIGKILL (engine/deploy/stop.ts) — so a lab
 * can teach graceful shutdown (a database that must not need crash recovery, an app that must
 * drain its requests).
 */
import { constants } from 'node:os';
import { parseComposeDuration } from '../duration.js';
import type { ServicePlan } from '../plan.js';
import type { ServiceKey } from './service-key.js';

const SIGNAL_NAMES = new Set(Object.keys(constants.signals));

/**
 * A signal as Docker accepts it: a name with or without `SIG` (`SIGTERM`, `QUIT`), a real-time
 * signal (`SIGRTMIN+3`) or a number. Returns Docker's spelling, or undefined when it is none.
 */
export function normaliseSignal(raw: string): string | undefined {
  const text = raw.trim().toUpperCase();
  if (/^\d+$/.test(text)) return Number(text) >= 1 && Number(text) <= 64 ? text : undefined;
  const name = text.startsWith('SIG') ? text : `SIG${text}`;
  if (/^SIGRT(MIN|MAX)([+-]\d+)?$/.test(name)) return name;
  return SIGNAL_NAMES.has(name) ? name : undefined;
}

export const stopKey: ServiceKey = {
  keys: ['stop_signal', 'stop_grace_period', 'init'],
  build({ raw, at, ctx }) {
    const plan: Partial<ServicePlan> = {};
    if (raw.stop_signal !== undefined) {
      const signal = typeof raw.stop_signal === 'string' ? normaliseSignal(raw.stop_signal) : undefined;
      if (signal === undefined)
        ctx.out.error(
          [...at, 'stop_signal'],
          `expected a signal name like "SIGTERM", "SIGINT" or "SIGQUIT", got ${JSON.stringify(raw.stop_signal)}`,
        );
      else plan.stopSignal = signal;
    }
    if (raw.stop_grace_period !== undefined) {
      const ms = typeof raw.stop_grace_period === 'string' ? parseComposeDuration(raw.stop_grace_period) : undefined;
      if (ms === undefined)
        ctx.out.error(
          [...at, 'stop_grace_period'],
          `expected a duration like "10s", "1m30s" or "500ms", got ${JSON.stringify(raw.stop_grace_period)}`,
        );
      else plan.stopGracePeriodMs = ms;
    }
    if (raw.init !== undefined) {
      // The spec allows a string too (an interpolated "${INIT:-true}").
      const value =
        raw.init === true || raw.init === 'true'
          ? true
          : raw.init === false || raw.init === 'false'
            ? false
            : undefined;
      if (value === undefined)
        ctx.out.error([...at, 'init'], `expected true or false, got ${JSON.stringify(raw.init)}`);
      else plan.init = value;
    }
    return plan;
  },
};
