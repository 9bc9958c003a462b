import { logRows, logWindow } from '../log-view.js';
import { seg, type LineSegments } from '../segments.js';
import { Panel } from './Panel.js';

export { cleanLogLine } from '../log-view.js';

export interface LogPanelProps {
  service: string | undefined;
  lines: readonly string[];
  /** Why nothing is shown (no container yet), when that is the case. */
  note: string | undefined;
  width: number;
  maxLines: number;
  /** Rows scrolled up from the newest line (0: following). */
  scroll?: number;
  /** Only lines containing this text (case-insensitive). */
  filter?: string;
  /** The filter being typed after `/`, shown in the title until Enter or Esc. */
  draft?: string;
}

/** What the title says besides the service: the keys, the filter, how far up the learner is. */
function asideOf(props: LogPanelProps, matched: number, total: number, below: number): LineSegments {
  if (props.draft !== undefined)
    return [seg(`/${props.draft}`, 'accent'), seg('▏  Enter filters · Esc cancels', 'dim')];
  const aside: LineSegments = [];
  if (props.filter) aside.push(seg(`/${props.filter}`, 'accent'), seg(` ${matched} of ${total} lines  `, 'dim'));
  if (below > 0) aside.push(seg(`↓ ${below} more rows · End follows  `, 'warn'));
  aside.push(seg(props.filter ? 'Esc clears · l: next service' : 'l: next service · / filter · ↑↓ scroll', 'dim'));
  return aside;
}

export function LogPanel(props: LogPanelProps) {
  const { service, lines, note, width, maxLines } = props;
  const { rows, matched, total } = logRows(lines, width, props.filter);
  const view = logWindow(rows, maxLines, props.scroll ?? 0);
  const content: LineSegments[] = view.visible;
  if (content.length === 0)
    content.push([
      seg(props.filter && lines.length > 0 ? `no line contains "${props.filter}"` : (note ?? 'no output yet'), 'dim'),
    ]);
  return (
    <Panel
      title={`Logs ${service ?? ''}`}
      aside={asideOf(props, matched, total, view.below)}
      lines={content}
      width={width}
      maxLines={maxLines}
      tail
    />
  );
}
