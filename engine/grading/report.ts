/**
 * The result of one grading round. `toContractJson` gives the JSON shape fixed by the CLI
 * contract; the other fields feed the text, JUnit and TAP reporters.
 */
import type { CheckStatus } from '../checks/check.js';

export interface CheckResult {
  id: string;
  title: string;
  type: string;
  status: CheckStatus;
  passed: boolean;
  errored: boolean;
  /** Points earned: all of `maxPoints` when passed, else 0. */
  points: number;
  maxPoints: number;
  message: string;
  evidence?: string;
  hint?: string;
  durationMs: number;
  /** A probe: the check ran while the lab was perturbed (its evidence lists the phases). */
  probe?: boolean;
  /**
   * Not run, so no verdict of its own (no points): a probe after a check that failed, or a
   * check after the first rejection of a `verify --until-rejected` round.
   */
  notRun?: boolean;
}

/** How a live round proved that the workspace, deployed afresh, passes too. */
export interface DurabilityNote {
  proven: boolean;
  /** The same workspace was proven before (the proof is cached by the workspace's hash). */
  cached: boolean;
  seconds: number;
}

/** A change to the score the scenario declares openly: a hint's cost, a time bonus. */
export interface ScoreAdjustment {
  /** `hints` (cost per hint revealed) or `time` (bonus for solving within the time). */
  kind: 'hints' | 'time';
  /** Negative for a cost. */
  points: number;
  /** "−10 for 2 hints", "+10 for solving within 10m" */
  reason: string;
}

export interface GradeReport {
  scenario: string;
  passed: boolean;
  /** The sum of the checks' points: what gradebooks receive (`grade`, `report`). */
  score: number;
  maxScore: number;
  /**
   * Set when the scenario declares `scoring` (hint cost, time bonus) in a live session: the
   * score with the adjustments, never below 0. Shown to the learner and kept as progress;
   * `score` stays the sum of the checks' points.
   */
  finalScore?: number;
  adjustments?: ScoreAdjustment[];
  checks: CheckResult[];
  startedAt: string;
  durationMs: number;
  seed?: number;
  durability?: DurabilityNote;
  /** When the round ended (ISO time); set by `grade`. */
  endedAt?: string;
  /** Who was graded (`grade --learner`, else GITHUB_ACTOR or git's user.name). */
  learner?: string;
  /** sha256 of the scenario file the round graded against: tells results of two versions apart. */
  scenarioHash?: string;
  /** The breakfix version that graded. */
  breakfixVersion?: string;
  /** The id of the course the scenario belongs to. */
  course?: string;
}

export function summarise(scenario: string, checks: CheckResult[], startedAt: Date, seed?: number): GradeReport {
  const maxScore = checks.reduce((sum, check) => sum + check.maxPoints, 0);
  const score = checks.reduce((sum, check) => sum + check.points, 0);
  return {
    scenario,
    passed: checks.length > 0 && checks.every((check) => check.passed),
    score,
    maxScore,
    checks,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    ...(seed !== undefined ? { seed } : {}),
  };
}

/** `{scenario, passed, score, maxScore, checks:[{id, passed, errored, points, message}]}` plus evidence. */
export function toContractJson(report: GradeReport) {
  return {
    scenario: report.scenario,
    passed: report.passed,
    score: report.score,
    maxScore: report.maxScore,
    ...(report.finalScore !== undefined
      ? { finalScore: report.finalScore, adjustments: report.adjustments ?? [] }
      : {}),
    checks: report.checks.map((check) => ({
      id: check.id,
      passed: check.passed,
      errored: check.errored,
      points: check.points,
      maxPoints: check.maxPoints,
      message: check.message,
      ...(check.evidence ? { evidence: check.evidence } : {}),
    })),
  };
}
