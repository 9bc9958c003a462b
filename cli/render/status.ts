/**
 * `breakfix status`: the session at a glance — state, where, how long, services, the last
 * grading round, hints.
 */
import type { SessionView } from '../../engine/index.js';
import { checkReportLines } from './check-report.js';
import { STATE_LABELS } from './progress.js';
import { serviceLines } from './services.js';
import type { Style } from './style.js';
import { formatDuration, formatElapsed, plural } from './text.js';

export function describeState(view: Pick<SessionView, 'state' | 'busy'>): string {
  if (view.busy) return `${view.busy.state} (${STATE_LABELS[view.busy.state] ?? 'working'}, pid ${view.busy.pid})`;
  return view.state;
}

export type HintView = Pick<SessionView, 'hints' | 'attempts' | 'activeSince'> & Partial<Pick<SessionView, 'state'>>;

/**
 * "next hint after 1 more failed check" / "next hint in 3m" / undefined when none is left, or
 * when no more will unlock: hints unlock only while the lab is active (not once it is solved,
 * stopped or in error), so a solved lab does not announce "next hint in 6m".
 */
export function nextHintRule(view: HintView, now: number): string | undefined {
  const rule = view.hints.nextRule;
  if (!rule) return undefined;
  if (view.state !== undefined && view.state !== 'active') return undefined;
  const parts: string[] = [];
  if (rule.attempts !== undefined) {
    const left = Math.max(1, rule.attempts - view.attempts);
    parts.push(`after ${plural(left, 'more failed check round')}`);
  }
  if (rule.elapsedMs !== undefined && view.activeSince) {
    parts.push(`in ${formatDuration(Date.parse(view.activeSince) + rule.elapsedMs - now)}`);
  }
  return parts.length > 0 ? `next hint ${parts.join(' or ')}` : undefined;
}

export function hintLines(view: HintView, now: number, style: Style): string[] {
  const lines = view.hints.revealed.map((text, index) => `${index + 1}. ${text}`);
  const waiting = view.hints.unlocked - view.hints.revealed.length;
  if (waiting > 0) lines.push(style.accent(`${plural(waiting, 'hint')} unlocked: run \`breakfix hint\``));
  const next = nextHintRule(view, now);
  if (next && view.hints.unlocked < view.hints.total) lines.push(style.dim(next));
  return lines;
}

export function statusLines(view: SessionView, host: string, style: Style, now: number = Date.now()): string[] {
  const since = view.activeSince ?? view.createdAt;
  const lines = [
    style.bold(`${view.scenarioId} · ${view.title}`),
    `state      ${describeState(view)}${view.release > 0 ? `, release ${view.release}` : ''}${view.attempts > 0 ? `, ${plural(view.attempts, 'failed check round')}` : ''}`,
    `workspace  ${view.workspace}`,
    `session    ${view.sessionId} (seed ${view.seed})   elapsed ${formatElapsed(now - Date.parse(since))}`,
  ];
  if (view.error)
    lines.push(style.bad(`error      ${view.error.message.split('\n', 1)[0]} (while ${view.error.during})`));
  if (view.lastFailure) lines.push(style.warn(`last try   ${view.lastFailure.message.split('\n', 1)[0]}`));
  if (view.engineRestart) lines.push(style.warn(`engine     ${view.engineRestart.message}`));
  if (view.services.length > 0) {
    lines.push('', 'services');
    lines.push(...serviceLines(view.services, host, style).map((line) => `  ${line}`));
  }
  lines.push(
    '',
    view.lastReport && view.lastReportStale
      ? `last check ${style.warn(`(stale: it ran before release ${view.release}, which runs now; \`breakfix check\` grades it)`)}`
      : 'last check',
  );
  if (view.lastReport)
    lines.push(...checkReportLines(view.lastReport, style, { hints: false }).map((line) => `  ${line}`));
  else lines.push(style.dim('  none yet: run `breakfix check`'));
  const hints = hintLines(view, now, style);
  lines.push('', `hints (${view.hints.revealed.length} of ${view.hints.total} revealed)`);
  lines.push(...(hints.length > 0 ? hints : [style.dim('none unlocked yet')]).map((line) => `  ${line}`));
  return lines;
}
