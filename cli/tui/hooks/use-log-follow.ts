import { useEffect, useState } from 'react';
import type { LabSession } from '../../../engine/index.js';

export interface LogFollow {
  lines: string[];
  /** Why there is nothing to show, e.g. the service has no container yet. */
  note: string | undefined;
}

const KEEP_LINES = 300;

/**
 * Follows one service's output. The stream ends when its container is replaced (apply, reset)
 * or has exited: follow again after a pause. Each new stream replays the container's tail, so
 * its first lines replace the buffer rather than extend it (no duplicates, no blank flash).
 * Lines are flushed in batches so a chatty service does not re-render the screen per line.
 */
export function useLogFollow(source: LabSession, service: string | undefined, retryMs = 1_000): LogFollow {
  const [state, setState] = useState<LogFollow>({ lines: [], note: undefined });

  useEffect(() => {
    setState({ lines: [], note: service ? undefined : 'no service yet' });
    if (!service) return;
    const controller = new AbortController();
    let pending: string[] = [];
    let replace = false;
    let flush: NodeJS.Timeout | undefined;
    const flushNow = () => {
      flush = undefined;
      const batch = pending;
      const fresh = replace;
      pending = [];
      replace = false;
      setState((current) => ({
        lines: [...(fresh ? [] : current.lines), ...batch].slice(-KEEP_LINES),
        note: undefined,
      }));
    };
    const push = (line: string) => {
      pending.push(line);
      flush ??= setTimeout(flushNow, 50);
    };
    const wait = (ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        controller.signal.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            resolve();
          },
          { once: true },
        );
      });

    void (async () => {
      while (!controller.signal.aborted) {
        let note: string | undefined;
        let received = 0;
        try {
          await source.logs(
            service,
            (line) => {
              received += 1;
              push(line);
            },
            { follow: true, tail: 200, signal: controller.signal },
          );
        } catch (error) {
          note = error instanceof Error ? error.message.split('\n', 1)[0] : String(error);
        }
        if (controller.signal.aborted) break;
        if (received === 0) setState({ lines: [], note });
        await wait(retryMs);
        replace = true;
      }
    })();

    return () => {
      controller.abort();
      if (flush) clearTimeout(flush);
    };
  }, [source, service, retryMs]);

  return state;
}
