/**
 * Ctrl-C (SIGINT) or a CI job's SIGTERM during a long command: the first aborts the work, which
 * then removes what it created; a second leaves at once, for someone who cannot wait for the
 * cleanup (`breakfix gc` sweeps what is left).
 */
import { EXIT_CODES } from './exit.js';

export interface Interrupt {
  signal: AbortSignal;
  dispose(): void;
}

export interface InterruptMessages {
  /** Said on the first signal: what is being cleaned up. */
  first?: string;
  /** Said on the second, just before leaving. */
  second?: string;
}

export function abortOnInterrupt(write: (text: string) => void, messages: InterruptMessages = {}): Interrupt {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) {
      if (messages.second) write(messages.second);
      process.exit(EXIT_CODES.interrupted);
    }
    if (messages.first) write(messages.first);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
