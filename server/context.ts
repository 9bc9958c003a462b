/**
 * What routes and middleware share: the services of one server instance and the per-request
 * variables Hono carries in its context.
 */
import type { Capacity, Slot } from './capacity.js';
import type { DashboardFeed } from './dashboard/feed.js';
import type { ServerEngine } from './engine.js';
import type { Grader } from './grader.js';
import type { ServerMetrics } from './metrics.js';
import type { DashboardAuth } from './middleware/dashboard-auth.js';
import type { SessionRegistry } from './sessions.js';

export interface Limits {
  /** JSON request bodies (create session, actions). */
  jsonBytes: number;
  /** One workspace file written with PUT …/files/*path. */
  fileBytes: number;
  /** The upload of POST /v1/grade, as sent (compressed or not). */
  uploadBytes: number;
  /** The upload once decompressed, and the sum of its file sizes. */
  unpackedBytes: number;
  /** Entries (files, folders, links) in an uploaded archive. */
  archiveEntries: number;
}

export const DEFAULT_LIMITS: Limits = {
  jsonBytes: 64 * 1024,
  fileBytes: 1024 * 1024,
  uploadBytes: 20 * 1024 * 1024,
  unpackedBytes: 100 * 1024 * 1024,
  archiveEntries: 10_000,
};

export interface Services {
  engine: ServerEngine;
  registry: SessionRegistry;
  grader: Grader;
  capacity: Capacity;
  metrics: ServerMetrics;
  limits: Limits;
  version: string;
  /** Interval of SSE heartbeats (comment lines), in ms. */
  heartbeatMs: number;
  /** Aborted when the server starts shutting down: SSE streams end, new requests get 503. */
  closing: AbortSignal;
  /** Requests being handled, SSE streams excluded: shutdown waits for them. */
  inflight: InflightTracker;
  /** Operational log lines (JSON), never secrets. */
  log: (message: string, fields?: Record<string, unknown>) => void;
  /** The instructor dashboard: its live feed, its sign-in, and how many are watching. */
  dashboard: { feed: DashboardFeed; auth: DashboardAuth; viewers: number };
}

export interface AppEnv {
  Variables: {
    slot: Slot;
    /** Hand the request's slot over to a session (it then outlives the request). */
    adoptSlot: () => Slot;
    services: Services;
  };
}

export class InflightTracker {
  #count = 0;
  #idle: Array<() => void> = [];

  get count(): number {
    return this.#count;
  }

  enter(): () => void {
    this.#count += 1;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.#count -= 1;
      if (this.#count === 0) for (const resolve of this.#idle.splice(0)) resolve();
    };
  }

  /** Resolves when no request is in flight (at once if none is). */
  idle(): Promise<void> {
    return this.#count === 0 ? Promise.resolve() : new Promise((resolve) => this.#idle.push(resolve));
  }
}
