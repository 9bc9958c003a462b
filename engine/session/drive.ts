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

/** One line of events.jsonl per learner operation: what it came to. */
export function outcomeRecord(event: LearnerEvent | 'START', state: string, context: SessionContext): object {
  const report = context.lastReport;
  return {
    type: 'outcome',
    event,
    state,
    release: context.release,
    ...(context.lastFailure ? { failure: context.lastFailure.message.split('\n', 1)[0] } : {}),
    ...(event === 'CHECK' && report && !context.lastFailure
      ? {
          report: {
            passed: report.passed,
            score: report.score,
            maxScore: report.maxScore,
            passing: report.checks.filter((check) => check.passed).length,
            checks: report.checks.length,
            ...(report.finalScore !== undefined ? { finalScore: report.finalScore } : {}),
          },
        }
      : {}),
    ...(event === 'HINT' ? { hintsRevealed: context.hintsRevealed } : {}),
  };
}

export async function drive(options: DriveOptions): Promise<{ file: SessionFile; snapshot: Snapshot }> {
  const now = options.now ?? Date.now;
  const { file } = options;
  let writes = Promise.resolve();
  const record = (event: object) => {
    writes = writes
      .then(() =>
        // The session id tells this lab's lines from an earlier lab's in the same workspace.
        appendEventLine(file.workspace, { at: new Date(now()).toISOString(), session: file.sessionId, ...event }),
      )
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
            next === undefined || state === 'passed'
              ? '`breakfix status` shows the hints you have'
              : 'keep investigating; `breakfix status` shows the hints you have',
            'no-hint-yet',
          );
        }
        const reason =
          state === 'stopped'
            ? 'the lab is stopped'
            : state === 'error'
              ? `the session is in error (${before.context.error?.message ?? 'unknown'})`
              : `the session is ${state}`;
        // Every refusal names the next step.
        const nextStep =
          state === 'stopped'
            ? `run \`breakfix start ${before.context.scenarioId}\` here to bring the lab back with your files`
            : state === 'error'
              ? 'run `breakfix reset` to start the lab over, or `breakfix stop`'
              : 'wait for it to finish; `breakfix status` shows what it is doing';
        throw new BreakfixError(
          'usage',
          `cannot ${EVENT_VERBS[options.event]}: ${reason}`,
          nextStep,
          state === 'stopped' ? 'session-stopped' : 'session-not-ready',
        );
      }
      actor.send({ type: options.event });
    }
    const snapshot = await waitFor(actor, (s) => isResting(s, now()), { timeout: Infinity });
    const state = topState(snapshot);
    // What the operation came to, for the learner's timeline (engine/session/timeline.ts).
    if (options.event || file.snapshot === undefined)
      record(outcomeRecord(options.event ?? 'START', state, snapshot.context));
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
