/**
 * `--format classroom`: the result document GitHub Classroom's autograding reporter
 * (classroom-resources/autograding-grading-reporter) reads, for ONE learner's repository — the
 * shape its own graders (autograding-io-grader, -command-grader) write:
 *
 *   { version: 1, status: "pass" | "fail" | "error", max_score,
 *     tests: [{ name, status, score, max_score, message, test_code, filename, line_no, execution_time }] }
 *
 * One test per check of each scenario the learner was graded on (their latest result). The
 * reporter sends the sum of the tests' `score` out of `max_score` to Classroom, so scores are the
 * checks' points: partial credit survives. A workflow hands the document to the reporter base64
 * encoded, in `<RUNNER>_RESULTS` (docs/ci-grading.md shows the step).
 */
import { BreakfixError } from '../../errors.js';
import type { Rollup, RollupCell } from './rollup.js';

export type ClassroomStatus = 'pass' | 'fail' | 'error';

export interface ClassroomTest {
  name: string;
  status: ClassroomStatus;
  score: number;
  max_score: number;
  message: string | null;
  test_code: string;
  filename: string;
  line_no: number;
  execution_time: string;
}

export interface ClassroomResult {
  version: 1;
  status: ClassroomStatus;
  max_score: number;
  tests: ClassroomTest[];
}

function testsOf(cell: RollupCell): ClassroomTest[] {
  return cell.checks.map((check) => ({
    name: `${cell.scenario}: ${check.title && check.title !== check.id ? `${check.id} (${check.title})` : check.id}`,
    status: check.passed ? 'pass' : check.errored ? 'error' : 'fail',
    score: check.points,
    max_score: check.maxPoints,
    message: check.message === '' ? null : check.message,
    test_code: `breakfix grade ${cell.scenario}${cell.seed !== undefined ? ` --seed ${cell.seed}` : ''}`,
    filename: '',
    line_no: 0,
    execution_time: `${((check.durationMs ?? 0) / 1000).toFixed(2)}s`,
  }));
}

export function toClassroom(rollup: Rollup): ClassroomResult {
  const graded = rollup.learners.filter((learner) => learner.graded > 0);
  if (graded.length !== 1)
    throw new BreakfixError(
      'usage',
      `--format classroom writes one learner's document, but the results are of ${graded.length} learners${graded.length > 0 ? ` (${graded.map((learner) => learner.learner).join(', ')})` : ''}`,
      "pass only that learner's result files",
    );
  const cells = rollup.cells.filter((cell) => cell.learner === graded[0]!.learner);
  const tests = cells.flatMap(testsOf);
  const status: ClassroomStatus = tests.some((test) => test.status === 'fail')
    ? 'fail'
    : tests.some((test) => test.status === 'error') || tests.length === 0
      ? 'error'
      : 'pass';
  return {
    version: 1,
    status,
    max_score: tests.reduce((sum, test) => sum + test.max_score, 0),
    tests,
  };
}

export function renderClassroom(rollup: Rollup): string {
  return `${JSON.stringify(toClassroom(rollup), null, 2)}\n`;
}
