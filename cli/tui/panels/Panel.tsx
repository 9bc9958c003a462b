import { Box } from 'ink';
import { seg, type LineSegments } from '../segments.js';
import { Line } from './Line.js';

export interface PanelProps {
  title: string;
  /** Shown after the title, e.g. a score or the selected service. */
  aside?: LineSegments;
  lines: LineSegments[];
  width: number;
  /** Content rows; extra lines are summarised as "… N more". */
  maxLines: number;
  /** Keep the last lines rather than the first (logs). */
  tail?: boolean;
  /** Where the cut lines can be read, shown after "… N more". */
  moreHint?: string;
}

export function clip(lines: LineSegments[], maxLines: number, tail = false, hint?: string): LineSegments[] {
  if (lines.length <= maxLines) return lines;
  if (maxLines <= 0) return [];
  if (tail) return lines.slice(lines.length - maxLines);
  const hidden = lines.length - maxLines + 1;
  return [...lines.slice(0, maxLines - 1), [seg(`… ${hidden} more${hint ? ` (${hint})` : ''}`, 'dim')]];
}

export function Panel({ title, aside, lines, width, maxLines, tail, moreHint }: PanelProps) {
  return (
    <Box flexDirection="column" width={width}>
      <Line
        segments={[seg(title, 'bold'), ...(aside && aside.length > 0 ? [seg('  '), ...aside] : [])]}
        width={width}
      />
      {clip(lines, maxLines, tail, moreHint).map((line, index) => (
        <Line key={index} segments={line} width={width} />
      ))}
    </Box>
  );
}
