/**
 * The TUI's keys, in one table: the footer, the help panel and the input handler all read it,
 * so a key is never documented differently from what it does.
 */

export type KeyCommand =
  | 'check'
  | 'apply'
  | 'rollback'
  | 'hint'
  | 'cycle-log'
  | 'filter-logs'
  | 'scroll-up'
  | 'scroll-down'
  | 'page-up'
  | 'page-down'
  | 'follow-logs'
  | 'reset'
  | 'stop'
  | 'quit'
  | 'help'
  | 'close'
  | 'interrupt';

export interface KeyBinding {
  key: string;
  command: KeyCommand;
  label: string;
  help: string;
  /** Starts work on the lab: ignored while another action runs. */
  acts: boolean;
}

export const KEY_BINDINGS: readonly KeyBinding[] = [
  { key: 'c', command: 'check', label: 'check', help: 'grade the lab as it runs now', acts: true },
  { key: 'a', command: 'apply', label: 'apply', help: 'build and redeploy what changed in your files', acts: true },
  { key: 'h', command: 'hint', label: 'hint', help: 'reveal the next unlocked hint', acts: true },
  { key: 'l', command: 'cycle-log', label: 'logs', help: 'follow the next service in the log panel', acts: false },
  {
    key: '/',
    command: 'filter-logs',
    label: 'filter',
    help: 'show only log lines containing a text (Enter applies, Esc clears)',
    acts: false,
  },
  { key: '↑ ↓', command: 'scroll-up', label: 'scroll', help: 'scroll the logs a line (PgUp PgDn a page)', acts: false },
  { key: 'End', command: 'follow-logs', label: 'follow', help: 'back to the newest log lines', acts: false },
  { key: 'b', command: 'rollback', label: 'rollback', help: 'return to the previous release', acts: true },
  {
    key: 'r',
    command: 'reset',
    label: 'reset',
    help: 'start over (press twice): your files move to .breakfix/backups/',
    acts: true,
  },
  {
    key: 's',
    command: 'stop',
    label: 'stop',
    help: 'remove the lab and quit (press twice); your files stay',
    acts: true,
  },
  {
    key: 'q',
    command: 'quit',
    label: 'quit',
    help: 'quit and leave the lab running (`breakfix stop` later)',
    acts: false,
  },
  { key: '?', command: 'help', label: 'help', help: 'show or hide this help', acts: false },
];

/** Keys the footer shows at 80 columns; the help panel lists them all. */
export const FOOTER_KEYS: readonly KeyCommand[] = [
  'check',
  'apply',
  'hint',
  'cycle-log',
  'reset',
  'stop',
  'quit',
  'help',
];

export interface KeyPress {
  ctrl?: boolean;
  escape?: boolean;
  upArrow?: boolean;
  downArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  end?: boolean;
}

export function keyCommand(input: string, key: KeyPress): KeyCommand | undefined {
  if ((key.ctrl && input === 'c') || input === '\x03') return 'interrupt';
  if (key.escape) return 'close';
  if (key.upArrow) return 'scroll-up';
  if (key.downArrow) return 'scroll-down';
  if (key.pageUp) return 'page-up';
  if (key.pageDown) return 'page-down';
  if (key.end) return 'follow-logs';
  if (key.ctrl) return undefined;
  return KEY_BINDINGS.find((binding) => binding.key === input)?.command;
}

export function bindingOf(command: KeyCommand): KeyBinding | undefined {
  return KEY_BINDINGS.find((binding) => binding.command === command);
}
