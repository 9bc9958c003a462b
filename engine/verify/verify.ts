/**
 * `breakfix verify`: proves a scenario — the fault bites (symptoms observed), the checks fail
 * before the fix, the reference solution passes (live, and deployed afresh), failure messages
 * never hand out the fix's values, and teardown leaves nothing with the session's labels.
 * With `wrongFixes`, the red team too: every declared wrong fix rejected and every right fix
 * accepted, each judged live and through `grade` (judge.ts), with which checks rejected what.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pLimit from 'p-limit';
import { teardownLab } from '../deploy/teardown.js';
import type { GradeReport } from '../grading/report.js';
import { LABELS } from '../runtime/labels.js';
import type { FaultEntry, SolutionStep } from '../session/scenario-view.js';
import { sendToSession, startSession, type SessionDeps } from '../session/session.js';
import { runSteps } from '../session/steps-runner.js';
import { layFix, type Fix } from './fix.js';
import { gradePaper, judgeFix, layOnPaper, type FixVerdict, type JudgeableScenario } from './judge.js';
import { seedDurability } from '../grading/durability.js';
import { findLeaks, fixValues, type MessageLeak } from './leaks.js';
import { checkMatrix, type CheckMatrixEntry } from './matrix.js';
import { pinsHostPorts, withPinnedPorts } from './pinned-ports.js';
import { proveEscalation, type EscalationProof } from './escalation.js';

export type WrongFix = Fix;

export interface VerifiableScenario extends JudgeableScenario {
  solutionDir?: string;
  solution: { edits: FaultEntry[]; then: SolutionStep[] };
  wrongFixes?: WrongFix[];
  rightFixes?: Array<Omit<Fix, 'deploys'>>;
}

/** What one scenario's whole proof may cost on a 2-core machine (reported, not enforced). */
export const VERIFY_BUDGET_SECONDS = 120;

export interface VerifyResult {
  id: string;
  ok: boolean;
  symptomsObserved: boolean;
  /** The graded checks failed on the broken lab (a scenario that passes unfixed proves nothing). */
  failedBeforeFix: boolean;
  wrongFixesRejected: Array<{ title: string; rejected: boolean; score: number }>;
  /** Every judged fix, wrong and right (with `wrongFixes`). */
  fixes: Array<Omit<FixVerdict, 'reports'>>;
  /** Per check: the wrong fixes it rejected, and those it alone rejected (with `wrongFixes`). */
  checks: CheckMatrixEntry[];
  /** Fixes were judged until their first rejection: `checks` shows first rejections only. */
  untilRejected?: boolean;
  /** Failure messages that print a value the fix needs. */
  leaks: MessageLeak[];
  solutionPassed: boolean;
  leaked: number;
  seconds: number;
  budgetSeconds: number;
  /** Seconds from nothing to "active, symptoms confirmed". */
  symptomSeconds?: number;
  /** Each escalation stage, fired on a compressed clock (engine/verify/escalation.ts). */
  escalation?: EscalationProof[];
  error?: string;
}

export interface VerifyOptions {
  /** Also judge the declared wrong and right fixes, each in a lab of its own. */
  wrongFixes?: boolean;
  /** Fixes judged at once (each is a lab of its own); default 2. */
  fixJobs?: number;
  /**
   * Judge each fix only until a check rejects it: the checks after the first rejection are not
   * run (faster; `checks` then shows the first rejections, not every check that would reject).
   */
  untilRejected?: boolean;
}

/** The broken workspace's text, to tell a fix's new values from what the learner already sees. */
async function workspaceText(workspace: string): Promise<string> {
  const parts: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.name === '.breakfix' || entry.name === '.git') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) parts.push(await readFile(full, 'utf8').catch(() => ''));
    }
  };
  await walk(workspace);
  return parts.join('\n');
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
    fixes: [],
    checks: [],
    leaks: [],
    solutionPassed: false,
    leaked: 0,
    seconds: 0,
    budgetSeconds: VERIFY_BUDGET_SECONDS,
  };
  const reports: Array<{ where: string; report: GradeReport | undefined }> = [];
  let brokenText = '';
  let sessionId: string | undefined;
  // The red team runs beside the main lab: each fix in a lab of its own.
  const fixes: Array<{ fix: Fix; kind: 'wrong' | 'right' }> = options.wrongFixes
    ? [
        ...(scenario.wrongFixes ?? []).map((fix) => ({ fix, kind: 'wrong' as const })),
        ...(scenario.rightFixes ?? []).map((fix) => ({ fix, kind: 'right' as const })),
      ]
    : [];
  const lanes = pLimit(Math.max(1, options.fixJobs ?? 2));
  const judged = Promise.all(
    fixes.map(({ fix, kind }) =>
      lanes(() =>
        deps.signal?.aborted
          ? undefined
          : judgeFix(scenario, fix, kind, options.untilRejected ? { ...deps, untilRejected: true } : deps),
      ),
    ),
  );
  const solution = {
    title: 'the solution',
    ...(scenario.solutionDir ? { filesDir: scenario.solutionDir } : {}),
    ...scenario.solution,
  };
  // The solution's files are graded beside the main lab; that grade is its durability proof.
  const paper = path.join(root, 'paper', scenario.id);
  const laid = layOnPaper(scenario, solution, paper, deps);
  const paperGrade = laid.then(() => gradePaper(scenario, paper, deps));
  paperGrade.catch(() => undefined);
  try {
    const start = await startSession(
      { scenarioId: scenario.id, workspace, seed: scenario.seed, ephemeral: true },
      deps,
    );
    sessionId = start.sessionId;
    result.symptomSeconds = Math.round((performance.now() - started) / 100) / 10;
    if (start.state !== 'active') throw new Error(start.context.error?.message ?? `the lab ended in ${start.state}`);
    result.symptomsObserved = true;
    brokenText = await workspaceText(workspace);

    const before = await sendToSession(workspace, 'CHECK', deps);
    result.failedBeforeFix = before.context.lastReport?.passed === false;
    reports.push({ where: 'the broken lab', report: before.context.lastReport });

    if (scenario.escalation?.length) {
      result.escalation = await proveEscalation(scenario, workspace, deps);
      const failedStage = result.escalation.find((stage) => stage.error !== undefined);
      if (failedStage) throw new Error(failedStage.error);
      // The solution starts from the lab as it was before the stages fired.
      await sendToSession(workspace, 'RESET', deps);
    }

    const live = sessionId;
    const applySolution = async () => {
      await layFix(workspace, solution, scenario, deps.runtime);
      await runSteps(workspace, live, scenario.solution.then, deps);
      await seedDurability(scenario, workspace, await paperGrade);
      return sendToSession(workspace, 'CHECK', deps);
    };
    // A solution that pins host ports takes its turn with the fixes that do (pinned-ports.ts).
    const pins = await laid.then(() => pinsHostPorts(paper)).catch(() => false);
    const after = pins ? await withPinnedPorts(applySolution) : await applySolution();
    result.solutionPassed = after.context.lastReport?.passed === true;
    if (!result.solutionPassed) {
      const failing =
        after.context.lastReport?.checks
          .filter((check) => !check.passed)
          .map((check) => `${check.id}: ${check.message}`) ?? [];
      result.error = `the solution did not pass: ${failing.join('; ') || (after.context.lastFailure?.message ?? 'no report')}`;
    }
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
    await paperGrade.catch(() => undefined);
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

  const verdicts = (await judged).filter((verdict): verdict is FixVerdict => verdict !== undefined);
  for (const verdict of verdicts) {
    if (verdict.kind === 'wrong')
      reports.push(...verdict.reports.map((report) => ({ where: `wrong fix "${verdict.title}"`, report })));
  }
  result.fixes = verdicts.map(({ reports: _reports, ...verdict }) => verdict);
  result.wrongFixesRejected = verdicts
    .filter((verdict) => verdict.kind === 'wrong')
    .map((verdict) => ({
      title: verdict.title,
      rejected: verdict.ok,
      score: Math.max(verdict.live?.score ?? 0, verdict.grade?.score ?? 0),
    }));
  if (options.wrongFixes && options.untilRejected) result.untilRejected = true;
  if (options.wrongFixes)
    result.checks = checkMatrix(
      scenario.checks.map((check) => check.id),
      verdicts,
    );
  const edits = [...scenario.solution.edits, ...(scenario.rightFixes ?? []).flatMap((fix) => fix.edits)];
  if (brokenText !== '') result.leaks = findLeaks(reports, fixValues(edits, brokenText));

  result.seconds = Math.round((performance.now() - started) / 100) / 10;
  result.ok =
    result.symptomsObserved &&
    result.failedBeforeFix &&
    result.solutionPassed &&
    result.leaked === 0 &&
    result.leaks.length === 0 &&
    verdicts.length === fixes.length &&
    verdicts.every((verdict) => verdict.ok) &&
    result.error === undefined;
  return result;
}
