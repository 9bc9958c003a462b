/**
 * What a lab's events do to the learner's progress. Pure changes of a ProgressFile (tested
 * without a disk), applied under the store's lock by `recordProgress`.
 */
import type { GradeReport } from '../grading/report.js';
import { scenarioEntry, trimAttempts, updateProgress, type ProgressFile } from './store.js';

export interface ProgressSubject {
  course: string;
  scenario: string;
  sessionId: string;
  workspace: string;
}

export type ProgressEvent =
  /** The lab came up (its symptoms showed): an attempt begins. */
  | { type: 'started'; at: string }
  /** A check round ended with a report. */
  | {
      type: 'round';
      at: string;
      report: Pick<GradeReport, 'passed' | 'score' | 'maxScore' | 'finalScore'>;
      hintsRevealed: number;
      /** Epoch ms the lab was up since: the time to solve is measured from it. */
      activeSince?: number;
    }
  /** Hints revealed so far in this session. */
  | { type: 'hints'; at: string; hintsRevealed: number }
  /** Anything else the learner did (apply, rollback, reset): the last attempt is now. */
  | { type: 'touched'; at: string };

export function applyProgressEvent(
  progress: ProgressFile,
  subject: ProgressSubject,
  event: ProgressEvent,
): ProgressFile {
  const entry = scenarioEntry(progress, subject.course, subject.scenario, event.at);
  const attempt = (entry.attempts[subject.sessionId] ??= {
    workspace: subject.workspace,
    startedAt: event.at,
    hints: 0,
    rounds: 0,
  });
  entry.lastAttemptAt = event.at;
  progress.last = { course: subject.course, scenario: subject.scenario, workspace: subject.workspace, at: event.at };
  const countHints = (revealed: number) => {
    if (revealed > attempt.hints) {
      entry.hintsUsed += revealed - attempt.hints;
      attempt.hints = revealed;
    }
  };
  switch (event.type) {
    case 'started':
      // A stopped lab started again keeps its session id, and its hints count from zero again.
      attempt.hints = 0;
      break;
    case 'touched':
      break;
    case 'hints':
      countHints(event.hintsRevealed);
      break;
    case 'round': {
      const { report } = event;
      entry.checkRounds += 1;
      attempt.rounds += 1;
      countHints(event.hintsRevealed);
      entry.bestScore = Math.max(entry.bestScore ?? 0, report.score);
      entry.maxScore = report.maxScore;
      if (report.finalScore !== undefined)
        entry.bestFinalScore = Math.max(entry.bestFinalScore ?? Number.NEGATIVE_INFINITY, report.finalScore);
      if (report.passed) {
        if (!entry.solved) {
          entry.solvedAt = event.at;
          if (event.activeSince !== undefined)
            entry.timeToSolveMs = Math.max(0, Date.parse(event.at) - event.activeSince);
        }
        entry.solved = true;
      }
      break;
    }
  }
  trimAttempts(entry);
  return progress;
}

/** Records one event under the lock. */
export function recordProgress(subject: ProgressSubject, event: ProgressEvent, file?: string): Promise<ProgressFile> {
  return updateProgress((progress) => applyProgressEvent(progress, subject, event), file);
}

/** Forgets one scenario of a course (`progress --reset <id>`), or the whole course. */
export function resetProgress(
  course: string,
  scenario: string | undefined,
  file?: string,
): Promise<{ removed: string[]; progress: ProgressFile }> {
  let removed: string[] = [];
  return updateProgress((progress) => {
    const entry = progress.courses[course];
    if (!entry) return progress;
    if (scenario === undefined) {
      removed = Object.keys(entry.scenarios);
      delete progress.courses[course];
    } else if (Object.hasOwn(entry.scenarios, scenario)) {
      removed = [scenario];
      delete entry.scenarios[scenario];
    }
    return progress;
  }, file).then((progress) => ({ removed, progress }));
}
