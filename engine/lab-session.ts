/**
 * One handle on one lab, for every front end — shaped like testcontainers' StartedTestContainer:
 * `createLab(...)` (then `start()`), `startLab(...)` or `openLab(workspace)` give a LabSession;
 * the TUI, the commands, `watch` and the HTTP server all drive labs through it. It sends the
 * learner's events, fires due deadlines (`tick`, and `scheduleTicks()`: the one tick loop),
 * describes the lab, reads service logs, and fans every notice out to `events()` listeners.
 *
 * Every call goes through the session API (engine/session/session.ts), which takes the
 * workspace lock: a handle holds no state another process could contradict, only the last
 * result it saw (to know the next deadline) and one Docker connection.
 */
import {
  connect,
  describeLab,
  labLogs,
  resolveScenario,
  sendToLab,
  startLabSession,
  tickLab,
  type StartLabOptions,
} from './api.js';
import type { Runtime } from './runtime/runtime.js';
import { nextDeadlineAt } from './session/deadlines.js';
import type { LearnerEvent, SessionNotice } from './session/drive.js';
import type { SessionResult, SessionView } from './session/session.js';
import { readSessionFile, scenarioRefOf } from './session/store.js';
import {
  keepScenarioSummary,
  readScenarioSummary,
  summarize,
  type LabScenarioInfo,
  type ScenarioSummary,
} from './session/scenario-summary.js';
import type { LabOperation } from './progress/lab-progress.js';
import type { Timeline } from './session/timeline.js';
import { createTickSchedule, type TickSchedule, type TickScheduleOptions } from './session/tick-schedule.js';

export type NoticeListener = (notice: SessionNotice) => void;

export type { LabScenarioInfo } from './session/scenario-summary.js';

export interface LabCallOptions {
  /** Notices of this call only (every call's notices also go to `events()` listeners). */
  onNotice?: NoticeListener;
  /** Aborting a start or an event stops the lab where it is (STOP). */
  signal?: AbortSignal;
  /** Aborting cancels the step in progress and leaves the lab up (Ctrl-C during `check`: a probe puts the lab back). */
  interrupt?: AbortSignal;
  /** `rollback --to N`: the release a ROLLBACK returns to (default: the last other version). */
  rollbackTo?: number;
  /** Wait this long for another process holding the session (default: fail at once, `session-busy`). */
  waitMs?: number;
}

export interface LabLogOptions {
  follow?: boolean;
  tail?: number;
  signal?: AbortSignal;
}

export interface LabSession {
  readonly workspace: string;
  readonly scenario: LabScenarioInfo;
  /** Where published ports answer (127.0.0.1, or the DOCKER_HOST machine). */
  readonly host: string;
  /** The result of the last operation this handle ran (start, send, tick), if any. */
  readonly last: SessionResult | undefined;
  /** Bring the lab up (a handle from `createLab`); aborting tears down what was created. */
  start(options?: LabCallOptions & { onSession?: StartLabOptions['onSession'] }): Promise<SessionResult>;
  /** One learner event (CHECK, APPLY, ROLLBACK, RESET, HINT, STOP), run until the lab rests. */
  send(event: LearnerEvent, options?: LabCallOptions): Promise<SessionResult>;
  /** Fire the hint and escalation deadlines that have come due. */
  tick(options?: LabCallOptions): Promise<SessionResult>;
  /** Everything `status`, the TUI and `GET /v1/sessions/:id` show; cheap and lock-free. */
  describe(): Promise<SessionView>;
  /** A service's output (`docker logs`), line by line; `follow` until `signal` aborts. */
  logs(service: string, onLine: (line: string) => void, options?: LabLogOptions): Promise<void>;
  /** Every notice of every operation run through this handle, until the returned function is called. */
  events(listener: NoticeListener): () => void;
  /** The learner's own timeline of the session (symptoms, applies, rounds, hints, rollbacks, resets), from its events. */
  timeline(): Promise<Timeline>;
  /** Epoch ms of the next hint or escalation deadline while the lab is active, from what this handle last saw. */
  nextDeadlineAt(): number | undefined;
  /** Tick whenever a deadline comes due (re-armed after every operation); stop it when done. */
  scheduleTicks(options?: TickScheduleOptions): TickSchedule;
}

export interface LabSessionOptions {
  /** One Docker connection for the handle; connected on creation when not given. */
  runtime?: Runtime;
  /**
   * Record the learner's progress (engine/progress) after each operation: on for front ends
   * that act for the person at this machine (the CLI, the TUI), off for the server.
   */
  progress?: boolean;
  /** `start --fresh`: in a workspace whose lab was stopped, back the learner's files up and start afresh. */
  fresh?: boolean;
}

class EngineLabSession implements LabSession {
  readonly #listeners = new Set<NoticeListener>();
  readonly #schedules = new Set<TickSchedule>();
  #last: SessionResult | undefined;
  #due: number | undefined;

  constructor(
    readonly workspace: string,
    readonly scenario: LabScenarioInfo,
    readonly host: string,
    private readonly runtime: Runtime,
    private readonly progress: boolean = false,
    private readonly fresh: boolean = false,
  ) {}

  get last(): SessionResult | undefined {
    return this.#last;
  }

  #options(options: LabCallOptions = {}) {
    const notify: NoticeListener = (notice) => {
      options.onNotice?.(notice);
      for (const listener of this.#listeners) listener(notice);
    };
    return {
      runtime: this.runtime,
      onNotice: notify,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.interrupt ? { interrupt: options.interrupt } : {}),
      ...(options.rollbackTo !== undefined ? { rollbackTo: options.rollbackTo } : {}),
      ...(options.waitMs !== undefined ? { waitMs: options.waitMs } : {}),
    };
  }

  #learn(due: number | undefined): void {
    if (due === this.#due) return;
    this.#due = due;
    for (const schedule of this.#schedules) schedule.rearm();
  }

  async #record(result: SessionResult, operation: LabOperation): Promise<SessionResult> {
    this.#last = result;
    this.#learn(result.state === 'active' ? nextDeadlineAt(result.context) : undefined);
    if (this.progress) {
      // Loaded on first use: the entry module stays cheap for `list` and `--help`.
      const { recordLabProgress } = await import('./progress/lab-progress.js');
      await recordLabProgress(
        {
          scenario: this.scenario.id,
          workspace: this.workspace,
          ...(this.scenario.course ? { course: this.scenario.course.id } : {}),
        },
        operation,
        result,
      );
    }
    return result;
  }

  async start(options: LabCallOptions & { onSession?: StartLabOptions['onSession'] } = {}): Promise<SessionResult> {
    return this.#record(
      await startLabSession({
        // The file, not the id: an id two courses share, or a scenario named by its path, stays the same one.
        scenario: this.scenario.file,
        workspace: this.workspace,
        seed: this.scenario.seed,
        ...(this.fresh ? { fresh: true } : {}),
        ...this.#options(options),
        ...(options.onSession ? { onSession: options.onSession } : {}),
      }),
      { kind: 'start' },
    );
  }

  async send(event: LearnerEvent, options?: LabCallOptions): Promise<SessionResult> {
    return this.#record(await sendToLab(this.workspace, event, this.#options(options)), { kind: 'send', event });
  }

  async tick(options?: LabCallOptions): Promise<SessionResult> {
    return this.#record(await tickLab(this.workspace, this.#options(options)), { kind: 'tick' });
  }

  async describe(): Promise<SessionView> {
    const view = await describeLab(this.workspace, { runtime: this.runtime });
    // The file on disk is the truth: another terminal may have moved the deadlines on.
    if (!view.busy) this.#learn(view.nextDeadlineAt);
    return view;
  }

  logs(service: string, onLine: (line: string) => void, options: LabLogOptions = {}): Promise<void> {
    return labLogs(this.workspace, service, onLine, { ...options, runtime: this.runtime });
  }

  events(listener: NoticeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async timeline(): Promise<Timeline> {
    const [{ readTimeline }, file] = await Promise.all([
      import('./session/timeline.js'),
      readSessionFile(this.workspace),
    ]);
    return readTimeline(this.workspace, file.sessionId);
  }

  nextDeadlineAt(): number | undefined {
    return this.#due;
  }

  scheduleTicks(options: TickScheduleOptions = {}): TickSchedule {
    const schedule = createTickSchedule(this, options);
    this.#schedules.add(schedule);
    return {
      rearm: () => schedule.rearm(),
      stop: () => {
        schedule.stop();
        this.#schedules.delete(schedule);
      },
    };
  }
}

function scenarioInfo(summary: ScenarioSummary): LabScenarioInfo {
  const { hints: _hints, ...info } = summary;
  return info;
}

async function connected(options: LabSessionOptions): Promise<{ runtime: Runtime; host: string }> {
  if (options.runtime) return { runtime: options.runtime, host: (await options.runtime.info()).host };
  // A runtime connected here is the Docker runtime, whose host is its publish setting: asking
  // Docker (version, bridge network) would cost every `status` two calls it does not use.
  const [runtime, { publishSettings }] = await Promise.all([connect(), import('./runtime/publish.js')]);
  return { runtime, host: publishSettings().connectHost };
}

/** A handle on a lab that is not started yet: `start()` brings it up in `workspace`. */
export async function createLab(
  options: { scenario: string; workspace: string; seed: number } & LabSessionOptions,
): Promise<LabSession> {
  // Loading the scenario (zod, YAML) and connecting to Docker both take a while: side by side.
  // A typo in the id still fails first, before a lab is created.
  const [scenario, docker] = await Promise.all([
    resolveScenario(options.scenario, options.seed),
    connected(options).then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    ),
  ]);
  if ('error' in docker) throw docker.error;
  return new EngineLabSession(
    options.workspace,
    scenarioInfo(summarize(scenario)),
    docker.value.host,
    docker.value.runtime,
    options.progress,
    options.fresh,
  );
}

/** Create and start a lab; the handle's `last` holds how the start ended. */
export async function startLab(
  options: { scenario: string; workspace: string; seed: number } & LabSessionOptions & LabCallOptions,
): Promise<LabSession> {
  const lab = await createLab(options);
  await lab.start(options);
  return lab;
}

/** A handle on the session that lives in `workspace` (see `locateWorkspace`). */
export async function openLab(workspace: string, options: LabSessionOptions = {}): Promise<LabSession> {
  const [file, { runtime, host }] = await Promise.all([readSessionFile(workspace), connected(options)]);
  // The session exists: its scenario was validated for every variant when it started. What a
  // handle shows of it is kept beside the session (scenario-summary.ts): no YAML or zod then.
  let summary = readScenarioSummary(workspace, file);
  if (!summary) {
    const scenario = await resolveScenario(scenarioRefOf(file), file.seed, { variants: 'first' });
    await keepScenarioSummary(workspace, file, scenario);
    summary = summarize(scenario);
  }
  return new EngineLabSession(workspace, scenarioInfo(summary), host, runtime, options.progress);
}
