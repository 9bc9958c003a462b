/**
 * Turns what went wrong into one line a newcomer can act on: the reason, then the next step.
 * The engine's thrown errors carry their own hint; a session that ended in `error` keeps only
 * the message, so the next step is recognised from it here.
 */
import type { SessionError } from '../../engine/index.js';
import { findPortHolder } from './port-holder.js';

export interface Explanation {
  reason: string;
  next: string;
}

const ALLOCATED =
  /Bind for [^\s:]*:(\d+) failed: port is already allocated|listen tcp[^:]*:(\d+): bind: address already in use/;

/** The first line only: a build failure's message carries the whole build output after it. */
export function firstLine(text: string): string {
  return text.split('\n', 1)[0]?.trim() ?? '';
}

export async function explainSessionError(
  error: SessionError,
  scenarioId: string,
  lookupPort: (port: number) => Promise<string | undefined> = findPortHolder,
): Promise<Explanation> {
  const reason = firstLine(error.message);
  const allocated = ALLOCATED.exec(error.message);
  if (allocated) {
    const port = Number(allocated[1] ?? allocated[2]);
    const holder = await lookupPort(port);
    return {
      reason: `port ${port} is already taken${holder ? ` by ${holder}` : ''}`,
      next: `free port ${port} (or stop what holds it), then start the lab again`,
    };
  }
  if (/image breakfix\/\S+ is not available locally/.test(error.message))
    return { reason, next: 'run `breakfix images`, then start the lab again' };
  if (/Docker is not reachable|connect ENOENT|ECONNREFUSED.*docker/i.test(error.message))
    return { reason, next: 'run `breakfix doctor --fix`' };
  if (error.kind === 'scenario') {
    return {
      reason: `scenario ${scenarioId} is broken: ${reason}`,
      next: `this is a bug in the scenario, not your doing; \`breakfix verify ${scenarioId}\` reproduces it`,
    };
  }
  if (error.kind === 'workspace') return { reason, next: 'fix the file it names, then `breakfix reset`' };
  return { reason, next: 'run `breakfix doctor` to check Docker and the images' };
}
