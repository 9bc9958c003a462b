/**
 * Colour for plain-text output, off when the stream is not a terminal or NO_COLOR is set.
 * Meaning never depends on colour: every state also has a mark (✓ ✗ !) or a word.
 */

export interface Style {
  readonly enabled: boolean;
  ok(text: string): string;
  bad(text: string): string;
  warn(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
  accent(text: string): string;
}

const sgr = (open: number, close: number) => (text: string) => `\x1b[${open}m${text}\x1b[${close}m`;
const identity = (text: string) => text;

export function createStyle(enabled: boolean): Style {
  if (!enabled)
    return { enabled, ok: identity, bad: identity, warn: identity, dim: identity, bold: identity, accent: identity };
  return {
    enabled,
    ok: sgr(32, 39),
    bad: sgr(31, 39),
    warn: sgr(33, 39),
    dim: sgr(2, 22),
    bold: sgr(1, 22),
    accent: sgr(36, 39),
  };
}

export const plain = createStyle(false);

export const MARK = { passed: '✓', failed: '✗', errored: '!', neutral: '·', pending: '…' } as const;
