import type { Engine } from './engine.js';

/**
 * The workspace a session command acts on. Not being in one is a usage error (exit 2, "start a
 * lab or pass --workspace"), although the engine files it under `workspace` (exit 1, which the
 * contract keeps for invalid files and failed checks).
 */
export function resolveWorkspace(engine: Engine, explicit: string | undefined): string {
  try {
    return engine.locateWorkspace(explicit);
  } catch (error) {
    if (error instanceof engine.BreakfixError && error.kind === 'workspace')
      throw new engine.BreakfixError('usage', error.message, error.hint);
    throw error;
  }
}
