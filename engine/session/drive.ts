/**
 * Drives one session operation from start to rest: restore the machine from the workspace,
 * re-arm its timers, send the learner's event, wait until the machine rests again, persist.
 * The actor lives only for the operation, so a session never depends on a process staying up;
 * long-running front ends (TUI, watch, serve) call `tick` when a deadline comes due.
 */
import { createActor, waitFor, type SnapshotFrom } from 'xstate';
import { BreakfixError } from '../errors.js';
import type { SessionContext, SessionInput } from './context.js';
import { createSessionMachine, type SessionEvent } from './machine.js';
import { isRestingState } from './resting.js';
import { createSteps, type StepEnvironment, type StepNotice } from './steps.js';
import { appendEventLine, writeSessionFile, type SessionFile } from './store.js';

export type SessionNotice = StepNotice | { type: 'state'; state: string; context: SessionContext };

export type LearnerEvent = Exclude<SessionEvent['type'], 'RESUME'>;

type Snapshot = SnapshotFrom<ReturnType<typeof createSessionMachine>>;

export function topState(snapshot: Pick<Snapshot, 'value'>): string {
  return typeof snapshot.value === 'string' ? snapshot.value : (Object.keys(snapshot.value)[0] ?? 'unknown');
}

function isResting(snapshot: Snapshot, now: number): boolean {
  if (snapshot.status === 'done') return true;
  const state = topState(snapshot);
  if (!isRestingState(state)) return false;
  // An overdue deadline is about to fire (zero-delay timer): not at rest yet.
  return !(
    state === 'active' && snapshot.context.deadlines.some((deadline) => !deadline.done && deadline.dueAt <= now)
  );
}

export interface DriveOptions {
  file: SessionFile;
  input: SessionInput;
  env: Omit<StepEnvironment, 'notify'>;
  event?: LearnerEvent;
  onNotice?: (notice: SessionNotice) => void;
  /** Aborting sends STOP: a Ctrl-C during a build tears down what was created. */
  signal?: AbortSignal;
  now?: () => number;
}

/** "the next hint unlocks after 2 more failed check rounds or in 4m" */
function describeUnlock(rule: { attempts?: number; elapsedMs?: number }, context: SessionContext): string {
  const parts: string[] = [];
  if (rule.attempts !== undefined) {
    const more = Math.max(1, rule.attempts - context.attempts);
    parts.push(`after ${more} more failed check round${more === 1 ? '' : 's'}`);
  }
  if (rule.elapsedMs !== undefined) {
    const left = Math.max(0, (context.activeSince ?? Date.now()) + rule.elapsedMs - Date.now());
    parts.push(`in ${Math.ceil(left / 60_000)}m`);
  }
  return parts.length > 0 ? `the next one unlocks ${parts.join(' or ')}` : 'the next one unlocks soon';
}

const EVENT_VERBS: Record<LearnerEvent, string> = {
  CHECK: 'check',
  APPLY: 'apply',
  ROLLBACK: 'roll back',
  RESET: 'reset',
  HINT: 'reveal a hint',
  STOP: 'stop',
};

export async function drive(options: DriveOptions): Promise<{ file: SessionFile; snapshot: Snapshot }> {
  const now = options.now ?? Date.now;
  const { file } = options;
  let writes = Promise.resolve();
  const record = (event: object) => {
    writes = writes
      .then(() => appendEventLine(file.workspace, { at: new Date(now()).toISOString(), ...event }))
      .catch(() => undefined);
  };
  const notify = (notice: StepNotice) => {
    options.onNotice?.(notice);
    record(notice);
  };

  const machine = createSessionMachine({ now }).provide({ actors: createSteps({ ...options.env, notify }) });
  const actor =
    file.snapshot === undefined
      ? createActor(machine, { input: options.input })
      : createActor(machine, { input: options.input, snapshot: file.snapshot as Snapshot });

  let current = file.snapshot === undefined ? '' : (file.state ?? '');
  actor.subscribe({
    next: (snapshot) => {
      const state = topState(snapshot);
      if (state === current) return;
      current = state;
      record({ type: 'state', state });
      if (!isRestingState(state)) {
        // Resting states are announced by the session API once persisted and unlocked.
        options.onNotice?.({ type: 'state', state, context: snapshot.context });
        // Other terminals read this to show "deploying…" while we work.
        const progress = { state, pid: process.pid, since: new Date(now()).toISOString() };
        writes = writes.then(() => writeSessionFile(file.workspace, { ...file, progress })).catch(() => undefined);
      }
    },
    error: () => undefined,
  });

  const stop = () => actor.send({ type: 'STOP' });
  options.signal?.addEventListener('abort', stop, { once: true });
  try {
    actor.start();
    // Interrupted before we began (Ctrl-C while connecting): go straight to the teardown.
    if (options.signal?.aborted) stop();
    if (file.snapshot !== undefined) {
      actor.send({ type: 'RESUME' });
      await waitFor(actor, (snapshot) => isResting(snapshot, now()), { timeout: Infinity });
    }
    if (options.event) {
      const before = actor.getSnapshot();
      if (!before.can({ type: options.event })) {
        const state = topState(before);
        if (options.event === 'HINT' && (state === 'active' || state === 'passed')) {
          const next = before.context.hintRules[before.context.hintsUnlocked];
          const total = before.context.hintRules.length;
          const when = next === undefined ? 'every hint is already revealed' : describeUnlock(next, before.context);
          throw new BreakfixError(
            'usage',
            `no new hint yet: ${before.context.hintsRevealed} of ${total} revealed; ${when}`,
            undefined,
            'no-hint-yet',
          );
        }
        const reason =
          state === 'stopped'
            ? 'the lab is stopped'
            : state === 'error'
              ? `the session is in error (${before.context.error?.message ?? 'unknown'})`
              : `the session is ${state}`;
        throw new BreakfixError(
          'usage',
          `cannot ${EVENT_VERBS[options.event]}: ${reason}`,
          state === 'error' ? 'run `breakfix reset` to start the lab over, or `breakfix stop`' : undefined,
          state === 'stopped' ? 'session-stopped' : 'session-not-ready',
        );
      }
      actor.send({ type: options.event });
    }
    const snapshot = await waitFor(actor, (s) => isResting(s, now()), { timeout: Infinity });
    const state = topState(snapshot);
    const next: SessionFile = { ...file, revision: file.revision + 1, snapshot: actor.getPersistedSnapshot(), state };
    delete next.progress;
    await writes;
    await writeSessionFile(file.workspace, next);
    return { file: next, snapshot };
  } finally {
    options.signal?.removeEventListener('abort', stop);
    actor.stop();
    await writes;
  }
}
