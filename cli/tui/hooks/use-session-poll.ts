import { useCallback, useEffect, useRef } from 'react';
import type { LabSession, SessionView } from '../../../engine/index.js';

/**
 * Describes the lab every `intervalMs` (and at once on `refresh()`), so containers that crash,
 * restart or turn healthy show without a key press — also when another terminal changed them.
 * A poll still running is not doubled up; a failed poll is retried at the next interval.
 */
export function useSessionPoll(
  source: LabSession,
  intervalMs: number,
  onView: (view: SessionView) => void,
  onError: (error: unknown) => void,
): () => void {
  const running = useRef(false);
  const mounted = useRef(true);
  const handlers = useRef({ onView, onError });
  handlers.current = { onView, onError };

  const poll = useCallback(() => {
    if (running.current) return;
    running.current = true;
    source
      .describe()
      .then(
        (view) => mounted.current && handlers.current.onView(view),
        (error: unknown) => mounted.current && handlers.current.onError(error),
      )
      .finally(() => {
        running.current = false;
      });
  }, [source]);

  useEffect(() => {
    mounted.current = true;
    poll();
    const timer = setInterval(poll, intervalMs);
    return () => {
      mounted.current = false;
      clearInterval(timer);
    };
  }, [poll, intervalMs]);

  return poll;
}
