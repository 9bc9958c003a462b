/**
 * `breakfix verify`: proves a scenario the way DESIGN.md asks — the fault bites (symptoms
 * observed), the checks fail before the fix, plausible wrong fixes do not pass, the reference
 * solution passes, and teardown leaves nothing with the session's labels.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { teardownLab } from '../deploy/teardown.js';
import { findFault } from '../faults/registry.js';
import { LABELS } from '../runtime/labels.js';
import type { VarValue } from '../scenario/schema.js';
import type { FaultEntry, RunnableScenario, SolutionStep } from '../session/scenario-view.js';
import { sendToSession, startSession, type SessionDeps } from '../session/session.js';
import { runSteps } from '../session/steps-runner.js';
import { proveEscalation, type EscalationProof } from './escalation.js';
import { overlayFolder } from './overlay.js';

export interface WrongFix {
  title: string;
  /** Folder of files overlaid onto the workspace. */
  filesDir?: string;
  /** Workspace edits, written with the workspace fault types (compose.set, file.replace, …). */
  edits: FaultEntry[];
  then: SolutionStep[];
}

export interface VerifiableScenario extends RunnableScenario {
  seed: number;
  vars: Record<string, VarValue>;
  solutionDir?: string;
  solution: { edits: FaultEntry[]; then: SolutionStep[] };
  wrongFixes?: WrongFix[];
}

export interface VerifyResult {
  id: string;
  ok: boolean;
  symptomsObserved: boolean;
  /** The graded checks failed on the broken lab (a scenario that passes unfixed proves nothing). */
  failedBeforeFix: boolean;
  wrongFixesRejected: Array<{ title: string; rejected: boolean; score: number }>;
  solutionPassed: boolean;
  leaked: number;
  seconds: number;
  /** Seconds from nothing to "active, symptoms confirmed". */
  symptomSeconds?: number;
  /** Each escalation stage, fired on a compressed clock (engine/verify/escalation.ts). */
  escalation?: EscalationProof[];
  error?: string;
}

export interface VerifyOptions {
  /** Also prove that each declared wrong fix fails (one lab reset per wrong fix). */
  wrongFixes?: boolean;
}

/** Lays a fix (reference or wrong) onto the workspace: its files first, then its edits. */
async function layFix(
  workspace: string,
  fix: { filesDir?: string; edits: FaultEntry[] },
  scenario: VerifiableScenario,
  runtime: SessionDeps['runtime'],
): Promise<void> {
  if (fix.filesDir) await overlayFolder(fix.filesDir, workspace, scenario.vars);
  for (const edit of fix.edits) {
    const definition = findFault(edit.type);
    if (!definition || definition.phase !== 'workspace') throw new Error(`${edit.type} is not a workspace edit`);
    const params = definition.params.parse(edit.params);
    // Workspace edits touch files only; the Docker side of the context is never used.
    await definition.inject(
      {
        lab: { sessionId: '', scenarioId: scenario.id, workspace },
        runtime,
        labSource: '',
        network: '',
        service: () => ({ container: '', image: '' }),
      },
      params,
    );
  }
}

export async function verifyScenario(
  scenario: VerifiableScenario,
  deps: SessionDeps,
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  const started = performance.now();
  const root = await mkdtemp(path.join(os.tmpdir(), 'breakfix-verify-'));
  const workspace = path.join(root, scenario.id);
  const result: VerifyResult = {
    id: scenario.id,
    ok: false,
    symptomsObserved: false,
    failedBeforeFix: false,
    wrongFixesRejected: [],
    solutionPassed: false,
    leaked: 0,
    seconds: 0,
  };
  let sessionId: string | undefined;
  try {
    const start = await startSession({ scenarioId: scenario.id, workspace, seed: scenario.seed }, deps);
    sessionId = start.sessionId;
    result.symptomSeconds = Math.round((performance.now() - started) / 100) / 10;
    if (start.state !== 'active') throw new Error(start.context.error?.message ?? `the lab ended in ${start.state}`);
    result.symptomsObserved = true;

    const before = await sendToSession(workspace, 'CHECK', deps);
    result.failedBeforeFix = before.context.lastReport?.passed === false;

    if (scenario.escalation?.length) {
      result.escalation = await proveEscalation(scenario, workspace, deps);
      const failedStage = result.escalation.find((stage) => stage.error !== undefined);
      if (failedStage) throw new Error(failedStage.error);
      // Wrong fixes and the solution start from the lab as it was before the stages fired.
      await sendToSession(workspace, 'RESET', deps);
    }

    if (options.wrongFixes) {
      for (const fix of scenario.wrongFixes ?? []) {
        await layFix(workspace, fix, scenario, deps.runtime);
        // A wrong fix may well fail to deploy; that is one way of not passing.
        const deployed = await runSteps(workspace, sessionId, fix.then, deps).then(
          () => true,
          () => false,
        );
        const after = deployed ? await sendToSession(workspace, 'CHECK', deps) : undefined;
        result.wrongFixesRejected.push({
          title: fix.title,
          rejected: after?.context.lastReport?.passed !== true,
          score: after?.context.lastReport?.score ?? 0,
        });
        await sendToSession(workspace, 'RESET', deps);
      }
    }

    await layFix(
      workspace,
      { ...(scenario.solutionDir ? { filesDir: scenario.solutionDir } : {}), edits: scenario.solution.edits },
      scenario,
      deps.runtime,
    );
    await runSteps(workspace, sessionId, scenario.solution.then, deps);
    const after = await sendToSession(workspace, 'CHECK', deps);
    result.solutionPassed = after.context.lastReport?.passed === true;
    if (!result.solutionPassed) {
      const failing =
        after.context.lastReport?.checks
          .filter((check) => !check.passed)
          .map((check) => `${check.id}: ${check.message}`) ?? [];
      result.error = `the solution did not pass: ${failing.join('; ')}`;
    }
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
  } finally {
    if (sessionId) {
      await sendToSession(workspace, 'STOP', deps).catch(() => undefined);
      const left = await deps.runtime.listLabelled(LABELS.session, sessionId);
      result.leaked = left.length;
      // Report the leak, but never leave it on the learner's engine.
      if (left.length > 0) await teardownLab(deps.runtime, sessionId);
    }
    await rm(root, { recursive: true, force: true });
  }
  result.seconds = Math.round((performance.now() - started) / 100) / 10;
  result.ok =
    result.symptomsObserved &&
    result.failedBeforeFix &&
    result.solutionPassed &&
    result.leaked === 0 &&
    result.wrongFixesRejected.every((fix) => fix.rejected) &&
    result.error === undefined;
  return result;
}
