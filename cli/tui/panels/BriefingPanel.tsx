import { plainMarkdown, wrap } from '../../render/text.js';
import { seg, type LineSegments } from '../segments.js';
import { Panel } from './Panel.js';

/** The wrapped text; when it does not fit, blank lines between paragraphs go first. */
export function briefingLines(markdown: string, width: number, maxLines = Number.POSITIVE_INFINITY): LineSegments[] {
  const lines = wrap(plainMarkdown(markdown), Math.max(10, width - 2));
  const fitted = lines.length > maxLines ? lines.filter((line) => line !== '') : lines;
  return fitted.map((line) => [seg(`  ${line}`)]);
}

export interface BriefingPanelProps {
  markdown: string;
  /** After the lab is solved the panel shows the debrief instead. */
  kind: 'briefing' | 'debrief';
  width: number;
  maxLines: number;
}

export function BriefingPanel({ markdown, kind, width, maxLines }: BriefingPanelProps) {
  return (
    <Panel
      title={kind === 'debrief' ? 'Debrief — solved' : 'Briefing'}
      aside={kind === 'debrief' ? [seg('✓', 'ok')] : []}
      lines={briefingLines(markdown, width, maxLines)}
      width={width}
      maxLines={maxLines}
      moreHint="? shows it all"
    />
  );
}
