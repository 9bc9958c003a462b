/**
 * The user's cache directory for breakfix: `$XDG_CACHE_HOME/breakfix`, by default
 * `~/.cache/breakfix`. It holds only what can be recomputed (the Docker endpoint discovery,
 * compose files already validated): deleting it is always safe.
 */
import os from 'node:os';
import path from 'node:path';

export function userCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME?.trim() || path.join(os.homedir(), '.cache');
  return path.join(base, 'breakfix');
}
