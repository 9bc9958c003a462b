import { seg, type LineSegments } from '../segments.js';
import { Panel } from './Panel.js';

export interface LogPanelProps {
  service: string | undefined;
  lines: readonly string[];
  /** Why nothing is shown (no container yet), when that is the case. */
  note: string | undefined;
  width: number;
  maxLines: number;
}

/** Control characters would move the cursor and wreck the frame; tabs become spaces. */
export function cleanLogLine(line: string): string {
  return line
    .replace(/\t/g, '  ')
    .replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '')
    .replace(/[\x00-\x1f\x7f]/g, '');
}

export function LogPanel({ service, lines, note, width, maxLines }: LogPanelProps) {
  const content: LineSegments[] = lines.map((line) => [seg(cleanLogLine(line))]);
  if (content.length === 0) content.push([seg(note ?? 'no output yet', 'dim')]);
  return (
    <Panel
      title={`Logs ${service ?? ''}`}
      aside={[seg('l: next service', 'dim')]}
      lines={content}
      width={width}
      maxLines={maxLines}
      tail
    />
  );
}
