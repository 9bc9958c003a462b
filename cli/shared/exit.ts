/**
 * The CLI contract's exit codes, as one table: commands say how they ended (`ok`, `failed`, …)
 * and the code comes from here. A learner's or an author's mistake is 1, never 2.
 */
export const EXIT_CODES = {
  ok: 0,
  /** Checks failed, a file is invalid, the learner's files do not deploy. */
  failed: 1,
  /** Usage or environment: a bad flag, Docker unreachable, an image missing, breakfix failing. */
  error: 2,
  /** Ctrl-C or SIGTERM ended the command, as a shell reports SIGINT. */
  interrupted: 130,
} as const;

export type ExitOutcome = keyof typeof EXIT_CODES;

/** The engine's error kinds: the workspace's and the scenario's are mistakes (1), the rest errors (2). */
export function outcomeOfKind(kind: string | undefined): ExitOutcome {
  return kind === 'workspace' || kind === 'scenario' ? 'failed' : 'error';
}

/** How an error thrown by a command ends it (a BreakfixError carries its kind). */
export function outcomeOfError(error: unknown): ExitOutcome {
  const kind = (error as { name?: unknown; kind?: unknown } | undefined)?.kind;
  return (error as { name?: unknown } | undefined)?.name === 'BreakfixError' && typeof kind === 'string'
    ? outcomeOfKind(kind)
    : 'error';
}

/** The one place the process's exit code is set. */
export function setExit(outcome: ExitOutcome): void {
  process.exitCode = EXIT_CODES[outcome];
}

/** A command action that returns how it ended (nothing: `ok`). */
export function exitWith<A extends unknown[]>(
  action: (...args: A) => Promise<ExitOutcome | void> | ExitOutcome | void,
): (...args: A) => Promise<void> {
  return async (...args: A) => setExit((await action(...args)) ?? 'ok');
}
