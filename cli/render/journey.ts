/**
 * The learner's journey as text: `breakfix progress` (every scenario of the course with its
 * mark, best score, time to solve, rounds and hints), `breakfix` with no command (where you
 * are, what is up, what comes next) and the "next" line under a debrief.
 */
import type { Journey, JourneyScenario, LabPlace, NextStep } from '../../engine/index.js';
import { MARK, type Style } from './style.js';
import { formatDuration, padEnd, plural } from './text.js';

/** "3m ago", "2h ago", "5d ago" */
export function ago(iso: string, now: number): string {
  const ms = Math.max(0, now - Date.parse(iso));
  if (ms < 60_000) return 'just now';
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)}m ago`;
  if (ms < 86_400_000) return `${Math.floor(ms / 3_600_000)}h ago`;
  return `${Math.floor(ms / 86_400_000)}d ago`;
}

export function scoreText(entry: Pick<JourneyScenario, 'bestScore' | 'maxScore' | 'bestFinalScore'>): string {
  if (entry.bestScore === undefined) return '–';
  const score = `${entry.bestScore}/${entry.maxScore ?? '?'}`;
  return entry.bestFinalScore !== undefined && entry.bestFinalScore !== entry.bestScore
    ? `${score} (final ${entry.bestFinalScore})`
    : score;
}

function detailText(entry: JourneyScenario, now: number): string {
  const parts: string[] = [];
  if (entry.solved && entry.timeToSolveMs !== undefined) parts.push(`solved in ${formatDuration(entry.timeToSolveMs)}`);
  if (entry.checkRounds > 0) parts.push(plural(entry.checkRounds, 'round'));
  if (entry.hintsUsed > 0 || entry.solved) parts.push(plural(entry.hintsUsed, 'hint'));
  if (!entry.solved && entry.lastAttemptAt) parts.push(`last tried ${ago(entry.lastAttemptAt, now)}`);
  return parts.length > 0 ? parts.join(' · ') : 'not started';
}

export function markOf(entry: JourneyScenario, style: Style): string {
  if (entry.solved) return style.ok(MARK.passed);
  return entry.lastAttemptAt ? style.warn(MARK.neutral) : ' ';
}

/** `✓ wrong-port  beginner  100/100  solved in 4m · 2 rounds · 0 hints` */
export function journeyTableLines(scenarios: readonly JourneyScenario[], style: Style, now: number): string[] {
  if (scenarios.length === 0) return [];
  const idWidth = Math.max(...scenarios.map((entry) => entry.id.length));
  const levelWidth = Math.max(...scenarios.map((entry) => entry.difficulty.length));
  const scoreWidth = Math.max(...scenarios.map((entry) => scoreText(entry).length));
  return scenarios.map(
    (entry) =>
      `${markOf(entry, style)} ${padEnd(entry.id, idWidth)}  ${padEnd(entry.difficulty, levelWidth)}  ${scoreText(entry).padStart(scoreWidth)}  ${style.dim(detailText(entry, now))}`,
  );
}

export function nextLines(next: NextStep | undefined, style: Style, label = 'next'): string[] {
  if (!next) return [style.ok(`${MARK.passed} every scenario of the course is solved`)];
  return [
    `${style.bold(label)}  ${next.id} (${next.difficulty}) — ${next.title}`,
    `      ${style.accent(next.command)}`,
  ];
}

export function progressLines(journey: Journey, style: Style, now: number = Date.now()): string[] {
  return [
    style.bold(`${journey.course.title} course: ${journey.solved} of ${journey.total} solved`),
    ...journeyTableLines(journey.scenarios, style, now),
    '',
    ...nextLines(journey.next, style),
    '',
    style.dim(`kept in ${journey.file}; \`breakfix progress --reset [<id>]\` forgets it`),
  ];
}

function labLine(lab: LabPlace, style: Style, width: number): string {
  const state = lab.state === 'passed' ? style.ok(lab.state) : lab.state === 'error' ? style.bad(lab.state) : lab.state;
  return `  ${padEnd(lab.scenario, width)}  ${state}  ${lab.workspace}${lab.here ? style.dim('  (here)') : ''}`;
}

/** `breakfix` with no command: where you are, what is up, what comes next. */
export function homeLines(journey: Journey, style: Style, now: number = Date.now()): string[] {
  const lines = [style.bold('breakfix') + style.dim(' — break/fix labs on your own Docker')];
  if (journey.here) {
    const { here } = journey;
    lines.push(
      '',
      `You are in the workspace of ${style.bold(here.scenario)} (${here.state}).`,
      here.state === 'stopped'
        ? `  ${style.accent(`breakfix start ${here.scenario}`)}  brings it back with your files`
        : `  ${style.accent('breakfix status')}  ·  ${style.accent('breakfix check')}  ·  ${style.accent('breakfix hint')}`,
    );
  }
  if (journey.labs.length > 0) {
    const width = Math.max(...journey.labs.map((lab) => lab.scenario.length));
    lines.push(
      '',
      style.bold(`Labs up (${journey.labs.length})`),
      ...journey.labs.map((lab) => labLine(lab, style, width)),
    );
  }
  lines.push(
    '',
    `${style.bold('Progress')}  ${journey.solved} of ${journey.total} solved in the ${journey.course.title} course`,
  );
  if (journey.last && !journey.here)
    lines.push(
      `${style.bold('Last lab')}  ${journey.last.scenario}, ${ago(journey.last.at, now)}, in ${journey.last.workspace}`,
    );
  lines.push('', ...nextLines(journey.next, style));
  lines.push('', style.dim('`breakfix progress` shows every scenario; `breakfix --help` every command'));
  return lines;
}

/** The line under a solved lab's debrief. */
export function debriefNextLines(next: NextStep | undefined, style: Style): string[] {
  return nextLines(next, style, 'next');
}
