/**
 * `--format json`: the roll-up for scripts —
 *
 *   { learners: [{learner, score, maxScore, passed, graded, identity?}],
 *     scenarios: [{scenario, graded, passed, passRate, meanScore, maxScore, mostFailed?: {id, title?, failed}, scenarioHashes}],
 *     results: [{learner, scenario, score, maxScore, passed, attempts, file, startedAt?, endedAt?, durationMs?,
 *                seed?, scenarioHash?, breakfixVersion?, failedChecks: [id…]}],
 *     notes: [string] }
 *
 * No generation time: the same files give the same bytes, so a committed roll-up diffs cleanly.
 */
import type { Rollup } from './rollup.js';

export function rollupJson(rollup: Rollup) {
  return {
    learners: rollup.learners,
    scenarios: rollup.scenarios,
    results: rollup.cells.map(({ checks, ...cell }) => ({
      ...cell,
      failedChecks: checks.filter((check) => !check.passed).map((check) => check.id),
    })),
    notes: rollup.notes,
  };
}

export function renderRollupJson(rollup: Rollup): string {
  return `${JSON.stringify(rollupJson(rollup), null, 2)}\n`;
}
