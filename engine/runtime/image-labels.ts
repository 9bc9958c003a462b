/**
 * Labels of the images breakfix builds, and how they reach the image cheaply: the classic
 * builder turns every build label into its own `LABEL` step (see DockerRuntime.buildImage).
 */
import { LABELS } from './labels.js';
import type { Labels } from './runtime.js';

/** A double-quoted Dockerfile word: backslash, `"` and `$` escaped (LABEL expands variables). */
const dockerfileQuote = (text: string) => `"${text.replace(/[\\"$]/g, (char) => `\\${char}`)}"`;

export function labelInstruction(labels: Labels): string {
  return `LABEL ${Object.entries(labels)
    .map(([key, value]) => `${dockerfileQuote(key)}=${dockerfileQuote(value)}`)
    .join(' ')}`;
}

/**
 * The session label for the build itself, the rest for one LABEL step; undefined when there is
 * nothing to gain (fewer than two other labels) or a value cannot sit on one Dockerfile line.
 */
export function splitLabels(labels: Labels): { first: Labels; rest: Labels } | undefined {
  const session = labels[LABELS.session];
  if (session === undefined) return undefined;
  const rest = Object.fromEntries(Object.entries(labels).filter(([key]) => key !== LABELS.session));
  if (Object.keys(rest).length < 2) return undefined;
  if (Object.entries(labels).some(([key, value]) => /[\r\n\0]/.test(key + value))) return undefined;
  return { first: { [LABELS.session]: session }, rest };
}
