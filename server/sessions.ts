/**
 * The sessions this server runs. The engine keeps a session in a workspace folder; the server
 * owns those folders (`<data dir>/sessions/<scenario>-<random>/`) and maps session ids to them.
 *
 * - `create` returns as soon as the engine has named the session; the lab comes up in the
 *   background and its progress goes to the session's event hub (SSE).
 * - One operation per session at a time: a second one gets 409 while the first runs.
 * - Hint and escalation deadlines fire from each lab's own tick schedule (LabSession
 *   `scheduleTicks`), since nobody else would drive the session while no request comes in.
 * - `delete` stops the lab (the engine tears it down by label) and removes the workspace;
 *   `shutdown` deletes every session, so a stopped server leaves nothing running.
 * - `adopt` picks up sessions a previous server left in the data dir (after a crash), so they
 *   can be listed, used and deleted again.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { BreakfixError, failureCodeOf, isRestingState, type GradeReport, type SessionNotice } from '../engine/index.js';
import type { Capacity, Slot } from './capacity.js';
import type { LabSession, ServerEngine, SessionResult } from './engine.js';
import { conflict, notFound } from './errors.js';
import { EventHub } from './events.js';
import { readLearnerLabel, removeLearnerLabel, saveLearnerLabel } from './learner-labels.js';
import { links, toSessionBody, type SessionBody } from './schemas.js';
import { noticeEvent, stateEventData } from './session-notices.js';
import { ACTIONS, type Action, type SessionEntry } from './session-entry.js';

export { ACTIONS, type Action, type SessionEntry } from './session-entry.js';

export interface RegistryOptions {
  engine: ServerEngine;
  capacity: Capacity;
  /** Workspaces live in `<dataDir>/sessions/`. */
  dataDir: string;
  /** Every check result the engine reports (for metrics). */
  onReport?: (report: GradeReport) => void;
  /** Every session this registry takes on (created or adopted): the dashboard follows its events. */
  onAdded?: (entry: SessionEntry) => void;
  /** Operational messages (adoption, failed teardown); never secrets. */
  log?: (message: string, fields?: Record<string, unknown>) => void;
  now?: () => number;
}

export class SessionRegistry {
  readonly #entries = new Map<string, SessionEntry>();
  readonly #options: RegistryOptions;
  readonly sessionsDir: string;

  constructor(options: RegistryOptions) {
    this.#options = options;
    this.sessionsDir = path.join(options.dataDir, 'sessions');
  }

  get size(): number {
    return this.#entries.size;
  }

  entries(): SessionEntry[] {
    return [...this.#entries.values()];
  }

  get(id: string): SessionEntry {
    const entry = this.#entries.get(id);
    if (!entry) throw notFound(`no session ${id} on this server`, 'GET /v1/sessions lists them');
    return entry;
  }

  /** 404 for an unknown scenario, before any slot or folder is used. */
  assertScenario(id: string): void {
    if (!this.#options.engine.listScenarios().some((scenario) => (scenario.ref ?? scenario.id) === id)) {
      throw notFound(`unknown scenario ${id}`, 'GET /v1/scenarios lists them');
    }
  }

  #notice(entry: SessionEntry, notice: SessionNotice): void {
    switch (notice.type) {
      case 'state': {
        entry.state = notice.state;
        const data = stateEventData(entry.id, notice.state, notice.context);
        this.#publishHeld(entry);
        // A client that sees `active` acts at once; until the engine has persisted the session
        // the operation is still running, so a resting state is announced when it has ended.
        if (entry.operation && isRestingState(notice.state)) entry.held = data;
        else entry.hub.publish('state', data);
        break;
      }
      default: {
        if (notice.type === 'report') this.#options.onReport?.(notice.report);
        const event = noticeEvent(notice);
        if (event) entry.hub.publish(event.event, event.data);
      }
    }
  }

  #publishHeld(entry: SessionEntry): void {
    if (entry.held === undefined) return;
    const held = entry.held;
    delete entry.held;
    entry.hub.publish('state', held);
  }

  /** The operation is over: the next one may start, and a held resting state is announced. */
  #finish(entry: SessionEntry, operation: string): void {
    if (entry.operation === operation) delete entry.operation;
    delete entry.current;
    this.#publishHeld(entry);
  }

  #settle(entry: SessionEntry, result: SessionResult): void {
    entry.state = result.state;
    if (result.error) entry.error = result.error.message;
    else delete entry.error;
  }

  /** The lab's own tick loop, waiting while another operation of this server runs. */
  #startTicking(entry: SessionEntry): void {
    entry.ticks = entry.lab.scheduleTicks({
      busy: () => entry.operation !== undefined || entry.deleting !== undefined,
      retryMs: 1_000,
      ...(this.#options.now ? { now: this.#options.now } : {}),
      tick: () => this.#tick(entry),
      onError: (error) =>
        this.#options.log?.('tick failed', {
          session: entry.id,
          error: error instanceof Error ? error.message : String(error),
        }),
    });
  }

  #fail(entry: SessionEntry, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    delete entry.held;
    entry.state = 'error';
    entry.error = message;
    entry.hub.publish('state', {
      id: entry.id,
      state: 'error',
      error: { message, ...(error instanceof BreakfixError ? { kind: error.kind } : {}) },
    });
    this.#options.log?.('session operation failed', { session: entry.id, error: message });
  }

  async #tick(entry: SessionEntry): Promise<SessionResult> {
    entry.operation = 'tick';
    const run = entry.lab.tick({ onNotice: (notice) => this.#notice(entry, notice) });
    entry.current = run;
    try {
      const result = await run;
      this.#settle(entry, result);
      return result;
    } finally {
      this.#finish(entry, 'tick');
    }
  }

  /**
   * Starts a lab in a new server-owned workspace and returns once the engine has named the
   * session (the lab keeps coming up in the background). Holds `slot` until the session is deleted.
   */
  async create(scenario: string, seed: number | undefined, slot: Slot, learner?: string): Promise<SessionEntry> {
    const { engine } = this.#options;
    try {
      this.assertScenario(scenario);
    } catch (error) {
      slot.release();
      throw error;
    }
    const seedValue = seed ?? engine.randomSeed();
    await mkdir(this.sessionsDir, { recursive: true });
    const workspace = path.join(this.sessionsDir, `${scenario.replace('/', '--')}-${randomBytes(4).toString('hex')}`);
    const hub = new EventHub();
    const abort = new AbortController();
    const early: SessionNotice[] = [];
    let entry: SessionEntry | undefined;
    let named: (id: string) => void = () => undefined;
    const idKnown = new Promise<string>((resolve) => (named = resolve));

    const onNotice = (notice: SessionNotice) => {
      if (entry) return this.#notice(entry, notice);
      early.push(notice);
      if (notice.type === 'state' && notice.context?.sessionId) named(notice.context.sessionId);
    };
    let lab: LabSession;
    try {
      lab = await engine.createLab({ scenario, workspace, seed: seedValue });
    } catch (error) {
      slot.release();
      throw error;
    }
    // Named as soon as the session exists on disk, before the (long) start.
    const started = lab.start({ onNotice, signal: abort.signal, onSession: (session) => named(session.sessionId) });
    const first = await Promise.race([
      idKnown.then((id) => ({ id })),
      started.then(
        (result) => ({ id: result.sessionId }),
        (error: unknown) => ({ error }),
      ),
    ]);
    if ('error' in first) {
      slot.release();
      await rm(workspace, { recursive: true, force: true }).catch(() => undefined);
      throw first.error;
    }
    const created: SessionEntry = {
      id: first.id,
      scenario,
      seed: seedValue,
      ...(learner !== undefined ? { learner } : {}),
      workspace,
      createdAt: new Date().toISOString(),
      hub,
      lab,
      state: 'preparing',
      abort,
      slot,
      operation: 'start',
    };
    entry = created;
    this.#entries.set(created.id, created);
    await saveLearnerLabel(workspace, learner).catch(() => undefined);
    this.#options.onAdded?.(created);
    for (const notice of early) this.#notice(created, notice);
    this.#startTicking(created);
    created.current = started
      .then(
        (result) => this.#settle(created, result),
        (error: unknown) => this.#fail(created, error),
      )
      .finally(() => this.#finish(created, 'start'));
    return created;
  }

  /** One learner action, run to completion; 409 while another one runs. */
  async act(id: string, action: Action): Promise<SessionResult> {
    const entry = this.get(id);
    if (entry.deleting) throw conflict(`session ${id} is being deleted`);
    if (entry.operation)
      throw conflict(
        `session ${id} is busy: ${entry.operation} in progress`,
        `wait for it to finish (GET /v1/sessions/${id}/events shows progress), then try again`,
      );
    entry.operation = action;
    const run = entry.lab.send(ACTIONS[action], { onNotice: (notice) => this.#notice(entry, notice) });
    entry.current = run;
    try {
      const result = await run;
      this.#settle(entry, result);
      return result;
    } catch (error) {
      // "cannot check: the lab is stopped", "the session is busy": the request was fine, the state is not.
      if (error instanceof BreakfixError && error.kind === 'usage') throw conflict(error.message, error.hint);
      throw error;
    } finally {
      this.#finish(entry, action);
    }
  }

  async describe(id: string): Promise<SessionBody> {
    const entry = this.get(id);
    const view = await entry.lab.describe();
    // This server is the only one driving the session: its last notice is the freshest state
    // (the file on disk still says `deploying` until the engine persists the resting state).
    return {
      ...toSessionBody(view, entry.operation),
      ...(entry.learner !== undefined ? { learner: entry.learner } : {}),
      state: entry.state,
    };
  }

  summaries() {
    return this.entries().map((entry) => ({
      id: entry.id,
      scenario: entry.scenario,
      seed: entry.seed,
      ...(entry.learner !== undefined ? { learner: entry.learner } : {}),
      state: entry.state,
      ...(entry.operation ? { operation: entry.operation } : {}),
      createdAt: entry.createdAt,
      ...(entry.error ? { error: entry.error } : {}),
      links: links(entry.id),
    }));
  }

  /** Stops the lab (tearing it down), removes the workspace and frees the slot. Idempotent. */
  delete(id: string, reason = 'deleted'): Promise<void> {
    const entry = this.get(id);
    entry.deleting ??= (async () => {
      entry.ticks?.stop();
      // A lab still coming up is stopped where it is: the engine tears down what it created.
      if (entry.operation === 'start') entry.abort.abort();
      await entry.current?.catch(() => undefined);
      entry.operation = 'delete';
      try {
        await entry.lab.send('STOP', { onNotice: (notice) => this.#notice(entry, notice) });
      } catch (error) {
        // Already stopped is fine; anything else (Docker unreachable) keeps the session so a retry can finish the job.
        if (failureCodeOf(error) !== 'session-stopped') {
          delete entry.operation;
          delete entry.deleting;
          throw error;
        }
      }
      this.#finish(entry, 'delete');
      entry.state = 'stopped';
      entry.hub.end(reason, { id: entry.id });
      await removeLearnerLabel(entry.workspace).catch(() => undefined);
      await rm(entry.workspace, { recursive: true, force: true }).catch((error: unknown) =>
        this.#options.log?.('could not remove a workspace', { session: entry.id, error: String(error) }),
      );
      entry.slot.release();
      this.#entries.delete(entry.id);
    })();
    return entry.deleting;
  }

  /** Deletes every session (server shutdown). Failures are logged, never thrown. */
  async shutdown(): Promise<void> {
    await Promise.all(
      this.entries().map((entry) =>
        this.delete(entry.id, 'shutdown').catch((error: unknown) =>
          this.#options.log?.('could not stop a session at shutdown', {
            session: entry.id,
            error: error instanceof Error ? error.message : String(error),
          }),
        ),
      ),
    );
  }

  /** Takes over the sessions a previous server left in the data dir; stopped ones are cleared away. */
  async adopt(): Promise<number> {
    const { engine, capacity } = this.#options;
    const names = await readdir(this.sessionsDir).catch(() => [] as string[]);
    let adopted = 0;
    for (const name of names) {
      const workspace = path.join(this.sessionsDir, name);
      if (!engine.hasSession(workspace)) continue;
      const lab = await engine.openLab(workspace).catch(() => undefined);
      const view = await lab?.describe().catch(() => undefined);
      if (!lab || !view) continue;
      if (view.state === 'stopped') {
        await rm(workspace, { recursive: true, force: true }).catch(() => undefined);
        continue;
      }
      if (this.#entries.has(view.sessionId)) continue;
      const slot = capacity.tryAcquire('session', true)!;
      const learner = await readLearnerLabel(workspace);
      const entry: SessionEntry = {
        id: view.sessionId,
        scenario: view.scenarioId,
        seed: view.seed,
        ...(learner !== undefined ? { learner } : {}),
        workspace,
        createdAt: view.createdAt,
        hub: new EventHub(),
        lab,
        state: view.state,
        abort: new AbortController(),
        slot,
      };
      this.#entries.set(view.sessionId, entry);
      this.#options.onAdded?.(entry);
      // The deadlines it had are known from describe(): tick them as before the restart.
      this.#startTicking(entry);
      adopted += 1;
      this.#options.log?.('adopted a session left by a previous server', {
        session: view.sessionId,
        state: view.state,
      });
    }
    return adopted;
  }
}
