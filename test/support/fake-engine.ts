/**
 * A fake engine behind the server's ServerEngine interface: its labs are the one fake
 * LabSession (fake-lab-session.ts), scripted here to behave like a real lab seen through the
 * server — a lab "passes" when its workspace compose.yaml publishes port 8080. Route and
 * registry tests use it so they need no Docker; the docker tests use the real engine.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BreakfixError } from '../../engine/errors.js';
import type { GradeReport } from '../../engine/grading/report.js';
import type { SessionContext } from '../../engine/session/context.js';
import type { LearnerEvent, SessionNotice } from '../../engine/session/drive.js';
import { sessionResult } from '../../engine/session/result.js';
import type { SessionResult, SessionView } from '../../engine/session/session.js';
import type { NoticeOptions, ServerEngine } from '../../server/engine.js';
import { FakeLabSession, SCENARIO } from './fake-lab-session.js';

interface FakeSession {
  sessionId: string;
  scenario: string;
  seed: number;
  workspace: string;
  state: string;
  attempts: number;
  release: number;
  hintsRevealed: number;
  createdAt: string;
  lastReport?: GradeReport;
}

export interface Deferred {
  promise: Promise<void>;
  resolve(): void;
}

export function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

export const BROKEN_COMPOSE = 'services:\n  api:\n    ports: ["8081:8080"]\n';
export const FIXED_COMPOSE = 'services:\n  api:\n    ports: ["8080:8080"]\n';

export class FakeEngine implements ServerEngine {
  readonly sessions = new Map<string, FakeSession>();
  /** Resolve to let a start finish; by default starts finish at once. */
  startGate: Deferred | undefined;
  /** Each grading round waits for this, when set. */
  gradeGate: Deferred | undefined;
  readonly graded: Array<{ scenario: string; seed?: number; files: string[] }> = [];
  readonly calls: string[] = [];
  #counter = 0;

  listScenarios() {
    return [
      { id: 'wrong-port', title: 'The API answers on the wrong port', difficulty: 'beginner', tags: ['network'] },
      { id: 'missing-env-var', title: 'The API dies on boot', difficulty: 'beginner', tags: ['config'] },
      { id: 'needs-docker', title: 'Fails like an unreachable Docker', difficulty: 'advanced', tags: [] },
      { id: 'invalid-scenario', title: 'Fails like a broken scenario file', difficulty: 'advanced', tags: [] },
    ];
  }

  randomSeed() {
    return 4242;
  }

  /** What /metrics reports as lab deploys; tests set it. */
  deploys = { running: 0, waiting: 0, limit: 4 };

  deployQueue() {
    return { ...this.deploys };
  }

  #context(session: FakeSession): SessionContext {
    return {
      sessionId: session.sessionId,
      scenarioId: session.scenario,
      seed: session.seed,
      workspace: session.workspace,
      createdAt: Date.parse(session.createdAt),
      attempts: session.attempts,
      hintRules: [{ attempts: 1 }],
      hintsUnlocked: Math.min(1, session.attempts),
      hintsRevealed: session.hintsRevealed,
      escalationDelaysMs: [],
      deadlines: [],
      release: session.release,
      ...(session.lastReport ? { lastReport: session.lastReport } : {}),
    };
  }

  #result(session: FakeSession): SessionResult {
    return sessionResult(session, session.state, this.#context(session));
  }

  #move(session: FakeSession, state: string, options: NoticeOptions) {
    session.state = state;
    options.onNotice?.({ type: 'state', state, context: this.#context(session) });
  }

  /** The labs handed out, by workspace. */
  readonly labs = new Map<string, FakeLabSession>();

  #lab(workspace: string, scenario: string, seed: number): FakeLabSession {
    const lab = new ServerFakeLab(this, { workspace, scenario: { ...SCENARIO, id: scenario, seed } });
    lab.handlers = {
      START: (fake, onNotice) => this.#start({ scenario, workspace, seed, onNotice, signal: fake.startSignal }),
      TICK: () => this.#tick(workspace),
    };
    for (const event of ['CHECK', 'APPLY', 'ROLLBACK', 'RESET', 'HINT', 'STOP'] as const)
      lab.handlers[event] = (_fake, onNotice) => this.#send(workspace, event, { onNotice });
    this.labs.set(workspace, lab);
    return lab;
  }

  async createLab(options: { scenario: string; workspace: string; seed: number }): Promise<FakeLabSession> {
    this.calls.push(`start ${options.scenario}`);
    // Where the real engine fails before any work: connecting to Docker, loading the scenario.
    if (options.scenario === 'needs-docker')
      throw new BreakfixError(
        'environment',
        'Docker is not reachable: connect ECONNREFUSED /var/run/docker.sock',
        'run `breakfix doctor --fix`',
      );
    if (options.scenario === 'invalid-scenario')
      throw new BreakfixError('scenario', 'scenario invalid-scenario is invalid:\n  scenario.yaml:3:1: missing checks');
    return this.#lab(options.workspace, options.scenario, options.seed);
  }

  async openLab(workspace: string): Promise<FakeLabSession> {
    const session = this.#session(workspace);
    return this.labs.get(workspace) ?? this.#lab(workspace, session.scenario, session.seed);
  }

  async #start(options: NoticeOptions & { scenario: string; workspace: string; seed: number }): Promise<SessionResult> {
    if (existsSync(options.workspace)) throw new BreakfixError('usage', `${options.workspace} is not empty`);
    await mkdir(path.join(options.workspace, '.breakfix'), { recursive: true });
    await writeFile(path.join(options.workspace, 'compose.yaml'), BROKEN_COMPOSE);
    await writeFile(path.join(options.workspace, '.breakfix', 'session.json'), '{}');
    this.#counter += 1;
    const session: FakeSession = {
      sessionId: `fake${this.#counter.toString().padStart(2, '0')}`,
      scenario: options.scenario,
      seed: options.seed,
      workspace: options.workspace,
      state: 'preparing',
      attempts: 0,
      release: 0,
      hintsRevealed: 0,
      createdAt: new Date().toISOString(),
    };
    this.sessions.set(options.workspace, session);
    this.#move(session, 'preparing', options);
    await this.startGate?.promise;
    if (options.signal?.aborted) {
      this.#move(session, 'tearingDown', options);
      this.#move(session, 'stopped', options);
      return this.#result(session);
    }
    this.#move(session, 'building', options);
    options.onNotice?.({
      type: 'progress',
      progress: {
        phase: 'build',
        service: 'api',
        event: { kind: 'step', step: 1, total: 2, instruction: 'FROM breakfix/base:bookworm' },
      },
    });
    this.#move(session, 'deploying', options);
    options.onNotice?.({ type: 'progress', progress: { phase: 'service', service: 'api', status: 'ready' } });
    this.#move(session, 'injecting', options);
    options.onNotice?.({
      type: 'fault',
      phase: 'workspace',
      fault: 'compose.set',
      description: 'the api publishes the wrong port',
    });
    this.#move(session, 'active', options);
    return this.#result(session);
  }

  #session(workspace: string): FakeSession {
    const session = this.sessions.get(workspace);
    if (!session) throw new BreakfixError('workspace', `${workspace} holds no breakfix session`);
    return session;
  }

  async #report(scenario: string, compose: string, seed?: number): Promise<GradeReport> {
    const fixed = compose.includes('"8080:8080"');
    const checks = [
      {
        id: 'api-reachable',
        title: 'The API answers on port 8080',
        type: 'http',
        status: fixed ? 'passed' : 'failed',
        passed: fixed,
        errored: false,
        points: fixed ? 70 : 0,
        maxPoints: 70,
        message: fixed ? 'GET /health: 200' : 'GET http://127.0.0.1:8080/health: expected 200, got connection refused',
        ...(fixed ? {} : { hint: 'Which port does the api publish?' }),
        durationMs: 120,
      },
      {
        id: 'api-stable',
        title: 'The API stays up',
        type: 'container',
        status: 'passed',
        passed: true,
        errored: false,
        points: 30,
        maxPoints: 30,
        message: 'running, 0 restarts',
        durationMs: 15,
      },
    ] as GradeReport['checks'];
    const score = checks.reduce((sum, check) => sum + check.points, 0);
    return {
      scenario,
      passed: fixed,
      score,
      maxScore: 100,
      checks,
      startedAt: new Date().toISOString(),
      durationMs: 150,
      ...(seed !== undefined ? { seed } : {}),
    };
  }

  async #send(workspace: string, event: LearnerEvent, options: NoticeOptions = {}): Promise<SessionResult> {
    this.calls.push(`${event} ${workspace}`);
    const session = this.#session(workspace);
    if (session.state === 'stopped')
      throw new BreakfixError(
        'usage',
        `cannot ${event.toLowerCase()}: the lab is stopped`,
        undefined,
        'session-stopped',
      );
    switch (event) {
      case 'CHECK': {
        this.#move(session, 'checking', options);
        const report = await this.#report(
          session.scenario,
          await readFile(path.join(workspace, 'compose.yaml'), 'utf8'),
          session.seed,
        );
        session.lastReport = report;
        if (!report.passed) session.attempts += 1;
        options.onNotice?.({ type: 'report', report });
        this.#move(session, report.passed ? 'passed' : 'active', options);
        break;
      }
      case 'APPLY':
      case 'ROLLBACK':
        this.#move(session, 'applying', options);
        session.release += 1;
        options.onNotice?.({
          type: 'release',
          release: {
            number: session.release,
            at: new Date().toISOString(),
            kind: event === 'APPLY' ? 'apply' : 'rollback',
            images: {},
            plan: { services: {} } as never,
          },
        });
        this.#move(session, 'active', options);
        break;
      case 'RESET':
        this.#move(session, 'resetting', options);
        session.attempts = 0;
        await writeFile(path.join(workspace, 'compose.yaml'), BROKEN_COMPOSE);
        this.#move(session, 'active', options);
        break;
      case 'HINT':
        if (session.attempts === 0)
          throw new BreakfixError('usage', 'no hint is unlocked yet', 'run a check first', 'no-hint-yet');
        session.hintsRevealed += 1;
        // As the real engine does after every operation: the resting state, announced again.
        this.#move(session, session.state, options);
        break;
      case 'STOP':
        this.#move(session, 'tearingDown', options);
        this.#move(session, 'stopped', options);
        break;
    }
    return this.#result(session);
  }

  async #tick(workspace: string): Promise<SessionResult> {
    return this.#result(this.#session(workspace));
  }

  async describeLab(workspace: string): Promise<SessionView> {
    const session = this.#session(workspace);
    return {
      sessionId: session.sessionId,
      scenarioId: session.scenario,
      title: 'Fake lab',
      workspace,
      seed: session.seed,
      state: session.state,
      createdAt: session.createdAt,
      attempts: session.attempts,
      release: session.release,
      releases: session.release + 1,
      ...(session.lastReport ? { lastReport: session.lastReport } : {}),
      hints: {
        revealed: session.hintsRevealed > 0 ? ['Which port does the api publish?'] : [],
        unlocked: Math.min(1, session.attempts),
        total: 1,
      },
      services: [
        {
          name: 'api',
          container: `bf-${session.sessionId}-api`,
          status: 'running',
          health: 'healthy',
          restarts: 0,
          exitCode: 0,
          ports: [{ container: 8080, host: 49_153, protocol: 'tcp' }],
          image: 'bf-api:1',
        },
      ],
    };
  }

  hasSession(workspace: string): boolean {
    return this.sessions.has(workspace);
  }

  async gradeLab(options: NoticeOptions & { scenario: string; submission: string; seed?: number; learner?: string }) {
    this.calls.push(`grade ${options.scenario}`);
    if (options.scenario === 'needs-docker') throw new BreakfixError('environment', 'Docker is not reachable');
    const files: string[] = [];
    const walk = async (dir: string, prefix: string) => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
        files.push(entry.isSymbolicLink() ? `${relative}@` : entry.isDirectory() ? `${relative}/` : relative);
        if (entry.isDirectory()) await walk(path.join(dir, entry.name), relative);
      }
    };
    await walk(options.submission, '');
    this.graded.push({
      scenario: options.scenario,
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      files: files.sort(),
    });
    await this.gradeGate?.promise;
    const compose = await readFile(path.join(options.submission, 'compose.yaml'), 'utf8').catch(() => '');
    const report = await this.#report(options.scenario, compose, options.seed ?? 1);
    return {
      report: { ...report, ...(options.learner !== undefined ? { learner: options.learner } : {}) },
      dropped: [],
      deployed: true,
    };
  }
}

/** A fake lab whose view is the engine's in-memory session (not a scripted `view`). */
class ServerFakeLab extends FakeLabSession {
  constructor(
    private readonly engine: FakeEngine,
    options: ConstructorParameters<typeof FakeLabSession>[0],
  ) {
    super(options);
  }

  override describe(): Promise<SessionView> {
    return this.engine.describeLab(this.workspace);
  }
}

export type { SessionNotice };
