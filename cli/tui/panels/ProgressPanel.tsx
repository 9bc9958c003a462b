import { STATE_LABELS } from '../../render/progress.js';
import { MARK } from '../../render/style.js';
import { padEnd } from '../../render/text.js';
import type { ProgressBoard, ServiceProgress } from '../model.js';
import { seg, type LineSegments, type Tone } from '../segments.js';
import { Panel } from './Panel.js';

const STATUS_TONE: Partial<Record<NonNullable<ServiceProgress['status']>, Tone>> = {
  ready: 'ok',
  kept: 'ok',
  built: 'ok',
  'not-started': 'bad',
  failed: 'bad',
  removed: 'dim',
};

export function progressSegments(board: ProgressBoard): LineSegments[] {
  const entries = Object.entries(board.services);
  const lines: LineSegments[] = [];
  const nameWidth = Math.max(0, ...entries.map(([name]) => name.length));
  for (const [name, progress] of entries) {
    const status = progress.status ?? 'waiting';
    // While building, the step and the build's latest output say how far it got.
    const detail =
      status === 'building'
        ? [progress.step, progress.output].filter((part) => part !== undefined).join(' · ')
        : (progress.detail ?? '');
    lines.push([
      seg(`${padEnd(name, nameWidth)}  `),
      seg(padEnd(status, 11), STATUS_TONE[status] ?? 'accent'),
      ...(detail ? [seg(` ${detail}`, 'dim')] : []),
    ]);
  }
  const { observed, missing } = board.symptoms;
  if (observed + missing > 0)
    lines.push([
      seg(missing > 0 ? MARK.failed : MARK.passed, missing > 0 ? 'bad' : 'ok'),
      seg(` symptoms: ${observed} observed${missing > 0 ? `, ${missing} not observed` : ''}`),
    ]);
  if (lines.length === 0) lines.push([seg('…', 'dim')]);
  return lines;
}

export function ProgressPanel({ board, width, maxLines }: { board: ProgressBoard; width: number; maxLines: number }) {
  const stage = board.stage ? (STATE_LABELS[board.stage] ?? board.stage) : 'working';
  return (
    <Panel
      title="Progress"
      aside={[seg(stage, 'accent')]}
      lines={progressSegments(board)}
      width={width}
      maxLines={maxLines}
    />
  );
}
