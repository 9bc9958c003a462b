/**
 * Errors the learner can act on. `kind` maps to the CLI contract's exit codes: workspace and
 * scenario problems are 1 (the file is wrong), environment and usage problems are 2.
 */
export type ErrorKind = 'environment' | 'usage' | 'workspace' | 'scenario';

/**
 * Stable names for the failures a front end reacts to, so none has to match message text
 * (messages are for people and may change).
 */
export type FailureCode =
  /** Another process (or operation) holds the session's lock. */
  | 'session-busy'
  /** The event needs a running lab, and the lab is stopped. */
  | 'session-stopped'
  /** The event is not possible in the session's current state (in error, still checking…). */
  | 'session-not-ready'
  /** HINT while no new hint is unlocked. */
  | 'no-hint-yet'
  /** The start of the session was interrupted (its process died): only STOP makes sense. */
  | 'start-interrupted'
  /** Another living process is still starting the session. */
  | 'still-starting'
  /** The folder holds no session. */
  | 'no-session'
  /** `start` into a folder that already holds a live session, or other files. */
  | 'workspace-taken'
  | 'unknown-scenario'
  | 'no-earlier-release';

export class BreakfixError extends Error {
  override name = 'BreakfixError';
  constructor(
    readonly kind: ErrorKind,
    message: string,
    /** The next step, shown after the message: "run `breakfix images`". */
    readonly hint?: string,
    /** What went wrong, for code: see FailureCode. */
    readonly code?: FailureCode,
  ) {
    super(message);
  }
}

/** The failure code of an error, when it is a BreakfixError that has one. */
export function failureCodeOf(error: unknown): FailureCode | undefined {
  return error instanceof BreakfixError ? error.code : undefined;
}

export const environmentError = (message: string, hint?: string) => new BreakfixError('environment', message, hint);
export const usageError = (message: string, hint?: string, code?: FailureCode) =>
  new BreakfixError('usage', message, hint, code);
export const workspaceError = (message: string, hint?: string, code?: FailureCode) =>
  new BreakfixError('workspace', message, hint, code);
export const scenarioError = (message: string, hint?: string) => new BreakfixError('scenario', message, hint);

export function exitCodeOf(error: unknown): 1 | 2 {
  return error instanceof BreakfixError && (error.kind === 'workspace' || error.kind === 'scenario') ? 1 : 2;
}
