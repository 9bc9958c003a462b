import { plainMarkdown, wrap } from '../../render/text.js';
import { seg, type LineSegments } from '../segments.js';
import { Panel } from './Panel.js';

export function briefingLines(markdown: string, width: number): LineSegments[] {
  const lines = wrap(plainMarkdown(markdown), Math.max(10, width - 2));
  // Blank lines cost a row each on a 24-row screen; paragraphs still break visibly by wrap.
  return lines.filter((line, index) => line !== '' || (index > 0 && lines[index - 1] !== '')).map((line) => [seg(`  ${line}`)]);
}

export interface BriefingPanelProps {
  markdown: string;
  /** After the lab is solved the panel shows the debrief instead. */
  kind: 'briefing' | 'debrief';
  width: number;
  maxLines: number;
}

export function BriefingPanel({ markdown, kind, width, maxLines }: BriefingPanelProps) {
  return <Panel title={kind === 'debrief' ? 'Debrief — solved' : 'Briefing'} aside={kind === 'debrief' ? [seg('✓', 'ok')] : []} lines={briefingLines(markdown, width)} width={width} maxLines={maxLines} />;
}
