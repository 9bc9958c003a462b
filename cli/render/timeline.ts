/**
 * The learner's own timeline under a debrief: each thing they did, at minutes:seconds since the
 * symptoms showed, and the total.
 */
import type { Timeline } from '../../engine/index.js';
import { MARK, type Style } from './style.js';
import { formatElapsed } from './text.js';

export function timelineLines(timeline: Timeline, style: Style): string[] {
  if (timeline.entries.length === 0) return [];
  const lines = timeline.entries.map((entry) => {
    const text = entry.failed ? style.warn(entry.text) : entry.text;
    const mark = entry.kind === 'check' && /— solved$/.test(entry.text) ? `${style.ok(MARK.passed)} ` : '';
    return `${style.dim(formatElapsed(entry.offsetMs).padStart(5))}  ${mark}${text}`;
  });
  const total = timeline.solvedAt
    ? `solved in ${formatElapsed(timeline.totalMs)}`
    : `${formatElapsed(timeline.totalMs)} so far`;
  return [...lines, style.bold(total)];
}
