/**
 * Hint and escalation deadlines, read from a session's context. Deadlines fire only when a
 * process drives the session (`tick`), so every long-running front end needs to know when the
 * next one is due: this is the one place that says so (the machine arms its timer from it too).
 */
import type { SessionContext } from './context.js';

/** Epoch ms of the next pending deadline, if any. */
export function nextDeadlineAt(context: Pick<SessionContext, 'deadlines'> | undefined): number | undefined {
  const pending = (context?.deadlines ?? []).filter((deadline) => !deadline.done).map((deadline) => deadline.dueAt);
  return pending.length > 0 ? Math.min(...pending) : undefined;
}

/** The escalation stage that became done between two contexts, if any (to announce it). */
export function newEscalation(
  before: Pick<SessionContext, 'deadlines'> | undefined,
  after: Pick<SessionContext, 'deadlines'>,
): number | undefined {
  const done = new Set(
    (before?.deadlines ?? [])
      .filter((deadline) => deadline.kind === 'escalation' && deadline.done)
      .map((deadline) => deadline.index),
  );
  return after.deadlines.find(
    (deadline) => deadline.kind === 'escalation' && deadline.done && !done.has(deadline.index),
  )?.index;
}
