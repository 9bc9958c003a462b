import { nextHintRule, type HintView } from '../../render/status.js';
import { plainMarkdown, plural, wrap } from '../../render/text.js';
import { seg, type LineSegments } from '../segments.js';
import { Panel } from './Panel.js';

export type HintsView = HintView;

/** Revealed hints wrapped to the width (a hint cut in half is no hint), then what comes next. */
export function hintSegments(view: HintsView | undefined, now: number, width: number): LineSegments[] {
  if (!view) return [];
  const lines: LineSegments[] = view.hints.revealed.flatMap((text, index) => {
    const number = `${index + 1}. `;
    return wrap(plainMarkdown(text).replace(/\s*\n\s*/g, ' '), Math.max(10, width - number.length)).map(
      (line, row): LineSegments => [seg(row === 0 ? number : ' '.repeat(number.length), 'accent'), seg(line)],
    );
  });
  const waiting = view.hints.unlocked - view.hints.revealed.length;
  if (waiting > 0) lines.push([seg(`${plural(waiting, 'hint')} unlocked: press h`, 'accent')]);
  else if (view.hints.unlocked < view.hints.total) {
    const next = nextHintRule(view, now);
    if (next) lines.push([seg(next, 'dim')]);
  }
  return lines;
}

export interface HintsPanelProps {
  view: HintsView | undefined;
  now: number;
  width: number;
  maxLines: number;
}

export function HintsPanel({ view, now, width, maxLines }: HintsPanelProps) {
  const aside = view ? [seg(`${view.hints.revealed.length} of ${view.hints.total} revealed`, 'dim')] : [];
  return <Panel title="Hints" aside={aside} lines={hintSegments(view, now, width)} width={width} maxLines={maxLines} />;
}
