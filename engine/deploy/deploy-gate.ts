/**
 * How many lab deploys run at once in one engine process (`serve`, `verify`, the bench); the
 * rest wait their turn, first come first served.
 *
 * Why: deploying is the CPU-hungry part of a lab's life — containers created, a database
 * initialised, health checks run back to back until the first verdict. Fifty labs started
 * together on two cores all deployed at once and nearly all lost: every deploy's waits and every
 * symptom window ran out on a saturated CPU. Queued, each deploy gets the machine it was measured
 * on, and a lab that waits says so (its services report `waiting`, with the number ahead).
 *
 * BREAKFIX_DEPLOYS_AT_ONCE sets the limit; the default is two per core.
 */
import os from 'node:os';
import pLimit, { type LimitFunction } from 'p-limit';
import { environmentError } from '../errors.js';

export const DEPLOYS_AT_ONCE_ENV = 'BREAKFIX_DEPLOYS_AT_ONCE';

/** The limit from the environment: a positive whole number, else two per core. */
export function deploysAtOnce(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[DEPLOYS_AT_ONCE_ENV];
  if (raw !== undefined && raw.trim() !== '') {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1)
      throw environmentError(
        `${DEPLOYS_AT_ONCE_ENV} must be a whole number of at least 1, got ${JSON.stringify(raw)}`,
        `unset it (two per core) or set it to, say, ${2 * os.availableParallelism()}`,
      );
    return value;
  }
  return 2 * os.availableParallelism();
}

/** What an interrupted deploy throws, queued or not (deployLab's own words). */
const interrupted = (): Error => new Error('deploy interrupted');

export interface GateOptions {
  /** Told once, when the deploy has to wait: how many deploys run or wait before it. */
  onQueued?: (ahead: number) => void;
  /** Aborting while queued gives the place up at once. */
  signal?: AbortSignal;
}

export class DeployGate {
  private readonly limit: LimitFunction;

  constructor(limit: number) {
    this.limit = pLimit(limit);
  }

  get limitOfRunning(): number {
    return this.limit.concurrency;
  }

  get running(): number {
    return this.limit.activeCount;
  }

  get waiting(): number {
    return this.limit.pendingCount;
  }

  async run<T>(work: () => Promise<T>, options: GateOptions = {}): Promise<T> {
    const { signal } = options;
    if (signal?.aborted) throw interrupted();
    if (this.limit.activeCount >= this.limit.concurrency)
      options.onQueued?.(this.limit.activeCount + this.limit.pendingCount);
    let started = false;
    // A queued deploy whose caller gave up still reaches the front; it then returns at once.
    const queued = this.limit(() => {
      started = true;
      return signal?.aborted ? Promise.reject(interrupted()) : work();
    });
    if (!signal) return queued;
    let onAbort = (): void => undefined;
    // Only a deploy still waiting gives up at once: one that started answers its signal itself
    // and returns only when nothing of it is left running (deployLab's promise).
    const aborted = new Promise<never>((_resolve, reject) => {
      onAbort = () => {
        if (!started) reject(interrupted());
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
    // Never an unhandled rejection from the branch that lost the race.
    queued.catch(() => undefined);
    aborted.catch(() => undefined);
    try {
      return await Promise.race([queued, aborted]);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }
}

let shared: DeployGate | undefined;

/** Lab deploys of this process now: running, waiting their turn, and the limit (for `serve`'s /metrics). */
export function deployQueue(): { running: number; waiting: number; limit: number } {
  const gate = deployGate();
  return { running: gate.running, waiting: gate.waiting, limit: gate.limitOfRunning };
}

/** The process's gate, sized on first use. */
export function deployGate(): DeployGate {
  shared ??= new DeployGate(deploysAtOnce());
  return shared;
}
