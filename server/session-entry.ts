/** One session the server runs, and the learner actions its routes accept. */
import type { TickSchedule } from '../engine/index.js';
import type { Slot } from './capacity.js';
import type { LabSession, LearnerEvent } from './engine.js';
import type { EventHub } from './events.js';

export interface SessionEntry {
  readonly id: string;
  readonly scenario: string;
  readonly seed: number;
  /** Whose lab it is (POST /v1/sessions `learner`), for the instructor dashboard. */
  readonly learner?: string;
  readonly workspace: string;
  readonly createdAt: string;
  readonly hub: EventHub;
  readonly lab: LabSession;
  state: string;
  error?: string;
  /** What the server is doing to the session: start, check, apply, rollback, reset, hint, tick, delete. */
  operation?: string;
  current?: Promise<unknown>;
  abort: AbortController;
  slot: Slot;
  deleting?: Promise<void>;
  /** Fires the lab's hint and escalation deadlines while nobody sends a request. */
  ticks?: TickSchedule;
  /** A resting state reached while an operation still runs: published once it has finished. */
  held?: unknown;
}

export const ACTIONS = {
  check: 'CHECK',
  apply: 'APPLY',
  rollback: 'ROLLBACK',
  reset: 'RESET',
  hint: 'HINT',
} as const satisfies Record<string, LearnerEvent>;
export type Action = keyof typeof ACTIONS;
