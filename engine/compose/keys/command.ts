/** `command` and `entrypoint`: a list, or a string split into words as a shell would. */
import type { PathSegment } from '../../source/yaml-source.js';
import type { PlanContext } from '../context.js';
import { splitShellWords } from '../shell-words.js';
import type { ServiceKey } from './service-key.js';

export const commandKey: ServiceKey = {
  keys: ['command', 'entrypoint'],
  build({ raw, at, ctx }) {
    const command = parseCommand(raw.command, [...at, 'command'], ctx);
    const entrypoint = parseCommand(raw.entrypoint, [...at, 'entrypoint'], ctx);
    return { ...(command ? { command } : {}), ...(entrypoint ? { entrypoint } : {}) };
  },
};

function parseCommand(raw: unknown, at: PathSegment[], ctx: PlanContext): string[] | undefined {
  if (raw === null || raw === undefined) return undefined;
  if (Array.isArray(raw)) return raw.map(String);
  if (typeof raw !== 'string') return undefined;
  const split = splitShellWords(raw);
  if ('error' in split) {
    ctx.out.error(at, `cannot split ${JSON.stringify(raw)} into words: ${split.error}`);
    return undefined;
  }
  return split.words;
}
