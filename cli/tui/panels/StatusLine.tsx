import type { Activity, TuiModel } from '../model.js';
import { ACTION_LABELS } from '../model.js';
import { seg, type LineSegments, type Tone } from '../segments.js';
import { Line } from './Line.js';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const MESSAGE_TONE: Record<NonNullable<TuiModel['message']>['tone'], Tone> = {
  info: 'accent',
  ok: 'ok',
  warn: 'warn',
  error: 'bad',
};

export function activitySegments(activity: Activity, frame: number, now: number, explain: boolean): LineSegments {
  const seconds = Math.max(0, Math.floor((now - activity.since) / 1000));
  const parts = [
    seg(`${SPINNER[frame % SPINNER.length]} busy: `, 'warn'),
    seg(ACTION_LABELS[activity.action]),
    seg(` ${seconds}s`, 'dim'),
  ];
  return explain ? [...parts, seg(' · keys that act are ignored until it finishes', 'dim')] : parts;
}

export interface StatusLineProps {
  model: Pick<TuiModel, 'activity' | 'message' | 'confirm'>;
  frame: number;
  now: number;
  width: number;
}

/** Busy indicator first (it explains why keys are ignored), then a pending confirmation, then the last message. */
export function statusSegments({ model, frame, now }: Omit<StatusLineProps, 'width'>): LineSegments {
  const parts: LineSegments = [];
  // With a message to show, the busy indicator is kept short so the message fits.
  if (model.activity && model.activity.action !== 'tick')
    parts.push(...activitySegments(model.activity, frame, now, !model.message));
  if (model.confirm && model.confirm.until > now) {
    const key = model.confirm.command === 'reset' ? 'r' : 's';
    const what =
      model.confirm.command === 'reset'
        ? 'reset the lab (your files move to .breakfix/backups/)'
        : 'remove the lab and quit (your files stay)';
    return [seg(`press ${key} again to ${what}; any other key cancels`, 'warn')];
  }
  if (model.message) {
    if (parts.length > 0) parts.push(seg(' · '));
    parts.push(seg(model.message.text, MESSAGE_TONE[model.message.tone]));
  }
  return parts.length > 0 ? parts : [seg('ready', 'dim')];
}

export function StatusLine(props: StatusLineProps) {
  return <Line segments={statusSegments(props)} width={props.width} />;
}
