/** What the engine's notices become on a session's event stream (SSE). */
import type { SessionNotice, SessionResult } from './engine.js';
import { toReportBody } from './schemas.js';

/** The data of a `state` event: where the session is and what changed. */
export function stateEventData(id: string, state: string, context: Partial<SessionResult['context']> | undefined) {
  return {
    id,
    state,
    ...(context?.attempts !== undefined ? { attempts: context.attempts } : {}),
    ...(context?.release !== undefined ? { release: context.release } : {}),
    ...(context?.hintsUnlocked !== undefined
      ? { hintsUnlocked: context.hintsUnlocked, hintsRevealed: context.hintsRevealed ?? 0 }
      : {}),
    ...(context?.lastFailure ? { lastFailure: context.lastFailure.message } : {}),
    ...(context?.error ? { error: context.error } : {}),
  };
}

/** The event a non-state notice publishes (state changes need the registry: see sessions.ts). */
export function noticeEvent(notice: SessionNotice): { event: string; data: unknown } | undefined {
  switch (notice.type) {
    case 'progress':
      return { event: 'progress', data: notice.progress };
    case 'fault':
      return { event: 'fault', data: { phase: notice.phase, fault: notice.fault, description: notice.description } };
    case 'symptom':
      return {
        event: 'symptom',
        data: {
          index: notice.index,
          status: notice.outcome.status,
          message: notice.outcome.message,
          durationMs: notice.outcome.durationMs,
        },
      };
    case 'report':
      return { event: 'report', data: toReportBody(notice.report) };
    case 'release': {
      const { number, kind, at, restores, note } = notice.release;
      return {
        event: 'release',
        data: { number, kind, at, ...(restores !== undefined ? { restores } : {}), ...(note ? { note } : {}) },
      };
    }
    default:
      return undefined;
  }
}
