/**
 * A grading round as a table: mark, check id, points, the check's message, and the check's hint
 * under each failure. Messages are printed whole — they carry the evidence a learner reads.
 */
import type { CheckResult, GradeReport } from '../../engine/index.js';
import { MARK, type Style } from './style.js';
import { padEnd, plural } from './text.js';

export function checkMark(check: Pick<CheckResult, 'passed' | 'errored'>, style: Style): string {
  if (check.passed) return style.ok(MARK.passed);
  return check.errored ? style.warn(MARK.errored) : style.bad(MARK.failed);
}

export function pointsOf(check: Pick<CheckResult, 'points' | 'maxPoints'>): string {
  return `${check.points}/${check.maxPoints}`;
}

/** `2 of 3 checks pass · 70/100`, and with the scenario's scoring `… · 70/100 − 10 for 2 hints = 60` */
export function reportSummary(report: GradeReport): string {
  const passing = report.checks.filter((check) => check.passed).length;
  const summary = `${passing} of ${plural(report.checks.length, 'check')} pass · ${report.score}/${report.maxScore}`;
  if (report.finalScore === undefined || (report.adjustments ?? []).length === 0) return summary;
  return `${summary} ${(report.adjustments ?? []).map((entry) => entry.reason).join(' ')} = ${report.finalScore}`;
}

export function checkReportLines(report: GradeReport, style: Style, options: { hints?: boolean } = {}): string[] {
  const idWidth = Math.max(...report.checks.map((check) => check.id.length));
  const pointsWidth = Math.max(...report.checks.map((check) => pointsOf(check).length));
  const lines: string[] = [];
  for (const check of report.checks) {
    lines.push(
      `${checkMark(check, style)} ${padEnd(check.id, idWidth)}  ${pointsOf(check).padStart(pointsWidth)}  ${check.errored ? style.warn(check.message) : check.message}`,
    );
    if (check.errored) lines.push(style.dim(`    the checker could not run this check; that is not your fix's fault`));
    if (options.hints !== false && !check.passed && check.hint) lines.push(style.dim(`    hint: ${check.hint}`));
  }
  const summary = reportSummary(report);
  lines.push(report.passed ? style.ok(`${MARK.passed} ${summary} — solved`) : style.bold(summary));
  return lines;
}
