/**
 * The App's state plumbing: how a key maps to a learner event, why the lab is not up, and a
 * reducer whose latest state a key handler can read at once.
 */
import { useCallback, useReducer, useRef } from 'react';
import type { LearnerEvent, SessionResult } from '../../engine/index.js';
import { firstLine } from '../shared/explain.js';
import type { KeyCommand } from './keys.js';
import { initialModel, reduce, type ActionName, type TuiEvent, type TuiModel } from './model.js';

export type RunOutcome = { ok: true; result: SessionResult } | { ok: false; reason: string; next?: string };

export function errorParts(error: unknown): { reason: string; next?: string } {
  const message = error instanceof Error ? firstLine(error.message) : String(error);
  const hint = (error as { hint?: unknown } | undefined)?.hint;
  return typeof hint === 'string' && hint ? { reason: message, next: hint } : { reason: message };
}

export const ACTING_EVENTS: Partial<Record<KeyCommand, { action: ActionName; event: LearnerEvent }>> = {
  check: { action: 'check', event: 'CHECK' },
  apply: { action: 'apply', event: 'APPLY' },
  rollback: { action: 'rollback', event: 'ROLLBACK' },
  hint: { action: 'hint', event: 'HINT' },
  reset: { action: 'reset', event: 'RESET' },
  stop: { action: 'stop', event: 'STOP' },
};

/** Why the lab is not up: a start that failed here, or a session found in `error` (another terminal). */
export function failureOf(model: TuiModel): { reason: string; next: string } | undefined {
  if (model.failure) return model.failure;
  const error = model.phase === 'ready' && model.view?.state === 'error' ? model.view.error : undefined;
  return error
    ? { reason: firstLine(error.message), next: 'press r to start over, or s to remove the lab' }
    : undefined;
}

/**
 * useReducer plus a ref that follows every event at once. React renders updates later (they are
 * batched), but a key handled before that render must see the result of the action that just
 * finished — e.g. the context a check round is compared against.
 */
export function useTrackedReducer(
  mode: 'start' | 'attach',
): [TuiModel, (event: TuiEvent) => void, { readonly current: TuiModel }] {
  const [model, dispatch] = useReducer(reduce, mode, initialModel);
  const ref = useRef<TuiModel>(model);
  const tracked = useCallback((event: TuiEvent) => {
    ref.current = reduce(ref.current, event);
    dispatch(event);
  }, []);
  return [model, tracked, ref];
}
