/**
 * A probe: disturb the fixed lab, watch it react, put it back, and make sure it came back.
 *
 *   baseline → record the pending restore → perturb → observe (the check, within its window)
 *   → undo (always: failure, error, interruption) → clear the record → the lab recovers
 *
 * The check types know nothing of this: the probe composes a check with faults, so a check
 * body stays one observation and a fault type stays one way of breaking things.
 */
import type { TimedOutcome } from '../checks/runner.js';
import type { FaultContext } from '../faults/fault.js';
import { findFault } from '../faults/registry.js';
import type { ProgressListener } from '../deploy/progress.js';
import type { Runtime } from '../runtime/runtime.js';
import type { FaultEntry } from '../scenario/schema.js';
import { takeBaseline, waitForBaseline } from './baseline.js';
import { redeployHolding } from './deploy-hold.js';
import { rollForward } from './release-forward.js';
import { redeployAfterSql } from './deploy-sql.js';
import { deploySql } from './perturbation.js';
import { readReleases } from '../deploy/releases.js';
import {
  clearPendingRestore,
  undoPerturbation,
  writePendingRestore,
  type PendingPerturbation,
  type PendingRestore,
} from './pending.js';

export interface ProbeDeps {
  runtime: Runtime;
  /** The session's state folder, where the pending restore is recorded. */
  stateDir: string;
  faultContext: FaultContext;
  /** The lab's services and their containers, for the baseline. */
  services: Array<{ service: string; container: string }>;
  /** One run of the check under its own timing (the runner's retry window). */
  observe: (signal?: AbortSignal) => Promise<TimedOutcome>;
  onProgress?: ProgressListener;
}

export interface ProbeSpec {
  id: string;
  perturb: FaultEntry[];
  recoverMs: number;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Applies one perturbation; returns what was done, in words. */
async function perturb(
  deps: ProbeDeps,
  entry: FaultEntry,
  signal?: AbortSignal,
): Promise<{ done: string; undo: PendingPerturbation }> {
  if (signal?.aborted) throw new Error('interrupted before the lab was perturbed');
  if (entry.type === 'deploy.hold') {
    const service = String(entry.params.service);
    const forMs = Number(entry.params.for ?? 5000);
    const result = await redeployHolding({
      lab: deps.faultContext.lab,
      runtime: deps.runtime,
      stateDir: deps.stateDir,
      service,
      forMs,
      ...(deps.onProgress ? { onProgress: deps.onProgress } : {}),
      // Not interruptible: a redeploy stopped half-way would leave the lab half-replaced.
    });
    return { done: result.detail, undo: { type: entry.type, params: entry.params } };
  }
  if (entry.type === 'deploy.sql') {
    const done = await redeployAfterSql(
      {
        lab: deps.faultContext.lab,
        runtime: deps.runtime,
        stateDir: deps.stateDir,
        ...(deps.onProgress ? { onProgress: deps.onProgress } : {}),
      },
      deploySql.params.parse(entry.params),
    );
    return { done, undo: { type: entry.type, params: entry.params } };
  }
  if (entry.type === 'release.forward') {
    const { done, running } = await rollForward({
      lab: deps.faultContext.lab,
      runtime: deps.runtime,
      stateDir: deps.stateDir,
      ...(deps.onProgress ? { onProgress: deps.onProgress } : {}),
    });
    return { done, undo: { type: entry.type, params: entry.params, captured: running } };
  }
  const definition = findFault(entry.type);
  if (!definition?.restore) throw new Error(`${entry.type} cannot be undone, so it cannot perturb a lab`);
  const params = definition.params.parse(entry.params);
  const captured = definition.restore.capture ? await definition.restore.capture(deps.faultContext, params) : undefined;
  const done = await definition.inject({ ...deps.faultContext, ...(signal ? { signal } : {}) }, params);
  return { done, undo: { type: entry.type, params: entry.params, ...(captured !== undefined ? { captured } : {}) } };
}

export async function runProbe(spec: ProbeSpec, deps: ProbeDeps, signal?: AbortSignal): Promise<TimedOutcome> {
  const started = performance.now();
  const baseline = await takeBaseline(deps.runtime, deps.services);
  // Recorded before anything is disturbed: a kill at any later point leaves the record.
  const pending: PendingRestore = {
    pid: process.pid,
    since: new Date().toISOString(),
    check: spec.id,
    perturbations: await Promise.all(
      spec.perturb.map(async (entry): Promise<PendingPerturbation> => {
        // What undoing a roll-forward redeploys is known before it starts: a kill in the
        // middle of the redeploy must still find its way back.
        if (entry.type !== 'release.forward') return { type: entry.type, params: entry.params };
        const running = (await readReleases(deps.stateDir)).at(-1)?.number;
        return { type: entry.type, params: entry.params, ...(running !== undefined ? { captured: running } : {}) };
      }),
    ),
  };
  await writePendingRestore(deps.stateDir, pending);

  const evidence: string[] = [];
  const applied: PendingPerturbation[] = [];
  let observed: TimedOutcome | undefined;
  let setupError: string | undefined;
  let undoError: string | undefined;
  try {
    for (const entry of spec.perturb) {
      const { done, undo } = await perturb(deps, entry, signal);
      applied.push(undo);
      evidence.push(`perturbed: ${done}`);
      // The captured state is what another process needs to undo: record it as it arrives.
      await writePendingRestore(deps.stateDir, {
        ...pending,
        perturbations: [...applied, ...pending.perturbations.slice(applied.length)],
      });
    }
    observed = await deps.observe(signal);
    evidence.push(`observed after ${seconds(observed.durationMs)}: ${observed.message}`);
  } catch (error) {
    // The lab refusing a perturbation (a service the fix removed, a stopped container) is the
    // submission's doing; what it means is judged below, after the lab is put back.
    setupError = error instanceof Error ? error.message : String(error);
  } finally {
    const failures: string[] = [];
    // Everything recorded is undone, applied or not: an undo is safe on what never happened.
    for (const entry of [...pending.perturbations.map((item, index) => applied[index] ?? item)].reverse()) {
      try {
        await undoPerturbation(deps.faultContext, entry, deps.stateDir);
      } catch (error) {
        failures.push(`${entry.type}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (failures.length === 0) await clearPendingRestore(deps.stateDir);
    else undoError = failures.join('; ');
  }
  const elapsed = () => Math.round(performance.now() - started);
  const attempts = observed?.attempts ?? 0;
  if (undoError !== undefined) {
    // The record stays: the next command or `breakfix gc` tries again.
    return {
      status: 'errored',
      message: `could not undo the probe's perturbation: ${undoError}`,
      evidence: evidence.join('\n'),
      durationMs: elapsed(),
      attempts,
    };
  }
  evidence.push('restored');
  if (setupError !== undefined) {
    return {
      status: 'failed',
      message: `the lab could not be perturbed as the probe needs: ${setupError}`,
      evidence: evidence.join('\n'),
      durationMs: elapsed(),
      attempts,
    };
  }
  const outcome = observed as TimedOutcome;
  const recovered = await waitForBaseline(deps.runtime, baseline, spec.recoverMs, signal);
  if (recovered.ok) evidence.push(`recovered after ${seconds(recovered.ms)}`);
  else evidence.push(`not recovered after ${seconds(spec.recoverMs)}: ${recovered.lagging.join(', ')}`);
  if (outcome.status !== 'passed') {
    return {
      ...outcome,
      message: `${describeDone(evidence)}: ${outcome.message}`,
      evidence: evidence.join('\n'),
      durationMs: elapsed(),
    };
  }
  if (!recovered.ok) {
    return {
      status: signal?.aborted ? 'errored' : 'failed',
      message: `${describeDone(evidence)}, the lab reacted as expected but did not recover within ${seconds(spec.recoverMs)} once restored: ${recovered.lagging.join(', ')}`,
      evidence: evidence.join('\n'),
      durationMs: elapsed(),
      attempts,
    };
  }
  return {
    ...outcome,
    message: `${describeDone(evidence)}: ${outcome.message}; back to normal after ${seconds(recovered.ms)}`,
    evidence: evidence.join('\n'),
    durationMs: elapsed(),
  };
}

/** "with db stopped" style prefix, from the perturbation lines of the evidence. */
function describeDone(evidence: string[]): string {
  const done = evidence
    .filter((line) => line.startsWith('perturbed: '))
    .map((line) => line.slice('perturbed: '.length));
  return `after ${done.join(' and ') || 'the perturbation'}`;
}
