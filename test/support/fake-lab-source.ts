/**
 * A LabSource for TUI tests: an in-memory lab whose answers the test scripts. Actions can be
 * held open (`hold`) to test what the TUI does while busy; every call is recorded.
 */
import type {
  CheckResult,
  GradeReport,
  LearnerEvent,
  SessionContext,
  SessionNotice,
  SessionResult,
  ServiceView,
  SessionView,
} from '../../engine/index.js';
import type { LabSource, NoticeListener, ScenarioInfo } from '../../cli/tui/lab-source.js';

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

export const SCENARIO: ScenarioInfo = {
  id: 'wrong-port',
  title: 'The API is up, but nobody can reach it',
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

export type EventHandler = (fake: FakeLabSource, onNotice: NoticeListener) => Promise<SessionResult> | SessionResult;

export class FakeLabSource implements LabSource {
  readonly workspace = '/tmp/ws';
  readonly host = '127.0.0.1';
  readonly scenario = SCENARIO;
  view: SessionView = makeView();
  context: SessionContext = makeContext();
  readonly calls: string[] = [];
  readonly logs: Record<string, string[]> = {
    api: ['{"msg":"listening","address":"0.0.0.0:9090"}'],
    db: ['database system is ready to accept connections'],
  };
  startSignal: AbortSignal | undefined;
  private holds = new Map<string, Deferred>();

  /** Scripted answers; the defaults behave like a lab that is broken until APPLY. */
  handlers: Partial<Record<LearnerEvent | 'START' | 'TICK', EventHandler>> = {
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
      fake.view = {
        ...fake.view,
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
        services: fake.view.services.map((entry) =>
          entry.name === 'api' ? { ...entry, health: 'healthy', restarts: 0 } : entry,
        ),
      };
      fake.context = { ...fake.context, release: fake.view.release };
      return fake.result('active');
    },
    ROLLBACK: (fake) => {
      fake.view = { ...fake.view, release: fake.view.release + 1 };
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
    return { sessionId: 'abc123', workspace: this.workspace, state, context: this.context };
  }

  unlockHints(count: number): void {
    this.view = { ...this.view, hints: { ...this.view.hints, unlocked: Math.max(this.view.hints.unlocked, count) } };
  }

  /** The next `event` waits until `release()` is called. */
  hold(event: LearnerEvent | 'START' | 'TICK'): () => void {
    const gate = deferred();
    this.holds.set(event, gate);
    return gate.release;
  }

  private async perform(event: LearnerEvent | 'START' | 'TICK', onNotice: NoticeListener): Promise<SessionResult> {
    this.calls.push(event);
    const gate = this.holds.get(event);
    if (gate) {
      this.holds.delete(event);
      await gate.promise;
    }
    const handler = this.handlers[event];
    if (!handler) throw new Error(`no handler for ${event}`);
    return handler(this, onNotice);
  }

  start(onNotice: NoticeListener, signal: AbortSignal): Promise<SessionResult> {
    this.startSignal = signal;
    return this.perform('START', onNotice);
  }

  async describe(): Promise<SessionView> {
    return this.view;
  }

  send(event: LearnerEvent, onNotice: NoticeListener): Promise<SessionResult> {
    return this.perform(event, onNotice);
  }

  tick(onNotice: NoticeListener): Promise<SessionResult> {
    return this.perform('TICK', onNotice);
  }

  async followLogs(name: string, onLine: (line: string) => void, signal: AbortSignal): Promise<void> {
    const lines = this.logs[name];
    if (!lines) throw new Error(`the lab has no container for service ${name}`);
    for (const line of lines) onLine(line);
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  }
}

export type { SessionNotice };
