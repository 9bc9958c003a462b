/** States in which the session waits for the learner; only these are persisted as snapshots. */
export const RESTING_STATES = ['active', 'passed', 'error', 'stopped'] as const;
export type RestingState = (typeof RESTING_STATES)[number];

/** True for a state the session rests in (no operation is running it). */
export function isRestingState(state: string): state is RestingState {
  return (RESTING_STATES as readonly string[]).includes(state);
}
