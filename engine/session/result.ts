/**
 * What an operation on a session hands back. The front ends read the learner-facing facts
 * (report, failure, release, hints) from here rather than from the machine's raw context, so
 * the context can change shape without touching the CLI, the TUI or the server.
 */
import type { GradeReport } from '../grading/report.js';
import type { SessionContext, SessionError } from './context.js';

export interface SessionResult {
  sessionId: string;
  workspace: string;
  /** The state the session rests in: active, passed, error or stopped. */
  state: string;
  /** The release now running (0 before the first deploy). */
  release: number;
  /** Failed check rounds so far. */
  attempts: number;
  hints: { unlocked: number; revealed: number };
  /** The last check round's report. */
  report?: GradeReport;
  /** Why the last apply, rollback or check did not go through (the session goes on). */
  failure?: SessionError;
  /** Why the session ended in `error`. */
  error?: SessionError;
  /** The machine's whole context, for what the fields above do not say (deadlines, hint rules). */
  context: SessionContext;
}

export function sessionResult(
  ids: { sessionId: string; workspace: string },
  state: string,
  context: SessionContext,
): SessionResult {
  return {
    sessionId: ids.sessionId,
    workspace: ids.workspace,
    state,
    release: context.release ?? 0,
    attempts: context.attempts ?? 0,
    hints: { unlocked: context.hintsUnlocked ?? 0, revealed: context.hintsRevealed ?? 0 },
    ...(context.lastReport ? { report: context.lastReport } : {}),
    ...(context.lastFailure ? { failure: context.lastFailure } : {}),
    ...(context.error ? { error: context.error } : {}),
    context,
  };
}
