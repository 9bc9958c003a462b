/**
 * The timing of `watch`: saves arrive in bursts (an editor writes a swap file, the file, a
 * backup), so wait for a quiet moment before a round, never run two rounds at once, and
 * remember what changed during a round for the next one.
 */
import path from 'node:path';

const IGNORED_DIRS = new Set(['.breakfix', '.git', 'node_modules', '__pycache__', '.idea', '.vscode']);

/**
 * Paths (relative to the workspace) whose changes are not the learner's edits: breakfix's own
 * state, VCS and dependency folders, and editor droppings — vim swap and backup files and its
 * `4913` write test, emacs locks and autosaves, JetBrains/VS Code temp files.
 */
export function isIgnoredPath(relative: string): boolean {
  const parts = relative.split(/[\\/]/).filter((part) => part !== '' && part !== '.');
  if (parts.some((part) => IGNORED_DIRS.has(part))) return true;
  const name = parts.at(-1) ?? '';
  return (
    /\.(sw[a-p]|swx|tmp|bak|pyc|orig)$/.test(name) ||
    name.endsWith('~') ||
    name.startsWith('.#') ||
    /^#.*#$/.test(name) ||
    name === '4913' ||
    name === '.DS_Store' ||
    /___jb_(tmp|old)___$/.test(name)
  );
}

export interface RoundScheduler {
  /** A file changed: the next round starts `delayMs` after the last change. */
  changed(file: string): void;
  /** Resolves when no round is running. */
  idle(): Promise<void>;
  running(): boolean;
  close(): void;
}

export function createRoundScheduler(delayMs: number, runRound: (changed: string[]) => Promise<void>): RoundScheduler {
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> | undefined;
  let closed = false;

  const fire = () => {
    timer = undefined;
    // A round is running: the changes wait for it, and `finally` below schedules the next.
    if (current || closed || pending.size === 0) return;
    const batch = [...pending].sort();
    pending.clear();
    current = runRound(batch)
      .catch(() => undefined)
      .finally(() => {
        current = undefined;
        if (pending.size > 0 && !closed) timer ??= setTimeout(fire, delayMs);
      });
  };

  return {
    changed(file) {
      if (closed) return;
      pending.add(file);
      if (timer) clearTimeout(timer);
      timer = setTimeout(fire, delayMs);
    },
    idle: () => current ?? Promise.resolve(),
    running: () => current !== undefined,
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
    },
  };
}

export function relativeTo(workspace: string, file: string): string {
  return path.relative(workspace, file) || path.basename(file);
}
