/**
 * The session API the CLI, the TUI and the HTTP API use: start a lab in a workspace, send it
 * the learner's events, tick its timers, describe it. Each call takes the workspace lock, so
 * two terminals (or a terminal and the TUI) cannot change one session at once.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Lab } from '../deploy/lab.js';
import { teardownLab } from '../deploy/teardown.js';
import { claimWorkspace, type StartedSession } from './start-workspace.js';
import { usageError, workspaceError } from '../errors.js';
import type { Runtime } from '../runtime/runtime.js';
import type { SessionContext, SessionInput } from './context.js';
import { drive, type LearnerEvent, type SessionNotice } from './drive.js';
import { sessionResult, type SessionResult } from './result.js';
import { withSessionLock } from './lock.js';
import type { RunnableScenario } from './scenario-view.js';
import { isProcessAlive } from '../util/process-alive.js';
import { restorePending } from '../probes/pending.js';
import { readSessionFile, scenarioRefOf, stateDir, writeSessionFile, type SessionFile } from './store.js';

export interface ResolvedScenario {
  scenario: RunnableScenario;
  /** Absolute path of labs/<lab>. */
  labSource: string;
}

/**
 * How a session finds its (seed-instantiated) scenario again in a later process: `ref` is the
 * scenario file the session recorded, else its id (see scenarioRefOf).
 */
export type ScenarioResolver = (ref: string, seed: number) => Promise<ResolvedScenario>;

export interface SessionDeps {
  runtime: Runtime;
  resolveScenario: ScenarioResolver;
  onNotice?: (notice: SessionNotice) => void;
  signal?: AbortSignal;
  /** Cancels the step in progress, not the lab (Ctrl-C in `check`); `signal` tears the lab down (Ctrl-C in `start`). */
  interrupt?: AbortSignal;
  /** `rollback --to N`: the release a ROLLBACK returns to. */
  rollbackTo?: number;
  /** How long to wait for another process holding the session, in ms. */
  waitMs?: number;
  /** The clock deadlines are measured against; `verify` runs escalation stages on a compressed one. */
  now?: () => number;
  /** Check rounds stop at their first rejection: `verify --until-rejected` grading a wrong fix. */
  untilRejected?: boolean;
}

export type { SessionResult } from './result.js';

export function newSessionId(): string {
  // Six base-36 characters: short enough for `docker ps`, 2 billion values.
  return BigInt(`0x${randomBytes(5).toString('hex')}`)
    .toString(36)
    .padStart(6, '0')
    .slice(-6);
}

function inputOf(file: SessionFile, scenario: RunnableScenario): SessionInput {
  return {
    sessionId: file.sessionId,
    scenarioId: file.scenarioId,
    seed: file.seed,
    workspace: file.workspace,
    hintRules: scenario.hints.map((hint) => hint.after),
    escalationDelaysMs: (scenario.escalation ?? []).map((stage) => stage.afterMs),
    ...(file.resumed ? { resumed: true } : {}),
  };
}

async function driveFile(
  file: SessionFile,
  deps: SessionDeps,
  event: LearnerEvent | undefined,
  mode: 'session' | 'grade',
): Promise<SessionResult> {
  const { scenario, labSource } = await deps.resolveScenario(scenarioRefOf(file), file.seed);
  const lab: Lab = { sessionId: file.sessionId, scenarioId: file.scenarioId, workspace: file.workspace };
  const engine = await deps.runtime.info();
  const host = engine.host;
  // A (re)deploy is the moment the lab is as breakfix made it: remember which start of the
  // engine it ran on, so `status` can tell when the engine restarted under the lab since.
  const redeploys = event === undefined || event === 'APPLY' || event === 'ROLLBACK' || event === 'RESET';
  // A probe interrupted by a killed process left the lab disturbed: put it back first.
  await restorePending(stateDir(file.workspace), lab, deps.runtime);
  const proveDurability =
    mode === 'session'
      ? async (signal?: AbortSignal) => {
          // Loaded on first use: grading imports this module, and `status` never needs it.
          const { proveDurability: prove } = await import('../grading/durability.js');
          return prove({ ...scenario, seed: file.seed }, file.workspace, { ...deps, ...(signal ? { signal } : {}) });
        }
      : undefined;
  const { file: next, snapshot } = await drive({
    file: redeploys && engine.bootedAt ? { ...file, engineBootedAt: engine.bootedAt } : file,
    input: inputOf(file, scenario),
    env: {
      scenario,
      runtime: deps.runtime,
      labSource,
      lab,
      mode,
      host,
      ...(file.owner ? { disposable: true } : {}),
      ...(proveDurability ? { proveDurability } : {}),
      ...(deps.interrupt ? { interrupt: deps.interrupt } : {}),
      ...(deps.rollbackTo !== undefined ? { rollbackTo: deps.rollbackTo } : {}),
      ...(deps.untilRejected ? { untilRejected: true } : {}),
    },
    ...(event ? { event } : {}),
    ...(deps.onNotice ? { onNotice: deps.onNotice } : {}),
    ...(deps.signal ? { signal: deps.signal } : {}),
    ...(deps.now ? { now: deps.now } : {}),
  });
  return sessionResult(next, next.state ?? 'unknown', snapshot.context);
}

export interface StartSessionOptions {
  scenarioId: string;
  workspace: string;
  seed: number;
  /** `grade` deploys the files already in the workspace without copying the lab or re-applying workspace faults. */
  mode?: 'session' | 'grade';
  /** The lab belongs to this process (verify, grade): gc removes it once the process is gone. */
  ephemeral?: boolean;
  /** The scenario file, its hash and its course, recorded so later commands find the same rules. */
  scenarioFile?: string;
  scenarioHash?: string;
  course?: { id: string; dir: string };
  /**
   * In a workspace whose lab was stopped: move the learner's files to a backup folder and lay
   * the lab down afresh. Without it the lab comes back on the learner's files, with the seed
   * and session the workspace recorded (`seed` is then ignored).
   */
  fresh?: boolean;
  onSession?: (session: StartedSession) => void;
}

export type { StartedSession };

export async function startSession(options: StartSessionOptions, deps: SessionDeps): Promise<SessionResult> {
  const workspace = path.resolve(options.workspace);
  const mode = options.mode ?? 'session';
  const { resumeFrom, backup } = await claimWorkspace(workspace, options.scenarioId, mode, options.fresh === true);
  const file: SessionFile = {
    format: 1,
    sessionId: resumeFrom?.sessionId ?? newSessionId(),
    scenarioId: options.scenarioId,
    seed: resumeFrom?.seed ?? options.seed,
    workspace,
    createdAt: new Date().toISOString(),
    revision: (resumeFrom?.revision ?? -1) + 1,
    progress: { state: 'preparing', pid: process.pid, since: new Date().toISOString() },
    ...(mode === 'grade' ? { mode } : {}),
    ...(resumeFrom ? { resumed: true } : {}),
    ...(options.ephemeral || mode === 'grade' ? { owner: { pid: process.pid } } : {}),
    ...(options.scenarioFile ? { scenarioFile: options.scenarioFile } : {}),
    ...(options.scenarioHash ? { scenarioHash: options.scenarioHash } : {}),
    ...(options.course ? { course: options.course } : {}),
  };
  await writeSessionFile(workspace, file);
  options.onSession?.({
    sessionId: file.sessionId,
    workspace,
    seed: file.seed,
    ...(resumeFrom ? { resumed: true } : {}),
    ...(backup ? { backup } : {}),
  });
  return announceRest(await withSessionLock(workspace, () => driveFile(file, deps, undefined, mode)), deps);
}

/**
 * The resting state is announced only once it is on disk and the lock is released, so a client
 * that acts on "active" at once is never told the session is busy.
 */
function announceRest(result: SessionResult, deps: SessionDeps): SessionResult {
  deps.onNotice?.({ type: 'state', state: result.state, context: result.context });
  return result;
}

/** The state an event leads into, announced as soon as the lock is held. */
const BUSY_STATE: Record<LearnerEvent, string> = {
  CHECK: 'checking',
  APPLY: 'applying',
  ROLLBACK: 'rollingBack',
  RESET: 'resetting',
  HINT: 'revealing a hint',
  STOP: 'tearingDown',
};

export async function sendToSession(workspace: string, event: LearnerEvent, deps: SessionDeps): Promise<SessionResult> {
  const result = await withSessionLock(
    workspace,
    async () => {
      const file = await readSessionFile(workspace);
      if (file.snapshot === undefined) return recoverInterrupted(file, event, deps);
      // Said at once, so that a second terminal is told what it is waiting for.
      await writeSessionFile(workspace, {
        ...file,
        progress: { state: BUSY_STATE[event], pid: process.pid, since: new Date().toISOString() },
      });
      const driven = await driveFile(file, deps, event, file.mode ?? 'session');
      // Whatever happened inside the teardown step, a stopped lab leaves nothing labelled.
      if (event === 'STOP') await teardownLab(deps.runtime, file.sessionId, { graceful: file.owner === undefined });
      return driven;
    },
    { waitMs: deps.waitMs ?? 0 },
  );
  return announceRest(result, deps);
}

/** Fires due hint and escalation deadlines; long-running front ends call it when one comes due. */
export async function tickSession(workspace: string, deps: SessionDeps): Promise<SessionResult> {
  return announceRest(
    await withSessionLock(
      workspace,
      async () => {
        const file = await readSessionFile(workspace);
        return driveFile(file, deps, undefined, file.mode ?? 'session');
      },
      { waitMs: deps.waitMs ?? 0 },
    ),
    deps,
  );
}

/**
 * A start that never reached a resting state (its process was killed): only `stop` and
 * `reset`-by-stop make sense. The lab's resources are swept by label.
 */
async function recoverInterrupted(file: SessionFile, event: LearnerEvent, deps: SessionDeps): Promise<SessionResult> {
  if (file.progress && isProcessAlive(file.progress.pid) && file.progress.pid !== process.pid) {
    throw usageError(
      `the session is still starting (${file.progress.state}, pid ${file.progress.pid})`,
      'wait for it to finish',
      'still-starting',
    );
  }
  if (event !== 'STOP')
    throw workspaceError(
      `the start of session ${file.sessionId} was interrupted (${file.progress?.state ?? 'unknown step'})`,
      'run `breakfix stop`, then start the scenario again',
      'start-interrupted',
    );
  await teardownLab(deps.runtime, file.sessionId);
  const stopped: SessionFile = { ...file, revision: file.revision + 1, state: 'stopped' };
  delete stopped.progress;
  await writeSessionFile(file.workspace, stopped);
  return sessionResult(file, 'stopped', {} as SessionContext);
}

export { describeSession, type ServiceView, type SessionView } from './describe.js';
