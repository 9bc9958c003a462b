/**
 * Judging one fix the two ways a learner's work is judged: in a live session (start the broken
 * lab, lay the fix, run its steps, `check` — which includes the durability proof) and through
 * `grade` (the files deployed afresh). A wrong fix must be rejected both ways, a right fix
 * accepted both ways; which checks rejected it is recorded for the red-team report.
 *
 * A wrong fix that `grade` rejects needs no live lab: a live `check` that passes everything
 * still runs the durability proof — `grade`'s fresh deploy of the same files — and fails every
 * check that proof fails, so a live check can never pass where `grade` failed. The live lab is
 * started for right fixes, for wrong fixes with steps of their own (a rollback; a command run
 * by hand in the lab, unless judged until the first rejection) or declared `deploys: false`,
 * and for a wrong fix `grade` did not reject or could not deploy, so that the report says both
 * verdicts. It halves what a red team costs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { teardownLab } from '../deploy/teardown.js';
import { gradeSubmission, type GradeResult } from '../grading/grade.js';
import type { GradeReport } from '../grading/report.js';
import type { VarValue } from '../scenario/schema.js';
import type { RunnableScenario } from '../session/scenario-view.js';
import { sendToSession, startSession, type SessionDeps } from '../session/session.js';
import { runSteps } from '../session/steps-runner.js';
import { layFix, type Fix } from './fix.js';
import { seedDurability } from '../grading/durability.js';
import { prepareWorkspaceFiles } from '../session/steps.js';
import { pinsHostPorts, withPinnedPorts } from './pinned-ports.js';

export interface Verdict {
  passed: boolean;
  score: number;
  /** Ids of the checks that did not pass. */
  failing: string[];
}

export interface FixVerdict {
  title: string;
  kind: 'wrong' | 'right';
  ok: boolean;
  deployed: boolean;
  live?: Verdict;
  grade?: Verdict;
  /** Checks that rejected the fix, live or through grade. */
  rejectedBy: string[];
  /** How the fix was judged: 'grade' alone when grade rejected a wrong fix (see above). */
  judgedBy: 'live and grade' | 'grade';
  seconds: number;
  error?: string;
  /** The reports behind the verdicts, for the message scan (not printed). */
  reports: GradeReport[];
}

export interface JudgeableScenario extends RunnableScenario {
  seed: number;
  vars: Record<string, VarValue>;
}

const verdictOf = (report: GradeReport): Verdict => ({
  passed: report.passed,
  score: report.score,
  // A check that was not run rejected nothing (a probe after a failure, verify --until-rejected).
  failing: report.checks.filter((check) => !check.passed && !check.notRun).map((check) => check.id),
});

/** Lays a fix on the scenario's starting files in `paper`, as a learner's submission would hold it. */
export async function layOnPaper(
  scenario: JudgeableScenario,
  fix: Pick<Fix, 'title' | 'filesDir' | 'edits' | 'then'>,
  paper: string,
  deps: SessionDeps,
): Promise<void> {
  const { labSource } = await deps.resolveScenario(scenario.id, scenario.seed);
  await prepareWorkspaceFiles(scenario, labSource, paper, deps.runtime);
  await layFix(paper, fix, scenario, deps.runtime);
}

/** Grades files laid by layOnPaper, without a live lab: what `grade` would say. */
export async function gradePaper(scenario: JudgeableScenario, paper: string, deps: SessionDeps): Promise<GradeReport> {
  return (await gradeLaid(scenario, paper, deps)).report;
}

async function gradeLaid(scenario: JudgeableScenario, paper: string, deps: SessionDeps): Promise<GradeResult> {
  const { onNotice: _quiet, ...quiet } = deps;
  return gradeSubmission(scenario, paper, quiet);
}

/**
 * A wrong fix whose only step is the ordinary redeploy, judged live only if grade lets it through.
 * Judging until the first rejection (what CI runs), a fix with commands run by hand in the lab
 * (`exec` steps) is judged the same way: whatever they change in the live lab, the live check's
 * durability proof grades the same files afresh, so it fails where this grade failed. Without
 * `untilRejected` such a fix is still judged live too, for the report of which live checks it
 * fooled. A `rollback` step changes what the live lab runs from, so it is always judged live.
 */
const gradeMaySuffice = (fix: Fix, kind: 'wrong' | 'right', untilRejected: boolean): boolean =>
  kind === 'wrong' &&
  fix.deploys !== false &&
  (untilRejected ? fix.then.every((step) => step !== 'rollback') : fix.then.length === 1 && fix.then[0] === 'apply');

export async function judgeFix(
  scenario: JudgeableScenario,
  fix: Fix,
  kind: 'wrong' | 'right',
  deps: SessionDeps,
): Promise<FixVerdict> {
  const started = performance.now();
  const root = await mkdtemp(path.join(os.tmpdir(), 'breakfix-judge-'));
  const paper = path.join(root, 'paper', scenario.id);
  let laid: Error | undefined;
  await layOnPaper(scenario, fix, paper, deps).catch((error: unknown) => {
    laid = error instanceof Error ? error : new Error(String(error));
  });
  let graded: GradeResult | undefined;
  if (!laid && gradeMaySuffice(fix, kind, deps.untilRejected === true)) {
    // A grade that errors (a scenario's step that never finished) is this fix's verdict, judged
    // below as a failed grade: it must not end the proof of every other fix.
    graded = await gradeLaid(scenario, paper, deps).catch((error: unknown) => {
      laid = error instanceof Error ? error : new Error(String(error));
      return undefined;
    });
    if (graded?.deployed && !graded.report.passed) {
      await rm(root, { recursive: true, force: true });
      const grade = verdictOf(graded.report);
      return {
        title: fix.title,
        kind,
        ok: true,
        deployed: true,
        grade,
        rejectedBy: grade.failing,
        judgedBy: 'grade',
        seconds: Math.round((performance.now() - started) / 100) / 10,
        reports: [graded.report],
      };
    }
  }
  const run: JudgeRun = { root, paper, started, ...(laid ? { laid } : {}), ...(graded ? { graded } : {}) };
  // Two live labs of fixes that pin the same host port cannot run at once (a graded deploy lets
  // Docker pick host ports, so only the live labs take turns).
  if (!laid && pinsHostPorts(paper)) return withPinnedPorts(() => judgeLaid(scenario, fix, kind, deps, run));
  return judgeLaid(scenario, fix, kind, deps, run);
}

interface JudgeRun {
  root: string;
  paper: string;
  started: number;
  /** Why the fix could not be laid on paper, or why its grade errored (the grade then fails with it). */
  laid?: Error;
  /** The grade, when it was already run (a wrong fix it did not settle). */
  graded?: GradeResult;
}

async function judgeLaid(
  scenario: JudgeableScenario,
  fix: Fix,
  kind: 'wrong' | 'right',
  deps: SessionDeps,
  { root, paper, started, laid, graded }: JudgeRun,
): Promise<FixVerdict> {
  const workspace = path.join(root, 'live', scenario.id);
  const verdict: FixVerdict = {
    title: fix.title,
    kind,
    ok: false,
    deployed: false,
    rejectedBy: [],
    judgedBy: 'live and grade',
    seconds: 0,
    reports: [],
  };
  let sessionId: string | undefined;
  // Several fixes are judged at once beside the main lab: their progress lines would interleave.
  const { onNotice: _quiet, ...quiet } = deps;
  deps = quiet;
  // The fix's files are graded (a fresh deploy, as `grade` does) while the live lab comes up:
  // the same files laid on the same starting point, so the grade doubles as the live check's
  // durability proof.
  const grading = laid
    ? Promise.reject(laid)
    : graded
      ? Promise.resolve(graded.report)
      : gradePaper(scenario, paper, deps);
  // Judged below; never an unhandled rejection if the live side fails first.
  grading.catch(() => undefined);
  try {
    const start = await startSession(
      { scenarioId: scenario.id, workspace, seed: scenario.seed, ephemeral: true },
      deps,
    );
    sessionId = start.sessionId;
    if (start.state !== 'active') throw new Error(start.context.error?.message ?? `the lab ended in ${start.state}`);
    await layFix(workspace, fix, scenario, deps.runtime);
    let deployError: string | undefined;
    await runSteps(workspace, sessionId, fix.then, deps).catch((error: unknown) => {
      deployError = error instanceof Error ? error.message : String(error);
    });
    verdict.deployed = deployError === undefined;
    const graded = await grading;
    verdict.grade = verdictOf(graded);
    verdict.reports.push(graded);
    if (verdict.deployed) {
      await seedDurability(scenario, workspace, graded);
      const checked = await sendToSession(workspace, 'CHECK', deps);
      const live = checked.context.lastReport;
      if (!live) throw new Error(checked.context.lastFailure?.message ?? 'the check round gave no report');
      verdict.live = verdictOf(live);
      verdict.reports.push(live);
    }
    verdict.rejectedBy = [...new Set([...(verdict.live?.failing ?? []), ...verdict.grade.failing])];
    if (kind === 'right') {
      verdict.ok = verdict.deployed && verdict.live?.passed === true && verdict.grade.passed;
      if (!verdict.ok)
        verdict.error = deployError ?? `a valid fix was refused by ${verdict.rejectedBy.join(', ') || 'the grade'}`;
    } else if (fix.deploys === false) {
      verdict.ok = !verdict.deployed && !verdict.grade.passed;
      if (verdict.deployed) verdict.error = 'declared `deploys: false`, but it deployed';
    } else {
      verdict.ok = verdict.deployed && verdict.live?.passed === false && !verdict.grade.passed;
      if (!verdict.deployed)
        verdict.error = `it did not deploy (${deployError ?? 'unknown reason'}); if that is the point, declare \`deploys: false\``;
      else if (verdict.live?.passed || verdict.grade.passed)
        verdict.error = `a wrong fix passed ${verdict.live?.passed ? 'the live check' : 'grade'} (${Math.max(verdict.live?.score ?? 0, verdict.grade.score)} points)`;
    }
  } catch (error) {
    verdict.error = error instanceof Error ? error.message : String(error);
    await grading.catch(() => undefined);
  } finally {
    if (sessionId) {
      await sendToSession(workspace, 'STOP', deps).catch(() => undefined);
      await teardownLab(deps.runtime, sessionId, { graceful: false }).catch(() => undefined);
    }
    await rm(root, { recursive: true, force: true });
  }
  verdict.seconds = Math.round((performance.now() - started) / 100) / 10;
  return verdict;
}
