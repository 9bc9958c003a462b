import { describe, expect, it } from 'vitest';
import { createActor, fromPromise, SimulatedClock, waitFor, type SnapshotFrom } from 'xstate';
import type { GradeReport } from '../../engine/grading/report.js';
import type { SessionInput } from '../../engine/session/context.js';
import {
  createSessionMachine,
  type ReleaseOutput,
  type StepInput,
  type SymptomOutput,
} from '../../engine/session/machine.js';

const MINUTE = 60_000;

function report(passed: boolean): GradeReport {
  return {
    scenario: 's',
    passed,
    score: passed ? 100 : 0,
    maxScore: 100,
    checks: [],
    startedAt: new Date(0).toISOString(),
    durationMs: 1,
  };
}

interface Fakes {
  calls: string[];
  checkResults: boolean[];
  symptoms?: boolean;
  failBuild?: boolean;
  failApply?: boolean;
  /** Resolved by the test to let deploy finish; lets a test STOP mid-deploy. */
  holdDeploy?: Promise<void>;
  deploySignal?: AbortSignal;
}

function harness(fakes: Fakes, clock = new SimulatedClock()) {
  let release = 0;
  const step = (name: string) =>
    fromPromise<void, StepInput>(async () => {
      fakes.calls.push(name);
    });
  const machine = createSessionMachine({ now: () => clock.now() }).provide({
    actors: {
      prepare: step('prepare'),
      build: fromPromise<void, StepInput>(async () => {
        fakes.calls.push('build');
        if (fakes.failBuild) throw new Error('step 3/7 RUN apt-get install: exit code 100');
      }),
      deploy: fromPromise<ReleaseOutput, StepInput>(async ({ signal }) => {
        fakes.calls.push('deploy');
        fakes.deploySignal = signal;
        if (fakes.holdDeploy) await fakes.holdDeploy;
        release += 1;
        return { release };
      }),
      inject: step('inject'),
      confirm: fromPromise<SymptomOutput, StepInput>(async () => {
        fakes.calls.push('confirm');
        return {
          observed: fakes.symptoms ?? true,
          detail: fakes.symptoms === false ? 'api: expected not running, got running' : '',
        };
      }),
      check: fromPromise<GradeReport, StepInput>(async () => {
        fakes.calls.push('check');
        return report(fakes.checkResults.shift() ?? false);
      }),
      apply: fromPromise<ReleaseOutput, StepInput>(async () => {
        fakes.calls.push('apply');
        if (fakes.failApply) throw new Error('Dockerfile:3: unknown instruction RUNN');
        release += 1;
        return { release };
      }),
      rollback: fromPromise<ReleaseOutput, StepInput>(async () => {
        fakes.calls.push('rollback');
        release -= 1;
        return { release };
      }),
      escalate: fromPromise<void, StepInput & { stage: number }>(async ({ input }) => {
        fakes.calls.push(`escalate:${input.stage}`);
      }),
      reset: step('reset'),
      teardown: step('teardown'),
    },
  });
  return { machine, clock };
}

const input = (extra: Partial<SessionInput> = {}): SessionInput => ({
  sessionId: 'abc123',
  scenarioId: 'wrong-port',
  seed: 7,
  workspace: '/tmp/ws',
  hintRules: [{ attempts: 1 }, { attempts: 2 }],
  escalationDelaysMs: [],
  ...extra,
});

const stateOf = (snapshot: SnapshotFrom<ReturnType<typeof createSessionMachine>>) =>
  typeof snapshot.value === 'string' ? snapshot.value : Object.keys(snapshot.value)[0];

describe('session machine', () => {
  it('goes from preparing to active, fails a check, unlocks a hint, applies a fix, passes and stops', async () => {
    const fakes: Fakes = { calls: [], checkResults: [false, true] };
    const { machine } = harness(fakes);
    const actor = createActor(machine, { input: input() }).start();
    await waitFor(actor, (s) => s.matches('active'));
    expect(fakes.calls).toEqual(['prepare', 'build', 'deploy', 'inject', 'confirm']);
    expect(actor.getSnapshot().context.release).toBe(1);

    actor.send({ type: 'HINT' });
    expect(actor.getSnapshot().context.hintsRevealed).toBe(0);

    actor.send({ type: 'CHECK' });
    await waitFor(actor, (s) => s.matches('active') && s.context.attempts === 1);
    expect(actor.getSnapshot().context.hintsUnlocked).toBe(1);
    actor.send({ type: 'HINT' });
    actor.send({ type: 'HINT' });
    expect(actor.getSnapshot().context.hintsRevealed).toBe(1);

    actor.send({ type: 'APPLY' });
    await waitFor(actor, (s) => s.matches('active') && s.context.release === 2);
    actor.send({ type: 'CHECK' });
    await waitFor(actor, (s) => s.matches('passed'));
    expect(actor.getSnapshot().context.lastReport?.passed).toBe(true);

    actor.send({ type: 'STOP' });
    await waitFor(actor, (s) => s.status === 'done');
    expect(stateOf(actor.getSnapshot())).toBe('stopped');
    expect(fakes.calls.at(-1)).toBe('teardown');
  });

  it('refuses a scenario whose symptoms never appear', async () => {
    const fakes: Fakes = { calls: [], checkResults: [], symptoms: false };
    const actor = createActor(harness(fakes).machine, { input: input() }).start();
    const snapshot = await waitFor(actor, (s) => s.matches('error'));
    expect(snapshot.context.error).toEqual({
      during: 'confirming',
      kind: 'scenario',
      message: 'symptoms not observed: api: expected not running, got running',
    });
  });

  it('ends in error with the failing step when the build fails, and can be reset', async () => {
    const fakes: Fakes = { calls: [], checkResults: [], failBuild: true };
    const actor = createActor(harness(fakes).machine, { input: input() }).start();
    const snapshot = await waitFor(actor, (s) => s.matches('error'));
    expect(snapshot.context.error?.during).toBe('building');
    expect(snapshot.context.error?.message).toContain('exit code 100');
    fakes.failBuild = false;
    actor.send({ type: 'RESET' });
    const after = await waitFor(actor, (s) => s.matches('active'));
    expect(after.context.error).toBeUndefined();
    expect(fakes.calls).toContain('reset');
  });

  it('keeps the session active when an apply fails, with the reason', async () => {
    const fakes: Fakes = { calls: [], checkResults: [], failApply: true };
    const actor = createActor(harness(fakes).machine, { input: input() }).start();
    await waitFor(actor, (s) => s.matches('active'));
    actor.send({ type: 'APPLY' });
    const snapshot = await waitFor(actor, (s) => s.matches('active') && s.context.lastFailure !== undefined);
    expect(snapshot.context.lastFailure).toMatchObject({ during: 'applying', kind: 'environment' });
    expect(snapshot.context.lastFailure?.message).toContain('unknown instruction RUNN');
    expect(snapshot.context.release).toBe(1);
  });

  it('tears down when stopped in the middle of a deploy, aborting the deploy', async () => {
    let release!: () => void;
    const fakes: Fakes = {
      calls: [],
      checkResults: [],
      holdDeploy: new Promise<void>((resolve) => (release = resolve)),
    };
    const actor = createActor(harness(fakes).machine, { input: input() }).start();
    await waitFor(actor, (s) => s.matches('deploying'));
    actor.send({ type: 'STOP' });
    await waitFor(actor, (s) => s.status === 'done');
    expect(fakes.deploySignal?.aborted).toBe(true);
    expect(fakes.calls).toEqual(['prepare', 'build', 'deploy', 'teardown']);
    release();
  });

  it('unlocks time-based hints and fires escalation stages on a simulated clock', async () => {
    const fakes: Fakes = { calls: [], checkResults: [] };
    const clock = new SimulatedClock();
    clock.set(1_000_000);
    const { machine } = harness(fakes, clock);
    const actor = createActor(machine, {
      input: input({ hintRules: [{ elapsedMs: 2 * MINUTE }], escalationDelaysMs: [5 * MINUTE] }),
      clock,
    }).start();
    await waitFor(actor, (s) => s.matches('active'));
    expect(actor.getSnapshot().context.hintsUnlocked).toBe(0);

    clock.increment(2 * MINUTE - 1);
    expect(actor.getSnapshot().context.hintsUnlocked).toBe(0);
    clock.increment(1);
    expect(actor.getSnapshot().context.hintsUnlocked).toBe(1);
    expect(fakes.calls).not.toContain('escalate:0');

    clock.increment(3 * MINUTE);
    await waitFor(actor, (s) => s.matches('active') && fakes.calls.includes('escalate:0'));
    expect(actor.getSnapshot().context.deadlines.every((deadline) => deadline.done)).toBe(true);
  });

  it('re-arms stored deadlines after a restore: an overdue escalation fires on RESUME', async () => {
    const fakes: Fakes = { calls: [], checkResults: [] };
    const clock = new SimulatedClock();
    clock.set(5_000_000);
    const first = createActor(harness(fakes, clock).machine, {
      input: input({ escalationDelaysMs: [10 * MINUTE] }),
      clock,
    }).start();
    await waitFor(first, (s) => s.matches('active'));
    const persisted = JSON.parse(JSON.stringify(first.getPersistedSnapshot()));
    first.stop();

    // Another process, eleven minutes later: its timers were never armed.
    const laterClock = new SimulatedClock();
    laterClock.set(5_000_000 + 11 * MINUTE);
    const second = createActor(harness(fakes, laterClock).machine, {
      snapshot: persisted,
      clock: laterClock,
      input: input(),
    }).start();
    expect(second.getSnapshot().matches('active')).toBe(true);
    expect(fakes.calls).not.toContain('escalate:0');
    second.send({ type: 'RESUME' });
    // The re-armed timer has zero delay left; a simulated clock fires it on the next tick.
    laterClock.increment(0);
    await waitFor(second, (s) => s.matches('active') && fakes.calls.includes('escalate:0'));
  });

  it('rolls back to the previous release', async () => {
    const fakes: Fakes = { calls: [], checkResults: [] };
    const actor = createActor(harness(fakes).machine, { input: input() }).start();
    await waitFor(actor, (s) => s.matches('active'));
    actor.send({ type: 'APPLY' });
    await waitFor(actor, (s) => s.matches('active') && s.context.release === 2);
    actor.send({ type: 'ROLLBACK' });
    const snapshot = await waitFor(actor, (s) => s.matches('active') && s.context.release === 1);
    expect(snapshot.context.lastFailure).toBeUndefined();
  });
});
