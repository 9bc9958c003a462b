/**
 * The keys of the log pane: `/` types a filter (every key types into it until Enter applies it
 * or Esc cancels), Esc clears an applied filter, ↑ ↓ PgUp PgDn scroll, End follows the newest
 * line again. Pure: the App dispatches the events it returns.
 */
import type { KeyCommand, KeyPress } from './keys.js';
import type { TuiEvent, TuiModel } from './model.js';

export interface TypingKey extends KeyPress {
  return?: boolean;
  backspace?: boolean;
  delete?: boolean;
  meta?: boolean;
  tab?: boolean;
}

export interface LogKeyResult {
  /** The key was the log pane's: nothing else may act on it. */
  consumed: boolean;
  events: TuiEvent[];
}

const NOT_MINE: LogKeyResult = { consumed: false, events: [] };

export function logKeyEvents(
  model: Pick<TuiModel, 'logFilter' | 'logFilterDraft' | 'help'>,
  input: string,
  key: TypingKey,
  command: KeyCommand | undefined,
  pane: { pageRows: number; maxScroll: number },
): LogKeyResult {
  const draft = model.logFilterDraft;
  if (draft !== undefined) {
    if (command === 'interrupt') return NOT_MINE;
    if (key.escape) return { consumed: true, events: [{ type: 'log-filter-draft', draft: undefined }] };
    if (key.return) return { consumed: true, events: [{ type: 'log-filter', filter: draft }] };
    if (key.backspace || key.delete)
      return { consumed: true, events: [{ type: 'log-filter-draft', draft: [...draft].slice(0, -1).join('') }] };
    const printable = !key.ctrl && !key.meta && !key.tab && input.length > 0 && !/[\x00-\x1f\x7f]/.test(input);
    return { consumed: true, events: printable ? [{ type: 'log-filter-draft', draft: draft + input }] : [] };
  }
  const scroll = (by: number): LogKeyResult => ({
    consumed: true,
    events: [{ type: 'log-scroll', by, max: pane.maxScroll }],
  });
  switch (command) {
    case 'filter-logs':
      return { consumed: true, events: [{ type: 'log-filter-draft', draft: model.logFilter ?? '' }] };
    case 'close':
      // Esc closes the help first; with the help closed, it clears the filter.
      return !model.help && model.logFilter
        ? { consumed: true, events: [{ type: 'log-filter', filter: '' }] }
        : NOT_MINE;
    case 'scroll-up':
      return scroll(1);
    case 'scroll-down':
      return scroll(-1);
    case 'page-up':
      return scroll(Math.max(1, pane.pageRows - 1));
    case 'page-down':
      return scroll(-Math.max(1, pane.pageRows - 1));
    case 'follow-logs':
      return { consumed: true, events: [{ type: 'log-follow' }] };
    default:
      return NOT_MINE;
  }
}
