/**
 * What the instructor dashboard shows, kept live: one row per session the server runs (learner,
 * scenario, state, last score, hints used, since when) and the gradings it received. It follows
 * each session's own event hub — the same events `GET /v1/sessions/{id}/events` streams — so the
 * dashboard never disagrees with the API. Changes go out on `hub`:
 *
 *   session   a session row, whole (added or changed)
 *   removed   {id}: the session was deleted (or the server is shutting down)
 *   grading   a grading row (POST /v1/grade finished, passed, failed or could not run)
 */
import { EventHub, type HubEvent } from '../events.js';
import type { SessionEntry } from '../sessions.js';

export interface DashboardSession {
  id: string;
  learner: string | null;
  scenario: string;
  state: string;
  /** The last check round's score; null before the first check. */
  score: number | null;
  maxScore: number | null;
  passed: boolean | null;
  hintsUsed: number;
  /** Failed check rounds so far. */
  attempts: number;
  createdAt: string;
  error: string | null;
}

export interface DashboardGrading {
  id: number;
  learner: string | null;
  scenario: string;
  outcome: 'passed' | 'failed' | 'error';
  score: number | null;
  maxScore: number | null;
  receivedAt: string;
  durationMs: number;
  /** Why grading could not run (outcome error). */
  message: string | null;
}

export interface DashboardSnapshot {
  serverTime: string;
  sessions: DashboardSession[];
  gradings: DashboardGrading[];
}

/** Gradings kept for the dashboard: the most recent ones. */
export const GRADINGS_KEPT = 200;

const numberOr = (value: unknown, fallback: number) => (typeof value === 'number' ? value : fallback);

export class DashboardFeed {
  readonly hub = new EventHub();
  readonly #sessions = new Map<string, DashboardSession>();
  readonly #gradings: DashboardGrading[] = [];
  #gradingSeq = 0;
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Starts following a session (created or adopted by the registry). */
  track(entry: SessionEntry): void {
    const row: DashboardSession = {
      id: entry.id,
      learner: entry.learner ?? null,
      scenario: entry.scenario,
      state: entry.state,
      score: null,
      maxScore: null,
      passed: null,
      hintsUsed: 0,
      attempts: 0,
      createdAt: entry.createdAt,
      error: entry.error ?? null,
    };
    this.#sessions.set(entry.id, row);
    this.hub.publish('session', { ...row });
    entry.hub.subscribe((event) => this.#follow(row, event));
  }

  #follow(row: DashboardSession, event: HubEvent): void {
    const data = (event.data ?? {}) as Record<string, unknown>;
    switch (event.event) {
      case 'state': {
        row.state = typeof data.state === 'string' ? data.state : row.state;
        row.hintsUsed = numberOr(data.hintsRevealed, row.hintsUsed);
        row.attempts = numberOr(data.attempts, row.attempts);
        const error = data.error as { message?: unknown } | undefined;
        row.error = row.state === 'error' && typeof error?.message === 'string' ? error.message : null;
        break;
      }
      case 'report':
        row.score = numberOr(data.score, 0);
        row.maxScore = numberOr(data.maxScore, 0);
        row.passed = data.passed === true;
        break;
      case 'end':
        this.#sessions.delete(row.id);
        this.hub.publish('removed', { id: row.id });
        return;
      default:
        return;
    }
    if (this.#sessions.has(row.id)) this.hub.publish('session', { ...row });
  }

  /** A grading finished (or could not run). */
  graded(grading: Omit<DashboardGrading, 'id' | 'receivedAt'>): DashboardGrading {
    const row: DashboardGrading = {
      id: ++this.#gradingSeq,
      ...grading,
      receivedAt: new Date(this.#now()).toISOString(),
    };
    this.#gradings.push(row);
    if (this.#gradings.length > GRADINGS_KEPT) this.#gradings.splice(0, this.#gradings.length - GRADINGS_KEPT);
    this.hub.publish('grading', row);
    return row;
  }

  snapshot(): DashboardSnapshot {
    return {
      serverTime: new Date(this.#now()).toISOString(),
      sessions: [...this.#sessions.values()].map((row) => ({ ...row })),
      gradings: this.#gradings.map((row) => ({ ...row })),
    };
  }
}
