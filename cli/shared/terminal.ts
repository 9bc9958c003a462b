/**
 * What the terminal can do: whether we may draw live output or open the TUI, and whether
 * colour is welcome (https://no-color.org: NO_COLOR set to anything non-empty turns it off).
 */

export interface StreamLike {
  isTTY?: boolean;
}

export function colorEnabled(stream: StreamLike, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/** A person is at the keyboard: both ends are terminals and no CI system is driving us. */
export function isInteractiveSession(
  stdin: StreamLike = process.stdin,
  stdout: StreamLike = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  return stdin.isTTY === true && stdout.isTTY === true && !env.CI && env.TERM !== 'dumb';
}

export function terminalWidth(stream: { columns?: number } = process.stdout): number {
  return stream.columns && stream.columns > 20 ? stream.columns : 80;
}
