import { KEY_BINDINGS } from '../keys.js';
import { seg, type LineSegments } from '../segments.js';
import { Panel } from './Panel.js';

export function helpSegments(): LineSegments[] {
  return [
    ...KEY_BINDINGS.map((binding): LineSegments => [seg(`  ${binding.key}  `, 'accent'), seg(binding.help)]),
    [seg('  Ctrl-C  ', 'accent'), seg('while starting: cancel and remove the lab; otherwise like q')],
    [],
    [seg('Edit the files in the workspace with your own editor, then press a and c.', 'dim')],
    [seg('In another terminal: `breakfix logs api`, `docker ps`, `curl` — it is a real lab.', 'dim')],
  ];
}

export function HelpPanel({ width, maxLines, workspace }: { width: number; maxLines: number; workspace: string }) {
  return <Panel title="Help" aside={[seg(`workspace ${workspace}`, 'dim'), seg('  ? or Esc closes', 'dim')]} lines={helpSegments()} width={width} maxLines={maxLines} />;
}
