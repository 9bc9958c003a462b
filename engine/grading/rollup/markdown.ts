/**
 * `--format md` (the default): the class view for people — a README, an issue, a job summary
 * (`>> $GITHUB_STEP_SUMMARY`).
 *
 *   # Class results
 *   3 learners · 2 scenarios · 5 results
 *   ## Scores                      learner × scenario: ✓ passed / ✗ not, points, total
 *   ## Scenarios                   graded, passed, pass rate, mean score, the check failed most often
 *   ## Results                     one row per learner and scenario: score, time graded, duration, attempts
 *   ## Notes                       older attempts, learners missing from the roster, mixed scenario versions
 */
import { cellOf, type Rollup, type RollupCell } from './rollup.js';

/** Table cells: pipes escaped, line breaks flattened, so a title can never break the table. */
function cellText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
}

function table(header: string[], rows: string[][], align: Array<'l' | 'r'>): string[] {
  return [
    `| ${header.map(cellText).join(' | ')} |`,
    `| ${align.map((side) => (side === 'r' ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cellText).join(' | ')} |`),
  ];
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

function points(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function seconds(ms: number | undefined): string {
  return ms === undefined ? '—' : `${(ms / 1000).toFixed(1)} s`;
}

function gradedAt(cell: RollupCell): string {
  const stamp = cell.endedAt ?? cell.startedAt;
  return stamp ? stamp.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC') : '—';
}

export function renderMarkdown(rollup: Rollup): string {
  const scenarios = rollup.scenarios.map((figures) => figures.scenario);
  const out: string[] = ['# Class results', ''];
  out.push(
    `${plural(rollup.learners.length, 'learner')} · ${plural(scenarios.length, 'scenario')} · ${plural(rollup.cells.length, 'result')}`,
    '',
  );

  out.push('## Scores', '', '✓ passed every check · ✗ did not · — not graded', '');
  out.push(
    ...table(
      ['learner', ...scenarios, 'total'],
      rollup.learners.map((learner) => [
        learner.learner,
        ...scenarios.map((scenario) => {
          const cell = cellOf(rollup, learner.learner, scenario);
          return cell ? `${cell.passed ? '✓' : '✗'} ${points(cell.score)}/${points(cell.maxScore)}` : '—';
        }),
        `${points(learner.score)}/${points(learner.maxScore)}`,
      ]),
      ['l', ...scenarios.map(() => 'r' as const), 'r'],
    ),
    '',
  );

  out.push('## Scenarios', '');
  out.push(
    ...table(
      ['scenario', 'graded', 'passed', 'pass rate', 'mean score', 'check failed most often'],
      rollup.scenarios.map((figures) => [
        figures.scenario,
        String(figures.graded),
        String(figures.passed),
        `${Math.round(figures.passRate * 100)}%`,
        `${points(figures.meanScore)}/${points(figures.maxScore)}`,
        figures.mostFailed
          ? `${figures.mostFailed.id}${figures.mostFailed.title && figures.mostFailed.title !== figures.mostFailed.id ? ` (${figures.mostFailed.title})` : ''}: ${figures.mostFailed.failed} of ${figures.graded}`
          : '—',
      ]),
      ['l', 'r', 'r', 'r', 'r', 'l'],
    ),
    '',
  );

  out.push('## Results', '');
  out.push(
    ...table(
      ['learner', 'scenario', 'score', 'passed', 'graded at', 'grading took', 'attempts'],
      rollup.cells.map((cell) => [
        cell.learner,
        cell.scenario,
        `${points(cell.score)}/${points(cell.maxScore)}`,
        cell.passed ? 'yes' : 'no',
        gradedAt(cell),
        seconds(cell.durationMs),
        String(cell.attempts),
      ]),
      ['l', 'l', 'r', 'l', 'l', 'r', 'r'],
    ),
    '',
  );

  if (rollup.notes.length > 0) out.push('## Notes', '', ...rollup.notes.map((note) => `- ${note}`), '');
  return `${out.join('\n')}`;
}
