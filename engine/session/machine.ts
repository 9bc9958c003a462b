/**
 * The session lifecycle as an XState v5 machine. The machine only decides *what happens next*;
 * the work itself (copying files, Docker) is done by promise actors that the session runner
 * provides, so this file is pure and its paths are tested with fake actors and a simulated clock.
 *
 *   preparing → building → deploying → injecting → confirming → active
 *   active ⇄ checking | applying | rollingBack | escalating ;  active → resetting → preparing
 *   checking → passed (all checks pass) ;  any state → tearingDown → stopped ;  failures → error
 */
import { assign, fromPromise, setup } from 'xstate';
import type { GradeReport } from '../grading/report.js';
import { nextDeadlineAt } from './deadlines.js';
import { unlockedHints, type Deadline, type SessionContext, type SessionError, type SessionInput } from './context.js';

export type SessionEvent =
  | { type: 'CHECK' }
  | { type: 'APPLY' }
  | { type: 'ROLLBACK' }
  | { type: 'RESET' }
  | { type: 'HINT' }
  | { type: 'STOP' }
  /** Sent after restoring a persisted snapshot: re-arms hint and escalation timers. */
  | { type: 'RESUME' };

export interface StepInput {
  context: SessionContext;
}

/** Output of the steps that redeploy: the release number now running. */
export interface ReleaseOutput {
  release: number;
  /** Set when the release deployed but a service did not reach its wanted state (apply exits 1). */
  failure?: SessionError;
}

export interface SymptomOutput {
  observed: boolean;
  /** Which symptom did not show, when `observed` is false. */
  detail: string;
}

const notProvided = (name: string) => async (): Promise<never> => {
  throw new Error(`session step "${name}" has no implementation: use SessionRunner`);
};

/** Which phase of the lifecycle an error belongs to, for `error.kind`. */
function classify(during: string, error: unknown): SessionError {
  const message = error instanceof Error ? error.message : String(error);
  const known = error as { kind?: SessionError['kind']; hint?: unknown } | undefined;
  const kind = known?.kind ?? (during === 'confirming' ? 'scenario' : 'environment');
  return { during, message, kind, ...(typeof known?.hint === 'string' ? { hint: known.hint } : {}) };
}

function armDeadlines(context: SessionContext, now: number): Deadline[] {
  const hints = context.hintRules.flatMap((rule, index) =>
    rule.elapsedMs === undefined ? [] : [{ kind: 'hint' as const, index, dueAt: now + rule.elapsedMs, done: false }],
  );
  const escalations = context.escalationDelaysMs.map((delay, index) => ({
    kind: 'escalation' as const,
    index,
    dueAt: now + delay,
    done: false,
  }));
  return [...hints, ...escalations];
}

export interface MachineOptions {
  /** The clock that deadlines are measured against; tests pass a simulated one. */
  now?: () => number;
}

export function createSessionMachine(options: MachineOptions = {}) {
  const now = options.now ?? Date.now;
  const pending = (context: SessionContext) => context.deadlines.filter((deadline) => !deadline.done);
  const dueEscalation = (context: SessionContext) =>
    pending(context).find((deadline) => deadline.kind === 'escalation' && deadline.dueAt <= now());

  return setup({
    types: {
      context: {} as SessionContext,
      events: {} as SessionEvent,
      input: {} as SessionInput,
    },
    actors: {
      prepare: fromPromise<void, StepInput>(notProvided('prepare')),
      build: fromPromise<void, StepInput>(notProvided('build')),
      deploy: fromPromise<ReleaseOutput, StepInput>(notProvided('deploy')),
      inject: fromPromise<void, StepInput>(notProvided('inject')),
      confirm: fromPromise<SymptomOutput, StepInput>(notProvided('confirm')),
      check: fromPromise<GradeReport, StepInput>(notProvided('check')),
      apply: fromPromise<ReleaseOutput, StepInput>(notProvided('apply')),
      rollback: fromPromise<ReleaseOutput, StepInput>(notProvided('rollback')),
      escalate: fromPromise<void, StepInput & { stage: number }>(notProvided('escalate')),
      reset: fromPromise<void, StepInput>(notProvided('reset')),
      teardown: fromPromise<void, StepInput>(notProvided('teardown')),
    },
    guards: {
      hasPendingDeadline: ({ context }) => pending(context).length > 0,
      escalationDue: ({ context }) => dueEscalation(context) !== undefined,
      allPassed: ({ event }) => (event as unknown as { output: GradeReport }).output.passed,
      symptomsObserved: ({ event }) => (event as unknown as { output: SymptomOutput }).output.observed,
      hintAvailable: ({ context }) => context.hintsRevealed < context.hintsUnlocked,
    },
    delays: {
      untilNextDeadline: ({ context }) => Math.max(0, (nextDeadlineAt(context) ?? now()) - now()),
    },
    actions: {
      /** Unlocks hints whose rules now hold; marks their timers done. */
      refreshHints: assign(({ context }) => {
        const elapsed = now() - (context.activeSince ?? now());
        const unlocked = Math.max(context.hintsUnlocked, unlockedHints(context.hintRules, context.attempts, elapsed));
        return {
          hintsUnlocked: unlocked,
          deadlines: context.deadlines.map((deadline) =>
            deadline.kind === 'hint' && deadline.dueAt <= now() ? { ...deadline, done: true } : deadline,
          ),
        };
      }),
      revealHint: assign({ hintsRevealed: ({ context }) => context.hintsRevealed + 1 }),
      /** The session ends in `error` (or, from tearingDown, in `stopped`) with the step's failure. */
      fail: assign({
        error: ({ event }, params: { during: string }) => classify(params.during, (event as { error?: unknown }).error),
      }),
      /** The step failed but the session goes on (a learner's broken Dockerfile): remembered for the front ends. */
      recordFailure: assign({
        lastFailure: ({ event }, params: { during: string }) =>
          classify(params.during, (event as { error?: unknown }).error),
      }),
    },
  }).createMachine({
    id: 'session',
    context: ({ input }) => ({
      ...input,
      createdAt: now(),
      attempts: 0,
      hintsUnlocked: 0,
      hintsRevealed: 0,
      deadlines: [],
      release: 0,
    }),
    initial: 'preparing',
    on: {
      STOP: '.tearingDown',
    },
    states: {
      preparing: {
        invoke: {
          src: 'prepare',
          input: ({ context }) => ({ context }),
          onDone: 'building',
          onError: { target: 'error', actions: { type: 'fail', params: { during: 'preparing' } } },
        },
      },
      building: {
        invoke: {
          src: 'build',
          input: ({ context }) => ({ context }),
          onDone: 'deploying',
          onError: { target: 'error', actions: { type: 'fail', params: { during: 'building' } } },
        },
      },
      deploying: {
        invoke: {
          src: 'deploy',
          input: ({ context }) => ({ context }),
          onDone: {
            target: 'injecting',
            actions: assign({ release: ({ event }) => event.output.release, lastApplyAt: () => now() }),
          },
          onError: { target: 'error', actions: { type: 'fail', params: { during: 'deploying' } } },
        },
      },
      injecting: {
        invoke: {
          src: 'inject',
          input: ({ context }) => ({ context }),
          onDone: 'confirming',
          onError: { target: 'error', actions: { type: 'fail', params: { during: 'injecting' } } },
        },
      },
      confirming: {
        invoke: {
          src: 'confirm',
          input: ({ context }) => ({ context }),
          onDone: [
            {
              guard: 'symptomsObserved',
              target: 'active',
              actions: [
                assign(({ context }) => ({ activeSince: now(), deadlines: armDeadlines(context, now()) })),
                'refreshHints',
              ],
            },
            {
              // A scenario whose fault does not bite would hand out a free pass: refuse it.
              target: 'error',
              actions: assign({
                error: ({ event }) => ({
                  during: 'confirming',
                  kind: 'scenario' as const,
                  message: `symptoms not observed: ${event.output.detail}`,
                }),
              }),
            },
          ],
          onError: { target: 'error', actions: { type: 'fail', params: { during: 'confirming' } } },
        },
      },
      active: {
        initial: 'arming',
        states: {
          arming: {
            always: [{ guard: 'hasPendingDeadline', target: 'waiting' }, { target: 'idle' }],
          },
          waiting: {
            after: {
              untilNextDeadline: [
                { guard: 'escalationDue', target: '#session.escalating' },
                { target: 'arming', actions: 'refreshHints' },
              ],
            },
          },
          idle: {},
        },
        on: {
          CHECK: 'checking',
          APPLY: 'applying',
          ROLLBACK: 'rollingBack',
          RESET: 'resetting',
          HINT: { guard: 'hintAvailable', actions: 'revealHint' },
          RESUME: { target: '.arming', actions: 'refreshHints' },
        },
      },
      checking: {
        invoke: {
          src: 'check',
          input: ({ context }) => ({ context }),
          onDone: [
            {
              guard: 'allPassed',
              target: 'passed',
              actions: assign({ lastReport: ({ event }) => event.output, lastFailure: undefined }),
            },
            {
              target: 'active',
              actions: [
                assign({
                  lastReport: ({ event }) => event.output,
                  attempts: ({ context }) => context.attempts + 1,
                  lastFailure: undefined,
                }),
                'refreshHints',
              ],
            },
          ],
          onError: { target: 'active', actions: { type: 'recordFailure', params: { during: 'checking' } } },
        },
      },
      applying: {
        invoke: {
          src: 'apply',
          input: ({ context }) => ({ context }),
          // A learner's broken Dockerfile must not end the session: report and stay active.
          onDone: {
            target: 'active',
            actions: assign({
              release: ({ event }) => event.output.release,
              lastApplyAt: () => now(),
              lastFailure: ({ event }) => event.output.failure,
            }),
          },
          onError: { target: 'active', actions: { type: 'recordFailure', params: { during: 'applying' } } },
        },
      },
      rollingBack: {
        invoke: {
          src: 'rollback',
          input: ({ context }) => ({ context }),
          onDone: {
            target: 'active',
            actions: assign({
              release: ({ event }) => event.output.release,
              lastApplyAt: () => now(),
              lastFailure: ({ event }) => event.output.failure,
            }),
          },
          onError: { target: 'active', actions: { type: 'recordFailure', params: { during: 'rollingBack' } } },
        },
      },
      escalating: {
        entry: assign(({ context }) => {
          const due = dueEscalation(context);
          return {
            deadlines: context.deadlines.map((deadline) => (deadline === due ? { ...deadline, done: true } : deadline)),
          };
        }),
        invoke: {
          src: 'escalate',
          input: ({ context }) => ({
            context,
            stage:
              [...context.deadlines].reverse().find((deadline) => deadline.kind === 'escalation' && deadline.done)
                ?.index ?? 0,
          }),
          onDone: 'active',
          onError: { target: 'error', actions: { type: 'fail', params: { during: 'escalating' } } },
        },
      },
      passed: {
        on: {
          CHECK: 'checking',
          APPLY: 'applying',
          ROLLBACK: 'rollingBack',
          RESET: 'resetting',
          HINT: { guard: 'hintAvailable', actions: 'revealHint' },
        },
      },
      resetting: {
        invoke: {
          src: 'reset',
          input: ({ context }) => ({ context }),
          onDone: {
            target: 'preparing',
            actions: assign({
              attempts: 0,
              hintsUnlocked: 0,
              hintsRevealed: 0,
              deadlines: [],
              release: 0,
              lastReport: undefined,
              lastFailure: undefined,
              error: undefined,
              activeSince: undefined,
            }),
          },
          onError: { target: 'error', actions: { type: 'fail', params: { during: 'resetting' } } },
        },
      },
      error: {
        on: { RESET: 'resetting' },
      },
      tearingDown: {
        invoke: {
          src: 'teardown',
          input: ({ context }) => ({ context }),
          onDone: 'stopped',
          onError: {
            target: 'stopped',
            actions: { type: 'fail', params: { during: 'tearingDown' } },
          },
        },
        // Already leaving: a second STOP must not restart the teardown.
        on: { STOP: {} },
      },
      stopped: { type: 'final' },
    },
  });
}

export type SessionMachine = ReturnType<typeof createSessionMachine>;

export { isRestingState, RESTING_STATES, type RestingState } from './resting.js';
