/**
 * Whatever the benchmark creates is removed again, even when a measurement fails or the run is
 * interrupted: engine sessions are stopped and swept by `breakfix.session=<id>` (the ids are
 * read back from the workspaces, so a start that died half-way is found too), and the raw
 * baseline's resources carry `breakfix.bench.run=<run id>` and are swept by that.
 *
 * The raw baseline deliberately does not use `breakfix.session`: `breakfix gc` (which another
 * engineer or CI may run meanwhile) would treat a label without a live workspace as garbage and
 * delete the baseline's containers in the middle of a measurement.
 */
import { readFile, rm } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { removeResources } from '../engine/deploy/teardown.js';
import { LABELS } from '../engine/runtime/labels.js';
import { isProcessAlive } from '../engine/util/process-alive.js';
import type { Runtime } from '../engine/runtime/runtime.js';

export const BENCH_LABEL = 'breakfix.bench.run';
export const BENCH_PID_LABEL = 'breakfix.bench.pid';

export class Cleanup {
  readonly sessions = new Set<string>();
  readonly workspaceRoots = new Set<string>();
  readonly children = new Set<number>();
  #interrupted = false;

  constructor(
    readonly runId: string,
    private readonly runtime: () => Promise<Runtime>,
  ) {}

  get interrupted(): boolean {
    return this.#interrupted;
  }

  /** Session ids written by the engine into `<root>/<workspace>/.breakfix/session.json`. */
  async sessionIdsUnder(root: string): Promise<string[]> {
    let names: string[];
    try {
      names = readdirSync(root);
    } catch {
      return [];
    }
    const ids = await Promise.all(
      names.map(async (name) => {
        const text = await readFile(path.join(root, name, '.breakfix', 'session.json'), 'utf8').catch(() => undefined);
        if (!text) return undefined;
        try {
          return (JSON.parse(text) as { sessionId?: string }).sessionId;
        } catch {
          return undefined;
        }
      }),
    );
    return ids.filter((id): id is string => typeof id === 'string');
  }

  /** Sweeps one session's resources by label; returns how many were left. */
  async sweepSession(sessionId: string): Promise<number> {
    const runtime = await this.runtime();
    const left = await runtime.listLabelled(LABELS.session, sessionId);
    if (left.length > 0) await removeResources(runtime, left);
    return left.length;
  }

  /** Everything of this run: tracked sessions, sessions found in tracked workspaces, raw resources. */
  async sweepAll(): Promise<{ sessions: number; resources: number }> {
    for (const pid of this.children) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    }
    for (const root of this.workspaceRoots) for (const id of await this.sessionIdsUnder(root)) this.sessions.add(id);
    let resources = 0;
    for (const id of this.sessions) resources += await this.sweepSession(id).catch(() => 0);
    const runtime = await this.runtime();
    const raw = await runtime.listLabelled(BENCH_LABEL, this.runId);
    if (raw.length > 0) await removeResources(runtime, raw);
    resources += raw.length;
    for (const root of this.workspaceRoots) await rm(root, { recursive: true, force: true }).catch(() => undefined);
    return { sessions: this.sessions.size, resources };
  }

  /** Baseline resources of earlier benchmark runs whose process is gone (a killed run). */
  async sweepStaleRuns(): Promise<number> {
    const runtime = await this.runtime();
    const stale = (await runtime.listLabelled(BENCH_LABEL)).filter((resource) => {
      if (resource.labels[BENCH_LABEL] === this.runId) return false;
      return !isProcessAlive(Number(resource.labels[BENCH_PID_LABEL]));
    });
    if (stale.length > 0) await removeResources(runtime, stale);
    return stale.length;
  }

  /** Ctrl-C / SIGTERM: sweep, then exit 130. A second signal exits at once. */
  installSignalHandlers(log: (line: string) => void): void {
    const onSignal = (signal: NodeJS.Signals) => {
      if (this.#interrupted) process.exit(130);
      this.#interrupted = true;
      log(`bench: ${signal}, cleaning up (again to exit at once)`);
      void this.sweepAll()
        .then((swept) => log(`bench: swept ${swept.resources} resource(s) of ${swept.sessions} session(s)`))
        .catch((error: unknown) => log(`bench: cleanup failed: ${String(error)} (run \`breakfix gc\`)`))
        .finally(() => process.exit(130));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
}
