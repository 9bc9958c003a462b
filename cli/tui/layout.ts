/**
 * How many rows each panel gets. The whole screen is budgeted so that the frame never exceeds
 * the terminal (a taller frame scrolls and flickers): 80×24 gets a compact single column,
 * wider terminals put the logs in a column of their own, taller ones show more of everything.
 */

export interface TerminalSize {
  columns: number;
  rows: number;
}

export interface LayoutWants {
  /** Lines of the briefing (or debrief) once wrapped. */
  briefing: number;
  services: number;
  /** Check rows, or progress rows while building. */
  checks: number;
  hints: number;
  /** Once solved the debrief is what matters: it takes the hints' rows and may take the logs'. */
  briefingFirst?: boolean;
}

export interface Layout {
  twoColumns: boolean;
  /** Width of the main column (the whole screen in one-column mode). */
  mainWidth: number;
  /** Width of the log column in two-column mode. */
  sideWidth: number;
  /** Content rows of each panel, not counting its title line. */
  briefing: number;
  services: number;
  checks: number;
  hints: number;
  logs: number;
}

/** Header, status line and footer. */
const CHROME_ROWS = 3;
const TITLE_ROWS = 4;
export const TWO_COLUMN_MIN_WIDTH = 120;

/** Logs get a column of their own from 120 columns on; a one-column gutter separates them. */
export function columnWidths(columns: number): Pick<Layout, 'twoColumns' | 'mainWidth' | 'sideWidth'> {
  const width = Math.max(40, columns);
  const twoColumns = width >= TWO_COLUMN_MIN_WIDTH;
  const mainWidth = twoColumns ? Math.floor(width * 0.55) : width;
  return { twoColumns, mainWidth, sideWidth: twoColumns ? width - mainWidth - 1 : 0 };
}

export function planLayout(size: TerminalSize, wants: LayoutWants): Layout {
  const columns = Math.max(40, size.columns);
  // One spare row: a frame as tall as the terminal makes some terminals scroll.
  const available = Math.max(10, size.rows - 1) - CHROME_ROWS;
  const { twoColumns, mainWidth, sideWidth } = columnWidths(columns);

  const want = {
    services: Math.max(1, wants.services),
    checks: Math.max(1, wants.checks),
    hints: Math.min(wants.hints, 6),
    briefing: Math.max(1, wants.briefing),
  };
  // The main column holds four titled panels in one-column mode plus the log panel.
  const titles = (twoColumns ? TITLE_ROWS : TITLE_ROWS + 1) - (wants.briefingFirst ? 1 : 0);
  let room = available - titles;
  const take = (wanted: number): number => {
    const granted = Math.min(Math.max(0, wanted), Math.max(0, room));
    room -= granted;
    return granted;
  };
  // Services and checks are what the learner acts on; then a glimpse of the briefing and of
  // the logs; hints. In one column the rest of the briefing and the logs share what is left;
  // in two, the briefing has the main column to itself and the logs a column of their own.
  const services = take(want.services);
  const checks = take(want.checks);
  let briefing = take(Math.min(want.briefing, 2));
  let logs = twoColumns ? 0 : take(3);
  const hints = wants.briefingFirst ? 0 : take(want.hints);
  const rest = want.briefing - briefing;
  briefing += take(twoColumns || wants.briefingFirst ? rest : Math.min(rest, Math.ceil(Math.max(0, room) / 2)));
  logs = twoColumns ? available - 1 : logs + Math.max(0, room);
  return { twoColumns, mainWidth, sideWidth, briefing, services, checks, hints, logs };
}
