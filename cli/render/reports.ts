/**
 * Tables of the instructor and housekeeping commands: `list`, `verify`, `gc`.
 */
import type { GcReport, ScenarioSummary, VerifyResult } from '../../engine/index.js';
import { MARK, type Style } from './style.js';
import { padEnd, plural } from './text.js';

/** What `list` shows of the learner's progress: ✓ when solved, the best score. */
export interface ListProgress {
  solved: boolean;
  bestScore?: number;
  maxScore?: number;
}

/** The key of a scenario's progress in `list`: `<course>/<id>` (the built-in course is `breakfix`). */
export function listProgressKey(scenario: { id: string; course?: string }): string {
  return `${scenario.course ?? 'breakfix'}/${scenario.id}`;
}

/** A course's heading in `list` when more than the built-in course is shown. */
export interface CourseHeading {
  id: string;
  title: string;
  builtin: boolean;
}

/**
 * `breakfix list`: one row per scenario (✓ once solved, what to type, difficulty, best score,
 * title, tags). With a course beside the built-in one, each course gets a heading and each
 * module a sub-heading.
 */
export function scenarioListLines(
  scenarios: ReadonlyArray<ScenarioSummary & { ref?: string; course?: string; module?: string }>,
  style: Style,
  courses: readonly CourseHeading[] = [],
  progress: ReadonlyMap<string, ListProgress> = new Map(),
): string[] {
  if (scenarios.length === 0) return ['no scenarios yet (scenarios/ is empty)'];
  const name = (scenario: (typeof scenarios)[number]) => scenario.ref ?? scenario.id;
  const idWidth = Math.max(...scenarios.map((scenario) => name(scenario).length));
  const levelWidth = Math.max(...scenarios.map((scenario) => scenario.difficulty.length));
  const scoreOf = (scenario: (typeof scenarios)[number]) => {
    const entry = progress.get(listProgressKey(scenario));
    return entry?.bestScore !== undefined ? `${entry.bestScore}/${entry.maxScore ?? '?'}` : '';
  };
  const scoreWidth = Math.max(0, ...scenarios.map((scenario) => scoreOf(scenario).length));
  // The ✓ column appears once the learner has progress; a newcomer's list stays plain.
  const marks = scenarios.some((scenario) => progress.get(listProgressKey(scenario))?.solved);
  const row = (scenario: (typeof scenarios)[number], indent: string) => {
    const mark = marks ? `${progress.get(listProgressKey(scenario))?.solved ? style.ok(MARK.passed) : ' '} ` : '';
    const score = scoreWidth > 0 ? `${scoreOf(scenario).padStart(scoreWidth)}  ` : '';
    return `${indent}${mark}${padEnd(name(scenario), idWidth)}  ${padEnd(scenario.difficulty, levelWidth)}  ${score}${scenario.title}${scenario.tags.length > 0 ? style.dim(`  [${scenario.tags.join(', ')}]`) : ''}`;
  };
  const lines: string[] = [];
  if (courses.length <= 1) lines.push(...scenarios.map((scenario) => row(scenario, '')));
  else
    for (const course of courses) {
      const own = scenarios.filter((scenario) => scenario.course === course.id);
      if (own.length === 0) continue;
      if (lines.length > 0) lines.push('');
      lines.push(style.bold(`${course.title} (${course.builtin ? 'built-in course' : `course ${course.id}`})`));
      let module: string | undefined;
      for (const scenario of own) {
        if (scenario.module !== module) {
          module = scenario.module;
          lines.push(style.dim(`  ${module ?? 'not in a module'}`));
        }
        lines.push(row(scenario, '    '));
      }
    }
  lines.push('', style.dim('start one: breakfix start <id>; `breakfix` says which comes next'));
  return lines;
}

/** One run of a scenario's proof, and how the repeats went (`verify --repeat N`). */
export interface VerifyRuns {
  last: VerifyResult;
  runs: Array<{ ok: boolean; seconds: number; error?: string }>;
}

/** The contract's `verify --json` entry: `{id, ok, symptomsObserved, solutionPassed, leaked, seconds}` (+ detail). */
export function verifyJsonEntry(result: VerifyResult, repeats?: VerifyRuns['runs']) {
  return {
    id: result.id,
    ok: repeats ? repeats.every((run) => run.ok) : result.ok,
    symptomsObserved: result.symptomsObserved,
    solutionPassed: result.solutionPassed,
    leaked: result.leaked,
    seconds: result.seconds,
    budgetSeconds: result.budgetSeconds,
    overBudget: result.seconds > result.budgetSeconds,
    ...(result.symptomSeconds !== undefined ? { symptomSeconds: result.symptomSeconds } : {}),
    failedBeforeFix: result.failedBeforeFix,
    ...(result.wrongFixesRejected.length > 0 ? { wrongFixesRejected: result.wrongFixesRejected } : {}),
    ...(result.escalation ? { escalation: result.escalation } : {}),
    ...(result.fixes.length > 0 ? { fixes: result.fixes } : {}),
    ...(result.checks.length > 0 ? { checks: result.checks } : {}),
    ...(result.untilRejected ? { untilRejected: true } : {}),
    leaks: result.leaks,
    ...(repeats ? { runs: repeats, flaky: repeats.some((run) => run.ok) && repeats.some((run) => !run.ok) } : {}),
    ...(result.error ? { error: result.error } : {}),
  };
}

export function verifyResultLines(result: VerifyResult, style: Style): string[] {
  const yes = (value: boolean) => (value ? style.ok(MARK.passed) : style.bad(MARK.failed));
  const lines = [
    `${result.ok ? style.ok(MARK.passed) : style.bad(MARK.failed)} ${style.bold(result.id)}  ${result.seconds.toFixed(1)} s${result.seconds > result.budgetSeconds ? style.bad(` (over the ${result.budgetSeconds} s budget)`) : ''}`,
    `    ${yes(result.symptomsObserved)} symptoms observed${result.symptomSeconds !== undefined ? style.dim(` (${result.symptomSeconds.toFixed(1)} s)`) : ''}`,
    `    ${yes(result.failedBeforeFix)} checks fail before the fix`,
  ];
  for (const stage of result.escalation ?? [])
    lines.push(
      `    ${yes(stage.fired && stage.symptomsObserved)} escalation stage ${stage.stage} fires and shows: ${stage.title}${style.dim(` (${stage.seconds.toFixed(1)} s)`)}`,
    );
  for (const fix of result.fixes) {
    const by = fix.rejectedBy.length > 0 ? style.dim(` (rejected by ${fix.rejectedBy.join(', ')})`) : '';
    const what =
      fix.kind === 'wrong'
        ? `wrong fix rejected${fix.deployed ? '' : ' (did not deploy)'}: ${fix.title}${fix.ok ? by : ''}`
        : `right fix accepted: ${fix.title}`;
    lines.push(`    ${yes(fix.ok)} ${what}${style.dim(` ${fix.seconds.toFixed(1)} s`)}`);
    if (!fix.ok && fix.error) lines.push(style.bad(`        ${fix.error}`));
  }
  if (result.fixes.length === 0)
    for (const fix of result.wrongFixesRejected)
      lines.push(
        `    ${yes(fix.rejected)} wrong fix rejected: ${fix.title}${fix.rejected ? '' : ` (scored ${fix.score})`}`,
      );
  // Judged until the first rejection, a check after it never had its say: no "rejected none".
  if (!result.untilRejected)
    for (const check of result.checks)
      if (check.rejects.length === 0) lines.push(style.dim(`    · check ${check.id} rejected none of the wrong fixes`));
  lines.push(`    ${yes(result.solutionPassed)} the solution passes`);
  lines.push(
    `    ${yes(result.leaks.length === 0)} failure messages keep the fix to themselves${result.leaks.length > 0 ? `: ${result.leaks.map((leak) => `${leak.check} prints ${JSON.stringify(leak.value)} (${leak.where})`).join('; ')}` : ''}`,
  );
  lines.push(
    `    ${yes(result.leaked === 0)} nothing left behind${result.leaked > 0 ? ` (${plural(result.leaked, 'resource')} leaked)` : ''}`,
  );
  if (result.error) lines.push(style.bad(`    ${result.error}`));
  return lines;
}

export function gcReportLines(report: GcReport, style: Style): string[] {
  const lines: string[] = [];
  const sessions = new Set(report.removed.map((entry) => entry.session));
  if (report.removed.length === 0) lines.push('nothing to remove');
  else {
    lines.push(
      `removed ${plural(report.removed.length, 'resource')} of ${plural(sessions.size, 'abandoned session')}:`,
    );
    for (const entry of report.removed)
      lines.push(`  ${entry.kind.padEnd(9)} ${entry.name}${style.dim(`  (session ${entry.session})`)}`);
  }
  for (const kept of report.kept)
    lines.push(
      style.dim(
        `kept session ${kept.session}: it is live in ${kept.workspace || 'an unknown workspace'} (\`breakfix stop\` there removes it)`,
      ),
    );
  for (const restored of report.restored ?? [])
    lines.push(`restored session ${restored.session}: its probe ${restored.check} had been interrupted`);
  for (const skipped of report.skipped ?? [])
    lines.push(`left part of session ${skipped.session} for the next \`breakfix gc\`: ${skipped.reason}`);
  return lines;
}
