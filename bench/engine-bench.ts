/**
 * The engine's side of the comparison, through the same entry points the CLI and the server
 * use: `startLab` for the seed scenarios, the session API for a fault-free notes-api lab (the
 * start most comparable with the raw baseline: same containers, no fault, one HTTP symptom),
 * `sendToLab(CHECK | APPLY | STOP)` for the learner's operations.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { resolveScenario, sendToLab, startLabSession as startLab } from '../engine/api.js';
import type { SessionNotice, SessionResult } from '../engine/index.js';
import { labsDir } from '../engine/paths.js';
import { findFault } from '../engine/faults/registry.js';
import type { Runtime } from '../engine/runtime/runtime.js';
import type { RunnableScenario } from '../engine/session/scenario-view.js';
import { sendToSession, startSession, type SessionDeps } from '../engine/session/session.js';
import { runSteps } from '../engine/session/steps-runner.js';
import { overlayFolder } from '../engine/verify/overlay.js';

/** notes-api exactly as the lab ships it, confirmed by one request, like the raw baseline's readiness. */
export const HEALTHY_SCENARIO: RunnableScenario = {
  id: 'bench-healthy',
  title: 'notes-api, no fault (benchmark)',
  lab: 'notes-api',
  faults: [],
  symptoms: [
    {
      type: 'http',
      title: '/health answers 200',
      params: { service: 'api', path: '/health', expect: { status: 200 } },
      timing: { timeoutMs: 5_000, withinMs: 30_000 },
    },
  ],
  checks: [
    {
      id: 'api-healthy',
      title: '/health answers 200',
      type: 'http',
      params: { service: 'api', path: '/health', expect: { status: 200 } },
      points: 100,
      timing: { timeoutMs: 5_000, withinMs: 3_000 },
    },
  ],
  hints: [],
};

export const HEALTHY = 'bench-healthy';

export interface StartOutcome {
  ms: number;
  ok: boolean;
  state: string;
  error?: string;
  sessionId?: string;
  workspace: string;
  /** Milliseconds spent in each machine state, plus `connect` (call → first state). */
  phases: Record<string, number>;
  /** Milliseconds from the call to each service's deploy progress (`db starting`, `api ready`, …), first occurrence. */
  serviceReadyMs: Record<string, number>;
}

export class EngineBench {
  #counter = 0;

  constructor(
    readonly runtime: Runtime,
    readonly root: string,
  ) {}

  nextWorkspace(label: string): string {
    this.#counter += 1;
    return path.join(this.root, `${label}-${this.#counter}`);
  }

  /** From nothing to "active, symptoms confirmed" (or the resting state the start reached). */
  async start(scenario: string, seed = 1): Promise<StartOutcome> {
    const workspace = this.nextWorkspace(scenario);
    await mkdir(this.root, { recursive: true });
    const phases: Record<string, number> = {};
    const serviceReadyMs: Record<string, number> = {};
    const started = performance.now();
    let phase = 'connect';
    let phaseStart = started;
    const onNotice = (notice: SessionNotice) => {
      const now = performance.now();
      if (notice.type === 'state') {
        phases[phase] = (phases[phase] ?? 0) + (now - phaseStart);
        phase = notice.state;
        phaseStart = now;
      } else if (notice.type === 'progress' && notice.progress.phase === 'service') {
        const key = `${notice.progress.service} ${notice.progress.status}`;
        serviceReadyMs[key] ??= now - started;
      }
    };
    let result: SessionResult | undefined;
    let error: string | undefined;
    try {
      if (scenario === HEALTHY) {
        result = await startSession({ scenarioId: HEALTHY, workspace, seed }, this.healthyDeps(onNotice));
      } else {
        result = await startLab({ scenario, workspace, seed, runtime: this.runtime, onNotice });
      }
    } catch (caught) {
      error = caught instanceof Error ? caught.message : String(caught);
    }
    const ms = performance.now() - started;
    const state = result?.state ?? 'failed';
    const failure = error ?? (state !== 'active' ? (result?.context.error?.message ?? `ended in ${state}`) : undefined);
    return {
      ms,
      ok: failure === undefined,
      state,
      ...(failure !== undefined ? { error: failure } : {}),
      ...(result ? { sessionId: result.sessionId } : {}),
      workspace,
      phases,
      serviceReadyMs,
    };
  }

  private healthyDeps(onNotice?: (notice: SessionNotice) => void): SessionDeps {
    return {
      runtime: this.runtime,
      resolveScenario: async () => ({ scenario: HEALTHY_SCENARIO, labSource: path.join(labsDir, 'notes-api') }),
      ...(onNotice ? { onNotice } : {}),
    };
  }

  /** A learner event, timed; the healthy lab's scenario is not in scenarios/, so it gets its own resolver. */
  async send(
    workspace: string,
    scenario: string,
    event: 'CHECK' | 'APPLY' | 'STOP',
  ): Promise<{ ms: number; result: SessionResult }> {
    const started = performance.now();
    let result: SessionResult;
    if (scenario === HEALTHY) {
      result = await sendToSession(workspace, event, this.healthyDeps());
    } else {
      result = await sendToLab(workspace, event, { runtime: this.runtime });
    }
    return { ms: performance.now() - started, result };
  }

  async stop(workspace: string, scenario: string): Promise<number> {
    const { ms } = await this.send(workspace, scenario, 'STOP');
    return ms;
  }

  /** Lays the scenario's reference solution onto the workspace and runs its steps (as `verify` does). */
  async applySolution(workspace: string, scenarioId: string, sessionId: string, seed = 1): Promise<void> {
    const scenario = await resolveScenario(scenarioId, seed);
    if (scenario.solutionDir) await overlayFolder(scenario.solutionDir, workspace, scenario.vars);
    for (const edit of scenario.solution.edits) {
      const definition = findFault(edit.type);
      if (!definition || definition.phase !== 'workspace') throw new Error(`${edit.type} is not a workspace edit`);
      await definition.inject(
        {
          lab: { sessionId: '', scenarioId, workspace },
          runtime: this.runtime,
          labSource: '',
          network: '',
          service: () => ({ container: '', image: '' }),
        },
        definition.params.parse(edit.params),
      );
    }
    await runSteps(workspace, sessionId, scenario.solution.then, {
      runtime: this.runtime,
      resolveScenario: async (id, s) => {
        const resolved = await resolveScenario(id, s);
        return { scenario: resolved, labSource: resolved.labDir };
      },
    });
  }

  /** The one-line source change of the `apply` benchmark. */
  async touchSource(workspace: string, n: number): Promise<void> {
    await appendFile(path.join(workspace, 'app', 'api.py'), `# benchmark edit ${n}\n`);
  }
}
