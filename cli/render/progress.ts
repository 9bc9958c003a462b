/**
 * Session progress as text: one line per step while a lab builds, deploys, applies or stops.
 * Faults are never described — naming what was broken would give the exercise away.
 */
import type { LabProgress, SessionNotice } from '../../engine/index.js';
import { MARK, type Style } from './style.js';

/** What the session is doing, in the learner's words; resting states have no label. */
export const STATE_LABELS: Readonly<Record<string, string>> = {
  preparing: 'preparing the workspace',
  building: 'building images',
  deploying: 'deploying the lab',
  injecting: 'breaking it',
  confirming: 'confirming the symptoms',
  checking: 'running the checks',
  applying: 'applying the workspace (build + redeploy)',
  rollingBack: 'rolling back (redeploying an earlier release)',
  resetting: 'resetting: your files move to .breakfix/backups/',
  escalating: 'the incident is getting worse',
  tearingDown: 'removing the lab',
};

export function describeServiceProgress(progress: Extract<LabProgress, { phase: 'service' }>): string {
  return `${progress.service}: ${progress.status}${progress.detail ? ` (${progress.detail})` : ''}`;
}

/** One line for a notice, or undefined when it is not worth a line (build output, faults). */
export function describeNotice(notice: SessionNotice, style: Style): string | undefined {
  switch (notice.type) {
    case 'state': {
      const label = STATE_LABELS[notice.state];
      return label ? `${style.accent('→')} ${label}` : undefined;
    }
    case 'progress': {
      const { progress } = notice;
      if (progress.phase === 'service') return `  ${describeServiceProgress(progress)}`;
      if (progress.event.kind === 'step')
        return style.dim(
          `  ${progress.service}: step ${progress.event.step}/${progress.event.total} ${progress.event.instruction}`,
        );
      return undefined;
    }
    case 'symptom':
      return notice.outcome.status === 'passed'
        ? `  ${style.ok(MARK.passed)} symptom ${notice.index + 1} observed`
        : `  ${style.bad(MARK.failed)} symptom ${notice.index + 1} not observed`;
    case 'release':
      return style.dim(`  release ${notice.release.number} (${notice.release.kind})`);
    case 'grading':
      return notice.phase === 'probes'
        ? `  probing: disturbing the lab to see it react (it is put back afterwards)`
        : `  proving the fix in a fresh deploy of your workspace (once per change of your files)`;
    case 'fault':
    case 'report':
      return undefined;
  }
}

export interface ProgressPrinter {
  onNotice(notice: SessionNotice): void;
}

/** A build step that took at least this long gets a line of its own, with its duration. */
export const SLOW_STEP_MS = 1_500;

interface BuildTrack {
  step: number;
  total: number;
  instruction: string;
  since: number;
}

/**
 * Progress lines for plain output (pipes, CI, `--detach`). A cached build would otherwise print
 * every Dockerfile step: builds get one line when they begin and one per slow step, with its
 * duration, which is what a reader of the log wants to know. Repeated lines are dropped.
 */
export function createProgressPrinter(
  write: (text: string) => void,
  style: Style,
  now: () => number = () => performance.now(),
): ProgressPrinter {
  let last: string | undefined;
  const builds = new Map<string, BuildTrack>();
  const emit = (line: string | undefined) => {
    if (line === undefined || line === last) return;
    last = line;
    write(`${line}\n`);
  };
  const finishStep = (group: string) => {
    const track = builds.get(group);
    if (!track) return;
    const took = now() - track.since;
    if (took >= SLOW_STEP_MS)
      emit(
        style.dim(
          `  ${group}: step ${track.step}/${track.total} ${truncateInstruction(track.instruction)} (${(took / 1000).toFixed(1)} s)`,
        ),
      );
  };
  return {
    onNotice(notice) {
      if (notice.type !== 'progress') return emit(describeNotice(notice, style));
      const { progress } = notice;
      if (progress.phase === 'build') {
        if (progress.event.kind !== 'step') return;
        const group = progress.service;
        if (builds.has(group)) finishStep(group);
        else emit(`  ${group}: building image (${progress.event.total} steps)`);
        builds.set(group, {
          step: progress.event.step,
          total: progress.event.total,
          instruction: progress.event.instruction,
          since: now(),
        });
        return;
      }
      // "building" is announced by the build's own line; "built" closes the group's last step.
      if (progress.status === 'building') return;
      if (progress.status === 'built') {
        for (const group of [...builds.keys()].filter((key) => key.split(', ').includes(progress.service))) {
          finishStep(group);
          builds.delete(group);
        }
      }
      emit(describeNotice(notice, style));
    },
  };
}

function truncateInstruction(instruction: string): string {
  const oneLine = instruction.replace(/\s+/g, ' ');
  return oneLine.length > 70 ? `${oneLine.slice(0, 69)}…` : oneLine;
}
