/**
 * Errors the learner can act on. `kind` maps to the CLI contract's exit codes: workspace and
 * scenario problems are 1 (the file is wrong), environment and usage problems are 2.
 */
export type ErrorKind = 'environment' | 'usage' | 'workspace' | 'scenario';

export class BreakfixError extends Error {
  override name = 'BreakfixError';
  constructor(
    readonly kind: ErrorKind,
    message: string,
    /** The next step, shown after the message: "run `breakfix images`". */
    readonly hint?: string,
  ) {
    super(message);
  }
}

export const environmentError = (message: string, hint?: string) => new BreakfixError('environment', message, hint);
export const usageError = (message: string, hint?: string) => new BreakfixError('usage', message, hint);
export const workspaceError = (message: string, hint?: string) => new BreakfixError('workspace', message, hint);
export const scenarioError = (message: string, hint?: string) => new BreakfixError('scenario', message, hint);

export function exitCodeOf(error: unknown): 1 | 2 {
  return error instanceof BreakfixError && (error.kind === 'workspace' || error.kind === 'scenario') ? 1 : 2;
}
