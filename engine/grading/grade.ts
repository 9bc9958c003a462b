/**
 * `breakfix grade`: rebuild the scenario's environment from scratch around submitted files —
 * artifact and runtime faults re-created (an artifact fault's image under the name the
 * scenario's lab gave it), workspace faults not (they live in the files, and the learner may
 * have fixed them) — deploy, run the scenario's checks, tear down.
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { teardownLab } from '../deploy/teardown.js';
import { BreakfixError } from '../errors.js';
import type { RunnableScenario } from '../session/scenario-view.js';
import { sendToSession, startSession, type SessionDeps } from '../session/session.js';
import { runSteps } from '../session/steps-runner.js';
import { summarise, type GradeReport } from './report.js';
import { copySubmission, removeSandbox } from './submission.js';

export interface GradeResult {
  report: GradeReport;
  /** Files of the submission the grader ignored, and why. */
  dropped: Array<{ path: string; reason: string }>;
  /** False when the submission could not be deployed (every check then fails with that reason). */
  deployed: boolean;
}

/** Every check failed with the same reason: the submission could not even be deployed. */
function undeployable(scenario: GradableScenario, reason: string, started: Date): GradeReport {
  return summarise(
    scenario.id,
    scenario.checks.map((check) => ({
      id: check.id,
      title: check.title,
      type: check.type,
      status: 'failed' as const,
      passed: false,
      errored: false,
      points: 0,
      maxPoints: check.points,
      // A fault the submission refuses already says so; anything else is a deploy that failed.
      message: reason.startsWith('the submission ') ? reason : `the submission could not be deployed: ${reason}`,
      durationMs: 0,
    })),
    started,
    scenario.seed,
  );
}

/** What grading needs of a scenario: the runnable part and the seed its variables came from. */
export type GradableScenario = RunnableScenario & { seed: number };

export async function gradeSubmission(
  scenario: GradableScenario,
  submission: string,
  deps: SessionDeps,
): Promise<GradeResult> {
  const started = new Date();
  const root = await mkdtemp(path.join(os.tmpdir(), 'breakfix-grade-'));
  const workspace = path.join(root, scenario.id);
  let sessionId: string | undefined;
  try {
    const { dropped } = await copySubmission(submission, workspace);
    const start = await startSession({ scenarioId: scenario.id, workspace, seed: scenario.seed, mode: 'grade' }, deps);
    sessionId = start.sessionId;
    if (start.state !== 'active') {
      const error = start.context.error;
      if (error?.kind === 'workspace')
        return { report: undeployable(scenario, error.message, started), dropped, deployed: false };
      throw new BreakfixError('environment', `grading could not run: ${error?.message ?? start.state}`);
    }
    try {
      await runSteps(workspace, sessionId, scenario.grading?.steps ?? [], deps);
    } catch (error) {
      if (error instanceof BreakfixError && error.kind === 'workspace')
        return { report: undeployable(scenario, error.message, started), dropped, deployed: false };
      throw error;
    }
    const checked = await sendToSession(workspace, 'CHECK', deps);
    const report = checked.context.lastReport;
    if (!report)
      throw new BreakfixError(
        'environment',
        `grading could not run: ${checked.context.lastFailure?.message ?? 'no report'}`,
      );
    return {
      report: { ...report, startedAt: started.toISOString(), durationMs: Date.now() - started.getTime() },
      dropped,
      deployed: true,
    };
  } finally {
    if (sessionId) {
      await sendToSession(workspace, 'STOP', deps).catch(() => undefined);
      // A graded lab is thrown away with its volumes: no grace periods to wait out.
      await teardownLab(deps.runtime, sessionId, { graceful: false }).catch(() => undefined);
    }
    await removeSandbox(root);
  }
}
