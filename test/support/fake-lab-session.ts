/**
 * The one fake LabSession (engine/lab-session.ts) for the front ends' tests: an in-memory lab
 * whose answers the test scripts. The TUI tests drive it directly; the server's FakeEngine
 * (fake-engine.ts) hands out these too. Actions can be held open (`hold`) to test what a front
 * end does while busy; every call is recorded. Deadlines tick through the engine's real tick
 * schedule, so the front ends' tick handling is tested against the one loop they use.
 */
import { nextDeadlineAt } from '../../engine/session/deadlines.js';
import { sessionResult } from '../../engine/session/result.js';
import { createTickSchedule, type TickSchedule, type TickScheduleOptions } from '../../engine/session/tick-schedule.js';
import type {
  CheckResult,
  GradeReport,
  LabCallOptions,
  LabLogOptions,
  LabScenarioInfo,
  LabSession,
  LearnerEvent,
  NoticeListener,
  SessionContext,
  SessionNotice,
  SessionResult,
  ServiceView,
  SessionView,
  Timeline,
} from '../../engine/index.js';

export const T0 = Date.parse('2026-01-05T10:00:00Z');

export function service(name: string, overrides: Partial<ServiceView> = {}): ServiceView {
  return {
    name,
    container: `bf-abc123-${name}`,
    status: 'running',
    health: 'healthy',
    restarts: 0,
    exitCode: 0,
    ports: [],
    image: `${name}:1`,
    ...overrides,
  };
}

export function check(id: string, passed: boolean, overrides: Partial<CheckResult> = {}): CheckResult {
  return {
    id,
    title: id,
    type: 'http',
    status: passed ? 'passed' : 'failed',
    passed,
    errored: false,
    points: passed ? 50 : 0,
    maxPoints: 50,
    message: passed ? `${id}: answered 200` : `${id}: expected status 200, got connection refused`,
    durationMs: 5,
    ...overrides,
  };
}

export function report(checks: CheckResult[]): GradeReport {
  const score = checks.reduce((sum, entry) => sum + entry.points, 0);
  const maxScore = checks.reduce((sum, entry) => sum + entry.maxPoints, 0);
  return {
    scenario: 'wrong-port',
    passed: checks.every((entry) => entry.passed),
    score,
    maxScore,
    checks,
    startedAt: new Date(T0 + 60_000).toISOString(),
    durationMs: 40,
    seed: 7,
  };
}

export function brokenServices(): ServiceView[] {
  return [
    service('db'),
    service('migrate', { status: 'exited', health: 'none', exitCode: 0 }),
    service('api', { health: 'unhealthy', restarts: 2, ports: [{ container: 8080, host: 49153, protocol: 'tcp' }] }),
  ];
}

export function makeView(overrides: Partial<SessionView> = {}): SessionView {
  return {
    sessionId: 'abc123',
    scenarioId: 'wrong-port',
    title: 'The API is up, but nobody can reach it',
    workspace: '/tmp/ws',
    seed: 7,
    state: 'active',
    createdAt: new Date(T0).toISOString(),
    activeSince: new Date(T0).toISOString(),
    attempts: 0,
    release: 1,
    releases: 1,
    hints: { revealed: [], unlocked: 0, total: 2, nextRule: { attempts: 1 } },
    services: brokenServices(),
    ...overrides,
  };
}

export function makeContext(overrides: Partial<SessionContext> = {}): SessionContext {
  return {
    sessionId: 'abc123',
    scenarioId: 'wrong-port',
    seed: 7,
    workspace: '/tmp/ws',
    createdAt: T0,
    activeSince: T0,
    attempts: 0,
    hintRules: [{ attempts: 1 }, { attempts: 2, elapsedMs: 300_000 }],
    hintsUnlocked: 0,
    hintsRevealed: 0,
    escalationDelaysMs: [],
    deadlines: [],
    release: 1,
    ...overrides,
  };
}

export const SCENARIO: LabScenarioInfo = {
  id: 'wrong-port',
  seed: 7,
  title: 'The API is up, but nobody can reach it',
  file: '/breakfix/scenarios/wrong-port/scenario.yaml',
  briefing: 'Every request to the **published port** fails,\nand `docker ps` says the api is unhealthy.',
  debrief: 'The app listened on 9090 while compose published 8080.',
  escalations: ['the database runs out of connections'],
};

interface Deferred {
  promise: Promise<void>;
  release(): void;
}

function deferred(): Deferred {
  let release = () => undefined as void;
  const promise = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { promise, release };
}

export type FakeEvent = LearnerEvent | 'START' | 'TICK';
export type EventHandler = (fake: FakeLabSession, onNotice: NoticeListener) => Promise<SessionResult> | SessionResult;

export interface FakeLabSessionOptions {
  workspace?: string;
  scenario?: LabScenarioInfo;
  /** Every call, also recorded on the fake (the server's FakeEngine keeps one list for all labs). */
  onCall?: (event: FakeEvent, fake: FakeLabSession) => void;
}

export class FakeLabSession implements LabSession {
  readonly workspace: string;
  readonly host = '127.0.0.1';
  readonly scenario: LabScenarioInfo;
  view: SessionView = makeView();
  context: SessionContext = makeContext();
  readonly calls: string[] = [];
  readonly logLines: Record<string, string[]> = {
    api: ['{"msg":"listening","address":"0.0.0.0:9090"}'],
    db: ['database system is ready to accept connections'],
  };
  startSignal: AbortSignal | undefined;
  #last: SessionResult | undefined;
  private holds = new Map<string, Deferred>();
  private readonly listeners = new Set<NoticeListener>();
  private readonly schedules = new Set<TickSchedule>();
  private readonly onCall: FakeLabSessionOptions['onCall'];

  constructor(options: FakeLabSessionOptions = {}) {
    this.workspace = options.workspace ?? '/tmp/ws';
    this.scenario = options.scenario ?? SCENARIO;
    this.onCall = options.onCall;
  }

  /** Scripted answers; the defaults behave like a lab that is broken until APPLY. */
  handlers: Partial<Record<FakeEvent, EventHandler>> = {
    START: (fake, onNotice) => {
      onNotice({ type: 'state', state: 'building', context: fake.context });
      onNotice({
        type: 'progress',
        progress: {
          phase: 'build',
          service: 'migrate, api',
          event: { kind: 'step', step: 3, total: 9, instruction: 'RUN pip install' },
        },
      });
      onNotice({ type: 'progress', progress: { phase: 'service', service: 'db', status: 'ready' } });
      return fake.result('active');
    },
    CHECK: (fake) => {
      const fixed = fake.view.release > 1;
      const graded = report([check('api-reachable', fixed), check('api-healthy', fixed)]);
      // A new round is about the release that runs: no longer stale (as the engine's describe says).
      const { lastReportStale: _stale, ...current } = fake.view;
      fake.view = {
        ...current,
        lastReport: graded,
        state: graded.passed ? 'passed' : 'active',
        attempts: fake.view.attempts + (graded.passed ? 0 : 1),
      };
      if (!graded.passed) fake.unlockHints(Math.min(fake.view.hints.total, fake.view.attempts));
      fake.context = {
        ...fake.context,
        lastReport: graded,
        attempts: fake.view.attempts,
        hintsUnlocked: fake.view.hints.unlocked,
      };
      return fake.result(fake.view.state);
    },
    APPLY: (fake, onNotice) => {
      onNotice({ type: 'state', state: 'applying', context: fake.context });
      onNotice({ type: 'progress', progress: { phase: 'service', service: 'api', status: 'starting' } });
      fake.view = {
        ...fake.view,
        release: fake.view.release + 1,
        ...(fake.view.lastReport ? { lastReportStale: true } : {}),
        services: fake.view.services.map((entry) =>
          entry.name === 'api' ? { ...entry, health: 'healthy', restarts: 0 } : entry,
        ),
      };
      fake.context = { ...fake.context, release: fake.view.release };
      return fake.result('active');
    },
    ROLLBACK: (fake) => {
      fake.view = {
        ...fake.view,
        release: fake.view.release + 1,
        ...(fake.view.lastReport ? { lastReportStale: true } : {}),
      };
      fake.context = { ...fake.context, release: fake.view.release };
      return fake.result('active');
    },
    HINT: (fake) => {
      const texts = ['What port does the app say it listens on?', 'Look at .env.'];
      const revealed = texts.slice(0, fake.view.hints.revealed.length + 1);
      fake.view = { ...fake.view, hints: { ...fake.view.hints, revealed } };
      fake.context = { ...fake.context, hintsRevealed: revealed.length };
      return fake.result(fake.view.state);
    },
    RESET: (fake) => {
      fake.view = makeView();
      fake.context = makeContext();
      return fake.result('active');
    },
    STOP: (fake) => {
      fake.view = {
        ...fake.view,
        state: 'stopped',
        services: fake.view.services.map((entry) => ({ ...entry, status: 'absent', ports: [] })),
      };
      return fake.result('stopped');
    },
    TICK: (fake) => fake.result(fake.view.state),
  };

  result(state: string): SessionResult {
    return sessionResult({ sessionId: this.context.sessionId, workspace: this.workspace }, state, this.context);
  }

  get last(): SessionResult | undefined {
    return this.#last;
  }

  unlockHints(count: number): void {
    this.view = { ...this.view, hints: { ...this.view.hints, unlocked: Math.max(this.view.hints.unlocked, count) } };
  }

  /** The next `event` waits until `release()` is called. */
  hold(event: FakeEvent): () => void {
    const gate = deferred();
    this.holds.set(event, gate);
    return gate.release;
  }

  private async perform(event: FakeEvent, options: LabCallOptions = {}): Promise<SessionResult> {
    this.calls.push(event);
    this.onCall?.(event, this);
    const gate = this.holds.get(event);
    if (gate) {
      this.holds.delete(event);
      await gate.promise;
    }
    const handler = this.handlers[event];
    if (!handler) throw new Error(`no handler for ${event}`);
    const onNotice: NoticeListener = (notice) => {
      options.onNotice?.(notice);
      for (const listener of this.listeners) listener(notice);
    };
    // A scripted answer that is not a promise is not awaited: the fake answers as fast as the
    // TUI tests expect (the first frame must find the attach tick done).
    const answer = handler(this, onNotice);
    const result = answer instanceof Promise ? await answer : answer;
    this.#last = result;
    for (const schedule of this.schedules) schedule.rearm();
    return result;
  }

  start(options: LabCallOptions = {}): Promise<SessionResult> {
    this.startSignal = options.signal;
    return this.perform('START', options);
  }

  /** Like the engine: the next deadline is part of the view while the lab is active. */
  async describe(): Promise<SessionView> {
    const due = this.view.state === 'active' ? nextDeadlineAt(this.context) : undefined;
    return due === undefined ? this.view : { ...this.view, nextDeadlineAt: due };
  }

  send(event: LearnerEvent, options?: LabCallOptions): Promise<SessionResult> {
    return this.perform(event, options);
  }

  tick(options?: LabCallOptions): Promise<SessionResult> {
    return this.perform('TICK', options);
  }

  async logs(name: string, onLine: (line: string) => void, options: LabLogOptions = {}): Promise<void> {
    const lines = this.logLines[name];
    if (!lines) throw new Error(`the lab has no container for service ${name}`);
    for (const line of lines) onLine(line);
    const signal = options.signal;
    if (!options.follow || !signal) return;
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  }

  events(listener: NoticeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** What `timeline()` answers; tests set it. */
  timelineValue: Timeline = { entries: [], totalMs: 0 };

  async timeline(): Promise<Timeline> {
    return this.timelineValue;
  }

  nextDeadlineAt(): number | undefined {
    const last = this.#last;
    return last && last.state === 'active' ? nextDeadlineAt(last.context) : undefined;
  }

  scheduleTicks(options: TickScheduleOptions = {}): TickSchedule {
    const schedule = createTickSchedule(this, options);
    this.schedules.add(schedule);
    return {
      rearm: () => schedule.rearm(),
      stop: () => {
        schedule.stop();
        this.schedules.delete(schedule);
      },
    };
  }
}

export type { SessionNotice };
