/**
 * A TUI line is a list of styled segments, built by pure functions (tested without Ink) and
 * drawn by <Line>, which cuts it to the panel's width so nothing ever wraps and pushes the
 * layout out of the terminal.
 */

export type Tone = 'ok' | 'bad' | 'warn' | 'accent' | 'dim' | 'bold';

export interface Segment {
  text: string;
  tone?: Tone;
}

export type LineSegments = Segment[];

export const seg = (text: string, tone?: Tone): Segment => (tone ? { text, tone } : { text });

export function lineText(line: LineSegments): string {
  return line.map((segment) => segment.text).join('');
}

/** Cuts a line to `width` characters, ending in `…` when something was cut. */
export function fitSegments(line: LineSegments, width: number): LineSegments {
  const total = [...lineText(line)].length;
  if (total <= width) return line;
  const out: LineSegments = [];
  let room = Math.max(0, width - 1);
  for (const segment of line) {
    if (room <= 0) break;
    const chars = [...segment.text];
    const kept = chars.slice(0, room).join('');
    room -= Math.min(room, chars.length);
    out.push({ ...segment, text: kept });
  }
  out.push(seg('…', 'dim'));
  return out;
}
