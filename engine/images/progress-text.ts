/**
 * Plain-text lines for image progress, shared by the CLI (non-TTY and TTY), the test setup and
 * the server's SSE log: the same event always reads the same way.
 */
import type { ImagesProgress } from './ensure-images.js';

export function formatSeconds(seconds: number): string {
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}

/** One line, whitespace collapsed, cut to `width` columns with an ellipsis. */
export function fitLine(text: string, width: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (width <= 1) return line.slice(0, Math.max(width, 0));
  return line.length <= width ? line : `${line.slice(0, width - 1)}…`;
}

/**
 * The line for an event in "one line per step" mode, or undefined for events that only a live
 * display shows (a build's output lines: they are kept for the error message instead).
 */
export function describeImagesProgress(event: ImagesProgress, width = 100): string | undefined {
  switch (event.kind) {
    case 'current':
      return `${event.tag}: up to date`;
    case 'start':
      return `${event.tag}: building (${event.reason === 'rebuild' ? 'rebuild requested' : event.reason === 'missing' ? 'not present' : 'recipe changed'})`;
    case 'step': {
      const prefix = `${event.tag}: step ${event.step}/${event.total} `;
      return prefix + fitLine(event.instruction, Math.max(width - prefix.length, 20));
    }
    case 'output':
      return undefined;
    case 'done':
      return `${event.tag}: built in ${formatSeconds(event.seconds)}${event.origin ? ` (${event.origin === 'debootstrap' ? 'debootstrap, no registry' : 'from a registry'})` : ''}`;
  }
}
