/**
 * `POST /v1/grade`: unpack the uploaded workspace into a private temporary folder, let the engine
 * grade it (sandbox copy, fresh lab, checks, teardown), remove the folder. In-flight rounds are
 * tracked so a shutdown can stop them (their labs are torn down by the engine on abort).
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { GradeResult, ServerEngine } from './engine.js';
import { ApiError } from './errors.js';
import type { ServerMetrics } from './metrics.js';
import { DEFAULT_EXTRACT_LIMITS, extractWorkspace, type ExtractLimits } from './upload.js';

export interface GradeRequest {
  scenario: string;
  seed?: number;
  /** Whose submission it is: recorded in the report. */
  learner?: string;
  archive: Uint8Array;
  /** The request's signal: a client that goes away stops its grading round. */
  signal?: AbortSignal;
}

export class Grader {
  readonly #running = new Set<{ abort: AbortController; done: Promise<unknown> }>();

  constructor(
    private readonly engine: ServerEngine,
    private readonly dataDir: string,
    private readonly metrics?: ServerMetrics,
    private readonly limits: ExtractLimits = DEFAULT_EXTRACT_LIMITS,
  ) {}

  get running(): number {
    return this.#running.size;
  }

  async grade(request: GradeRequest): Promise<GradeResult> {
    const abort = new AbortController();
    const signal = request.signal ? AbortSignal.any([abort.signal, request.signal]) : abort.signal;
    const work = this.#grade(request, signal);
    const handle = { abort, done: work.catch(() => undefined) };
    this.#running.add(handle);
    try {
      return await work;
    } finally {
      this.#running.delete(handle);
    }
  }

  async #grade(request: GradeRequest, signal: AbortSignal): Promise<GradeResult> {
    const root = path.join(this.dataDir, 'grades');
    await mkdir(root, { recursive: true, mode: 0o700 });
    const dir = await mkdtemp(path.join(root, `${request.scenario}-`));
    const started = performance.now();
    try {
      const submission = await extractWorkspace(request.archive, path.join(dir, 'upload'), this.limits);
      const result = await this.engine.gradeLab({
        scenario: request.scenario,
        submission,
        ...(request.seed !== undefined ? { seed: request.seed } : {}),
        ...(request.learner !== undefined ? { learner: request.learner } : {}),
        signal,
      });
      if (signal.aborted)
        throw new ApiError(503, 'unavailable', 'grading was interrupted (server shutting down or client gone)');
      this.metrics?.grades.inc({ outcome: result.report.passed ? 'passed' : 'failed' });
      this.metrics?.gradeDuration.observe((performance.now() - started) / 1000);
      for (const check of result.report.checks)
        this.metrics?.checkDuration.observe({ type: check.type, status: check.status }, check.durationMs / 1000);
      return result;
    } catch (error) {
      // A bad upload is the client's; anything else means grading could not run.
      if (!(error instanceof ApiError && error.status < 500)) this.metrics?.grades.inc({ outcome: 'error' });
      throw error;
    } finally {
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  /** Stops every grading round and waits for the engine to tear their labs down. */
  async shutdown(): Promise<void> {
    for (const handle of this.#running) handle.abort.abort();
    await Promise.all([...this.#running].map((handle) => handle.done));
  }
}
