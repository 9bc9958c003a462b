/**
 * Unix manners for `breakfix … | head -1`: when the reader of stdout (or stderr) goes away, end
 * quietly the way a C program does — killed by SIGPIPE, which a shell reports as 141 — instead
 * of Node's unhandled `EPIPE` stack trace. Node ignores SIGPIPE at start-up; once no listener
 * is left the default action (terminate) is back, so the process signals itself.
 */

/** What a shell reports for a process ended by SIGPIPE (128 + 13). */
export const CLOSED_PIPE_EXIT = 141;

export interface ClosedPipeOptions {
  kill?: (pid: number, signal: NodeJS.Signals) => void;
  exit?: (code: number) => void;
}

export function isClosedPipe(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED';
}

/** Ends the process as SIGPIPE would; a platform that cannot signal itself exits with 141. */
export function endOnClosedPipe(options: ClosedPipeOptions = {}): void {
  const kill = options.kill ?? ((pid, signal) => process.kill(pid, signal));
  const exit = options.exit ?? ((code) => process.exit(code));
  process.removeAllListeners('SIGPIPE');
  try {
    kill(process.pid, 'SIGPIPE');
  } catch {
    // Not a signal this platform sends: the exit below says the same thing.
  }
  exit(CLOSED_PIPE_EXIT);
}

/** Installs the handler on stdout and stderr; other stream errors are rethrown as before. */
export function quietOnClosedPipe(
  streams: ReadonlyArray<NodeJS.WriteStream> = [process.stdout, process.stderr],
  options: ClosedPipeOptions = {},
): void {
  for (const stream of streams) {
    stream.on('error', (error: unknown) => {
      if (isClosedPipe(error)) endOnClosedPipe(options);
      else throw error;
    });
  }
}
