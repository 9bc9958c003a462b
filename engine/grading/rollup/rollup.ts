/**
 * The class roll-up: many result files → one learner × scenario table, per-scenario figures
 * (pass rate, mean score, the check failed most often) and per-learner totals. Pure: the
 * formats (markdown, csv, json, classroom) only render what this computes.
 *
 * When a learner has several results for one scenario, the latest counts (by end time, else
 * start time, else the order the files were given in) — what they submitted last, as GitHub
 * Classroom and most gradebooks do; the others are counted as attempts.
 */
import type { ResultCheck, ResultRecord } from './result-file.js';
import type { Roster } from './roster.js';

export interface RollupCell {
  learner: string;
  scenario: string;
  score: number;
  maxScore: number;
  passed: boolean;
  /** Results found for this learner and scenario; the latest one is this cell. */
  attempts: number;
  file: string;
  startedAt?: string;
  endedAt?: string;
  durationMs?: number;
  seed?: number;
  scenarioHash?: string;
  breakfixVersion?: string;
  checks: ResultCheck[];
}

export interface ScenarioFigures {
  scenario: string;
  /** Learners with a result. */
  graded: number;
  passed: number;
  /** passed / graded, 0 when nobody was graded. */
  passRate: number;
  /** Mean score of the graded learners. */
  meanScore: number;
  maxScore: number;
  /** The check that did not pass for the most graded learners (ties: the first in check order). */
  mostFailed?: { id: string; title?: string; failed: number };
  /** Distinct scenario file hashes seen: more than one means learners were graded by different versions. */
  scenarioHashes: string[];
}

export interface LearnerFigures {
  learner: string;
  score: number;
  /** The sum of every scenario's maximum, graded or not. */
  maxScore: number;
  /** Scenarios passed, and graded. */
  passed: number;
  graded: number;
  /** The roster's columns for this learner; undefined when the learner is not on the roster. */
  identity?: Record<string, string>;
}

export interface Rollup {
  learners: LearnerFigures[];
  scenarios: ScenarioFigures[];
  /** Learner-major, scenario-minor, in the order of `learners` and `scenarios`; missing pairs are absent. */
  cells: RollupCell[];
  /** The roster's identity columns (empty without a roster). */
  identityColumns: string[];
  /** Things a reader should know: older attempts, learners missing from the roster, mixed scenario versions. */
  notes: string[];
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function timeOf(record: ResultRecord): number {
  const stamp = record.endedAt ?? record.startedAt;
  const ms = stamp === undefined ? Number.NaN : Date.parse(stamp);
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
}

function toCell(record: ResultRecord, attempts: number): RollupCell {
  return {
    learner: record.learner,
    scenario: record.scenario,
    score: record.score,
    maxScore: record.maxScore,
    passed: record.passed,
    attempts,
    file: record.file,
    ...(record.startedAt !== undefined ? { startedAt: record.startedAt } : {}),
    ...(record.endedAt !== undefined ? { endedAt: record.endedAt } : {}),
    ...(record.durationMs !== undefined ? { durationMs: record.durationMs } : {}),
    ...(record.seed !== undefined ? { seed: record.seed } : {}),
    ...(record.scenarioHash !== undefined ? { scenarioHash: record.scenarioHash } : {}),
    ...(record.breakfixVersion !== undefined ? { breakfixVersion: record.breakfixVersion } : {}),
    checks: record.checks,
  };
}

function scenarioFigures(scenario: string, cells: RollupCell[]): ScenarioFigures {
  const graded = cells.length;
  const passed = cells.filter((cell) => cell.passed).length;
  const failures = new Map<string, { id: string; title?: string; failed: number; order: number }>();
  for (const cell of cells) {
    cell.checks.forEach((check, order) => {
      const entry = failures.get(check.id) ?? {
        id: check.id,
        ...(check.title !== undefined ? { title: check.title } : {}),
        failed: 0,
        order,
      };
      if (!check.passed) entry.failed += 1;
      failures.set(check.id, entry);
    });
  }
  const worst = [...failures.values()]
    .filter((entry) => entry.failed > 0)
    .sort((a, b) => b.failed - a.failed || a.order - b.order)[0];
  return {
    scenario,
    graded,
    passed,
    passRate: graded === 0 ? 0 : passed / graded,
    meanScore: graded === 0 ? 0 : cells.reduce((sum, cell) => sum + cell.score, 0) / graded,
    maxScore: Math.max(0, ...cells.map((cell) => cell.maxScore)),
    ...(worst
      ? {
          mostFailed: {
            id: worst.id,
            ...(worst.title !== undefined ? { title: worst.title } : {}),
            failed: worst.failed,
          },
        }
      : {}),
    scenarioHashes: [...new Set(cells.flatMap((cell) => (cell.scenarioHash ? [cell.scenarioHash] : [])))].sort(byText),
  };
}

export function buildRollup(records: readonly ResultRecord[], roster?: Roster): Rollup {
  const notes: string[] = [];
  // The latest result per learner and scenario; later files win ties.
  const groups = new Map<string, ResultRecord[]>();
  for (const record of records) {
    const key = JSON.stringify([record.learner, record.scenario]);
    groups.set(key, [...(groups.get(key) ?? []), record]);
  }
  const latest = new Map<string, RollupCell>();
  for (const [key, group] of groups) {
    const chosen = group.reduce((best, record) => (timeOf(record) >= timeOf(best) ? record : best));
    latest.set(key, toCell(chosen, group.length));
    if (group.length > 1)
      notes.push(
        `${chosen.learner} has ${group.length} results for ${chosen.scenario}: the latest (${chosen.file}) counts`,
      );
  }
  for (const record of records)
    if (record.learnerFromFileName)
      notes.push(`${record.file} names no learner: filed under "${record.learner}" (grade with --learner)`);

  const graded = [...new Set(records.map((record) => record.learner))];
  const learnerIds = roster
    ? [...roster.learners, ...graded.filter((learner) => !roster.identities.has(learner)).sort(byText)]
    : graded.sort(byText);
  if (roster)
    for (const learner of graded)
      if (!roster.identities.has(learner)) notes.push(`${learner} is not on the roster: their row has no LMS identity`);
  const scenarioIds = [...new Set(records.map((record) => record.scenario))].sort(byText);

  const cells: RollupCell[] = [];
  for (const learner of learnerIds)
    for (const scenario of scenarioIds) {
      const cell = latest.get(JSON.stringify([learner, scenario]));
      if (cell) cells.push(cell);
    }

  const scenarios = scenarioIds.map((scenario) =>
    scenarioFigures(
      scenario,
      cells.filter((cell) => cell.scenario === scenario),
    ),
  );
  for (const figures of scenarios)
    if (figures.scenarioHashes.length > 1)
      notes.push(
        `${figures.scenario} was graded against ${figures.scenarioHashes.length} versions of its scenario file (scenarioHash differs)`,
      );

  const learners = learnerIds.map((learner): LearnerFigures => {
    const own = cells.filter((cell) => cell.learner === learner);
    const identity = roster?.identities.get(learner);
    return {
      learner,
      score: own.reduce((sum, cell) => sum + cell.score, 0),
      // Out of every scenario in the roll-up: one not handed in counts as 0 of its maximum.
      maxScore: scenarios.reduce((sum, figures) => sum + figures.maxScore, 0),
      passed: own.filter((cell) => cell.passed).length,
      graded: own.length,
      ...(identity ? { identity } : {}),
    };
  });
  return { learners, scenarios, cells, identityColumns: roster?.columns ?? [], notes };
}

/** The cell of one learner and scenario, if graded. */
export function cellOf(rollup: Rollup, learner: string, scenario: string): RollupCell | undefined {
  return rollup.cells.find((cell) => cell.learner === learner && cell.scenario === scenario);
}
