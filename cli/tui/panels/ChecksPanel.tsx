import type { GradeReport } from '../../../engine/index.js';
import { pointsOf, reportSummary } from '../../render/check-report.js';
import { MARK } from '../../render/style.js';
import { padEnd } from '../../render/text.js';
import { seg, type LineSegments } from '../segments.js';
import { Panel } from './Panel.js';

export function checkSegments(report: GradeReport | undefined): LineSegments[] {
  if (!report) return [[seg('no check yet: fix something, press a to apply, then c to check', 'dim')]];
  const idWidth = Math.max(...report.checks.map((check) => check.id.length));
  const pointsWidth = Math.max(...report.checks.map((check) => pointsOf(check).length));
  return report.checks.map((check) => {
    const mark = check.passed
      ? seg(MARK.passed, 'ok')
      : check.errored
        ? seg(MARK.errored, 'warn')
        : seg(MARK.failed, 'bad');
    return [
      mark,
      seg(` ${padEnd(check.id, idWidth)}  ${pointsOf(check).padStart(pointsWidth)}  `),
      seg(check.message, check.passed ? 'dim' : check.errored ? 'warn' : undefined),
    ];
  });
}

export interface ChecksPanelProps {
  report: GradeReport | undefined;
  /** The report ran before the release that runs now: say so, the verdict is about a lab that is gone. */
  stale?: boolean;
  width: number;
  maxLines: number;
}

export function ChecksPanel({ report, stale, width, maxLines }: ChecksPanelProps) {
  const aside = report
    ? [
        seg(reportSummary(report), report.passed ? 'ok' : 'warn'),
        seg(`  ${new Date(report.startedAt).toLocaleTimeString('en-GB')}`, 'dim'),
        ...(stale ? [seg('  stale: ran before this release', 'warn')] : []),
      ]
    : [];
  return <Panel title="Checks" aside={aside} lines={checkSegments(report)} width={width} maxLines={maxLines} />;
}
