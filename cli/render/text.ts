/**
 * Small text helpers for fixed-width output. Widths count code points: breakfix's own text is
 * ASCII plus a few single-width symbols, and lab output that is wider only gets cut early.
 */

export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  const chars = [...text];
  if (chars.length <= width) return text;
  return width === 1 ? '…' : `${chars.slice(0, width - 1).join('')}…`;
}

export function padEnd(text: string, width: number): string {
  const length = [...text].length;
  return length >= width ? text : text + ' '.repeat(width - length);
}

/** Word-wraps each paragraph to `width`; words longer than a line are cut. Blank lines are kept. */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const paragraph of text.replace(/\r/g, '').split('\n')) {
    const lead = paragraph.slice(0, paragraph.length - paragraph.trimStart().length);
    // Continuation lines of a list item line up with its text.
    const hanging = ' '.repeat(
      Math.min(/^\s*(?:[-*]\s+|\d+\.\s+)?/.exec(paragraph)?.[0].length ?? 0, Math.floor(width / 2)),
    );
    const words = paragraph
      .trim()
      .split(/\s+/)
      .filter((word) => word.length > 0);
    if (words.length === 0) {
      out.push('');
      continue;
    }
    let line = '';
    for (const word of words) {
      if (line === '') {
        line = truncate(`${lead}${word}`, width);
        continue;
      }
      const candidate = `${line} ${word}`;
      if ([...candidate].length <= width) {
        line = candidate;
        continue;
      }
      out.push(line);
      line = truncate(`${hanging}${word}`, width);
    }
    out.push(line);
  }
  return out;
}

const BLOCK_START = /^\s*(?:[-*+]\s|\d+\.\s|#{1,6}\s|>|```|\|)/;

/**
 * Markdown as a terminal reader wants it: soft line breaks joined (the author wrapped at 100
 * columns, the terminal may have 80), no emphasis markers, headings as plain lines. List
 * items, quotes, tables and code keep their own lines.
 */
export function plainMarkdown(markdown: string): string {
  const joined: string[] = [];
  let inCode = false;
  for (const line of markdown.replace(/\r/g, '').split('\n')) {
    if (/^\s*```/.test(line)) inCode = !inCode;
    const previous = joined.at(-1);
    const soft =
      !inCode &&
      previous !== undefined &&
      previous.trim() !== '' &&
      line.trim() !== '' &&
      !BLOCK_START.test(line) &&
      !/^\s*(```|#{1,6}\s)/.test(previous) &&
      !/ {2}$/.test(previous);
    if (soft) joined[joined.length - 1] = `${previous.trimEnd()} ${line.trim()}`;
    else joined.push(line);
  }
  return joined
    .join('\n')
    .replace(/^#{1,6}\s+/gm, '')
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/__([^_]+)__/g, '$1')
    .replace(/(^|[^*\w])\*([^*\n]+)\*/g, '$1$2')
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1 ($2)')
    .replace(/^[ \t]*```\w*\n?/gm, '')
    .trim();
}

export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const two = (value: number) => String(value).padStart(2, '0');
  return hours > 0 ? `${hours}:${two(minutes)}:${two(seconds)}` : `${two(minutes)}:${two(seconds)}`;
}

/** "3m", "1h 5m", "45s": a coming deadline, for hints. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

export const plural = (count: number, word: string, many = `${word}s`) => `${count} ${count === 1 ? word : many}`;
