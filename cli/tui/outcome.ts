/** How the TUI ended, which decides the exit code and the line printed after it. */
export type TuiOutcome =
  | { kind: 'left-running' }
  | { kind: 'stopped' }
  | { kind: 'interrupted' }
  | { kind: 'failed'; reason: string; next: string };
