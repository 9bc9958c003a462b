import type { SessionContext } from '../../engine/index.js';

/**
 * When the next hint or escalation deadline falls due, if one is pending. The engine fires
 * deadlines only when a process asks (`tickLab`), so long-running front ends (the TUI, `watch`)
 * set a timer for this moment.
 */
export function nextDeadline(context: Pick<SessionContext, 'deadlines'> | undefined): number | undefined {
  const pending = (context?.deadlines ?? []).filter((deadline) => !deadline.done).map((deadline) => deadline.dueAt);
  return pending.length > 0 ? Math.min(...pending) : undefined;
}

/** The escalation stage that became done between two contexts, if any. */
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
