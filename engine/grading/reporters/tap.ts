/**
 * `--reporter tap`: TAP version 14 (https://testanything.org/tap-version-14-specification.html).
 *
 *   TAP version 14
 *   1..3
 *   ok 1 - api-healthy: The API answers /health
 *     ---
 *     message: ...
 *     points: 70
 *     maxPoints: 70
 *     ...
 *   not ok 2 - api-stable            a failed check: severity fail, evidence and hint
 *   not ok 3 - db-ready              an errored check: severity error, errored: true
 *   # score 70/100 (seed 7)
 *
 * Every test point carries a YAML diagnostics block (indented two spaces, `---` … `...`).
 * Descriptions escape `#` and `\` as the specification requires, so a check title cannot
 * turn into a directive.
 */
import { stringify } from 'yaml';
import type { CheckResult, GradeReport } from '../report.js';
import { checkLabel, printable } from './text-safety.js';

/** TAP 14: `\` and `#` in a description are escaped with a backslash. */
export function tapDescription(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/#/g, '\\#');
}

function diagnostics(check: CheckResult): Record<string, unknown> {
  return {
    message: printable(check.message),
    severity: check.passed ? 'pass' : check.errored ? 'error' : 'fail',
    ...(check.errored ? { errored: true } : {}),
    type: check.type,
    points: check.points,
    maxPoints: check.maxPoints,
    durationMs: check.durationMs,
    ...(check.evidence ? { evidence: printable(check.evidence) } : {}),
    ...(!check.passed && check.hint ? { hint: printable(check.hint) } : {}),
  };
}

function yamlBlock(data: Record<string, unknown>): string[] {
  const body = stringify(data, { lineWidth: 0, blockQuote: 'literal' }).replace(/\n$/, '');
  return ['  ---', ...body.split('\n').map((line) => `  ${line}`), '  ...'];
}

export function renderTap(report: GradeReport): string {
  const lines = [
    'TAP version 14',
    `# breakfix grade ${report.scenario}${report.seed !== undefined ? ` (seed ${report.seed})` : ''}`,
    `1..${report.checks.length}`,
  ];
  report.checks.forEach((check, index) => {
    lines.push(`${check.passed ? 'ok' : 'not ok'} ${index + 1} - ${tapDescription(checkLabel(check))}`);
    lines.push(...yamlBlock(diagnostics(check)));
  });
  const failed = report.checks.filter((check) => !check.passed && !check.errored).length;
  const errored = report.checks.filter((check) => check.errored).length;
  lines.push(
    `# score ${report.score}/${report.maxScore}: ${report.checks.length - failed - errored} passed, ${failed} failed, ${errored} errored`,
  );
  return `${lines.join('\n')}\n`;
}
