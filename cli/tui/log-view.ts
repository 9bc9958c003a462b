/**
 * The TUI's log pane as pure functions: each line made readable (JSON log lines as time ·
 * level · message · key=value, see render/log-line.ts), filtered by the learner's `/` text,
 * wrapped to the pane's width (a cut line hides the one message that names the problem), and
 * windowed by how far the learner scrolled up from the newest line.
 */
import { logLineParts, partsText } from '../render/log-line.js';
import { seg, type LineSegments, type Segment } from './segments.js';

/** Control characters would move the cursor and wreck the frame; tabs become spaces. */
export function cleanLogLine(line: string): string {
  return line
    .replace(/\t/g, '  ')
    .replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '')
    .replace(/[\x00-\x1f\x7f]/g, '');
}

/** Continuation rows of a wrapped line are indented, so where a line starts stays visible. */
const CONTINUATION = '  ';

/** Wraps styled segments to `width` columns, at spaces where it can, mid-word where it must. */
export function wrapSegments(line: LineSegments, width: number): LineSegments[] {
  const room = Math.max(4, width);
  const chars: Array<{ char: string; tone: Segment['tone'] }> = line.flatMap((segment) =>
    [...segment.text].map((char) => ({ char, tone: segment.tone })),
  );
  if (chars.length === 0) return [[]];
  const rows: LineSegments[] = [];
  let start = 0;
  while (start < chars.length) {
    const first = rows.length === 0;
    const limit = first ? room : room - CONTINUATION.length;
    let end = Math.min(chars.length, start + limit);
    if (end < chars.length) {
      // Break after the last space in the row, unless that leaves it nearly empty.
      const lastSpace = chars
        .slice(start, end)
        .map((entry) => entry.char)
        .lastIndexOf(' ');
      if (lastSpace > limit / 3) end = start + lastSpace + 1;
    }
    const row: LineSegments = first ? [] : [seg(CONTINUATION)];
    for (const entry of chars.slice(start, end)) {
      const last = row.at(-1);
      if (last && last.tone === entry.tone) last.text += entry.char;
      else row.push(entry.tone ? { text: entry.char, tone: entry.tone } : { text: entry.char });
    }
    rows.push(row);
    start = end;
  }
  return rows;
}

export interface LogRows {
  rows: LineSegments[];
  /** Lines that matched the filter (all lines without one). */
  matched: number;
  total: number;
}

/** The pane's rows: readable, filtered (case-insensitive, on the text as shown), wrapped. */
export function logRows(lines: readonly string[], width: number, filter?: string): LogRows {
  const needle = filter?.trim().toLowerCase();
  let matched = 0;
  const rows: LineSegments[] = [];
  for (const line of lines) {
    const parts = logLineParts(cleanLogLine(line));
    if (needle && !partsText(parts).toLowerCase().includes(needle)) continue;
    matched += 1;
    rows.push(...wrapSegments(parts as LineSegments, width));
  }
  return { rows, matched, total: lines.length };
}

export interface LogWindow {
  visible: LineSegments[];
  /** The scroll actually applied (clamped to what there is). */
  scroll: number;
  /** Rows below the window (0: following the newest line). */
  below: number;
  maxScroll: number;
}

/** The `height` rows ending `scroll` rows above the newest one. */
export function logWindow(rows: readonly LineSegments[], height: number, scroll: number): LogWindow {
  const maxScroll = Math.max(0, rows.length - height);
  const applied = Math.min(Math.max(0, scroll), maxScroll);
  const end = rows.length - applied;
  return { visible: rows.slice(Math.max(0, end - height), end), scroll: applied, below: applied, maxScroll };
}
