/**
 * One `watch` round, compactly: what changed, whether it deployed, how the checks went, and
 * only the failing checks' messages — the loop is edit, save, read three lines.
 */
import type { GradeReport } from '../../engine/index.js';
import { checkMark, reportSummary } from './check-report.js';
import { MARK, type Style } from './style.js';

export interface WatchRound {
  at: Date;
  changed: string[];
  applied: boolean;
  release: number;
  /** Why the apply or the check could not go through (an apply's reason may span lines). */
  failure?: string;
  report?: GradeReport;
}

export function watchRoundLines(round: WatchRound, style: Style): string[] {
  const time = round.at.toLocaleTimeString('en-GB');
  const files =
    round.changed.length > 3
      ? `${round.changed.slice(0, 3).join(', ')} and ${round.changed.length - 3} more`
      : round.changed.join(', ');
  const lines = [style.dim(`${time}  ${files} changed`)];
  if (!round.applied) {
    const [first, ...rest] = (round.failure ?? 'unknown reason').replace(/\n+$/, '').split('\n');
    lines.push(`  ${style.bad(MARK.failed)} apply failed: ${first}`);
    for (const line of rest) lines.push(`    ${line.trimStart()}`);
    return lines;
  }
  lines.push(`  ${style.ok(MARK.passed)} applied: release ${round.release}`);
  if (!round.report) {
    lines.push(`  ${style.warn(MARK.errored)} the checks could not run: ${round.failure ?? 'no report'}`);
    return lines;
  }
  const summary = reportSummary(round.report);
  lines.push(
    round.report.passed
      ? `  ${style.ok(`${MARK.passed} ${summary} — solved`)}`
      : `  ${style.bad(MARK.failed)} ${summary}`,
  );
  for (const check of round.report.checks.filter((entry) => !entry.passed))
    lines.push(`    ${checkMark(check, style)} ${check.id}: ${check.message}`);
  return lines;
}
