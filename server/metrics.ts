/**
 * The server's Prometheus metrics, kept by prom-client (the de-facto Node client: text
 * exposition format, label escaping, histogram buckets, process metrics). One registry per app
 * instance, so tests that build many apps never share counts. Sessions by state and lab slots
 * are gauges read at scrape time.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface MetricsSources {
  /** Sessions this server runs, counted by state, read at scrape time. */
  sessionsByState: () => Map<string, number>;
  capacity: () => { max: number; inUse: number };
  /** Lab deploys now: running, waiting their turn, and how many may run at once. */
  deploys?: () => { running: number; waiting: number; limit: number } | undefined;
  /** Dashboard streams open now. */
  dashboardViewers?: () => number;
  /** Also export Node's process metrics (process_*, nodejs_*): only for a real server process. */
  processMetrics?: boolean;
}

export function createServerMetrics(sources: MetricsSources) {
  const registry = new Registry();
  if (sources.processMetrics) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    sessions: new Gauge({
      name: 'breakfix_sessions',
      help: 'Sessions this server runs, by state.',
      labelNames: ['state'] as const,
      registers,
      collect() {
        this.reset();
        for (const [state, count] of sources.sessionsByState()) this.set({ state }, count);
      },
    }),
    slots: new Gauge({
      name: 'breakfix_lab_slots',
      help: 'Lab slots (--max-sessions): in use (sessions and gradings) and the maximum.',
      labelNames: ['kind'] as const,
      registers,
      collect() {
        const { max, inUse } = sources.capacity();
        this.set({ kind: 'in_use' }, inUse);
        this.set({ kind: 'max' }, max);
      },
    }),
    deploys: new Gauge({
      name: 'breakfix_lab_deploys',
      help: 'Lab deploys of this server: running, waiting their turn, and the limit of running (BREAKFIX_DEPLOYS_AT_ONCE).',
      labelNames: ['state'] as const,
      registers,
      collect() {
        const queue = sources.deploys?.();
        if (!queue) return;
        this.set({ state: 'running' }, queue.running);
        this.set({ state: 'waiting' }, queue.waiting);
        this.set({ state: 'limit' }, queue.limit);
      },
    }),
    checkDuration: new Histogram({
      name: 'breakfix_check_duration_seconds',
      help: 'Duration of one check, by check type and status.',
      labelNames: ['type', 'status'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers,
    }),
    grades: new Counter({
      name: 'breakfix_grades_total',
      help: 'Grading rounds by outcome: passed, failed (a check did not pass) or error (grading could not run).',
      labelNames: ['outcome'] as const,
      registers,
    }),
    gradeDuration: new Histogram({
      name: 'breakfix_grade_duration_seconds',
      help: 'Wall time of one grading round, upload excluded.',
      buckets: [5, 10, 20, 30, 45, 60, 90, 120, 180, 300],
      registers,
    }),
    httpRequests: new Counter({
      name: 'breakfix_http_requests_total',
      help: 'HTTP requests by method, route and status.',
      labelNames: ['method', 'route', 'status'] as const,
      registers,
    }),
    httpDuration: new Histogram({
      name: 'breakfix_http_request_duration_seconds',
      help: 'HTTP request duration by method and route (SSE streams excluded).',
      labelNames: ['method', 'route'] as const,
      buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 30, 60, 120],
      registers,
    }),
    dashboardViewers: new Gauge({
      name: 'breakfix_dashboard_viewers',
      help: 'Instructor dashboards connected now (open /dashboard/events streams).',
      registers,
      collect() {
        this.set(sources.dashboardViewers?.() ?? 0);
      },
    }),
  };
}

export type ServerMetrics = ReturnType<typeof createServerMetrics>;
