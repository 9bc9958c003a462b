/**
 * Progress as a LabSession sees it: each operation's result becomes one progress event (the
 * lab came up, a check round, hints revealed, anything else the learner did). Front ends that
 * act for a learner (the CLI, the TUI) turn it on; the server and `verify`/`grade` do not.
 */
import type { LearnerEvent } from '../session/drive.js';
import type { SessionResult } from '../session/result.js';
import { BUILTIN_COURSE_ID } from './course.js';
import { recordProgress, type ProgressEvent } from './record.js';

export type LabOperation = { kind: 'start' } | { kind: 'send'; event: LearnerEvent } | { kind: 'tick' };

export function progressEventOf(
  operation: LabOperation,
  result: SessionResult,
  now: Date = new Date(),
): ProgressEvent | undefined {
  const at = now.toISOString();
  if (operation.kind === 'tick') return undefined;
  if (operation.kind === 'start') {
    if (result.state !== 'active') return undefined;
    const since = result.context.activeSince;
    return { type: 'started', at: since !== undefined ? new Date(since).toISOString() : at };
  }
  switch (operation.event) {
    case 'CHECK':
      // A round that could not run (lastFailure) is no round.
      if (!result.report || result.failure) return { type: 'touched', at };
      return {
        type: 'round',
        at,
        report: result.report,
        hintsRevealed: result.hints.revealed,
        ...(result.context.activeSince !== undefined ? { activeSince: result.context.activeSince } : {}),
      };
    case 'HINT':
      return { type: 'hints', at, hintsRevealed: result.hints.revealed };
    case 'STOP':
      return undefined;
    default:
      return { type: 'touched', at };
  }
}

/** Records what an operation did; progress never fails the learner's command (it is kept best-effort). */
export async function recordLabProgress(
  lab: { scenario: string; workspace: string; course?: string },
  operation: LabOperation,
  result: SessionResult,
): Promise<void> {
  const event = progressEventOf(operation, result);
  if (!event || !result.sessionId) return;
  await recordProgress(
    {
      course: lab.course ?? BUILTIN_COURSE_ID,
      scenario: lab.scenario,
      sessionId: result.sessionId,
      workspace: lab.workspace,
    },
    event,
  ).catch(() => undefined);
}
