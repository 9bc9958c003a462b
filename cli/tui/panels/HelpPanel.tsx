import { KEY_BINDINGS } from '../keys.js';
import { seg, type LineSegments } from '../segments.js';
import { briefingLines } from './BriefingPanel.js';
import { Panel } from './Panel.js';

export function helpSegments(): LineSegments[] {
  return [
    ...KEY_BINDINGS.map((binding): LineSegments => [seg(`  ${binding.key}  `, 'accent'), seg(binding.help)]),
    [seg('  Ctrl-C  ', 'accent'), seg('while starting: cancel and remove the lab; otherwise like q')],
    [seg('Edit the files with your own editor, then press a and c. `breakfix logs`, `docker ps`', 'dim')],
    [seg('and `curl` work in another terminal: it is a real lab.', 'dim')],
  ];
}

export interface HelpPanelProps {
  width: number;
  maxLines: number;
  workspace: string;
  /** The whole briefing (or debrief), which the main screen may have had to cut. */
  briefing: string;
}

export function HelpPanel({ width, maxLines, workspace, briefing }: HelpPanelProps) {
  // The briefing first: the keys are in the footer too, the briefing is not.
  const lines: LineSegments[] = [
    [seg('Briefing', 'bold')],
    ...briefingLines(briefing, width),
    [],
    [seg('Keys', 'bold')],
    ...helpSegments(),
  ];
  return (
    <Panel
      title="Help"
      aside={[seg(`workspace ${workspace}`, 'dim'), seg('  ? or Esc closes', 'dim')]}
      lines={lines}
      width={width}
      maxLines={maxLines}
    />
  );
}
