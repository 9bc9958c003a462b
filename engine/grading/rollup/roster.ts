/**
 * A class roster: a CSV file with a header row, one row per learner. The `learner` column holds
 * the learner id results carry (`grade --learner`, often a GitHub login); every other column is
 * an identity the gradebook knows (Canvas: `Student`, `ID`, `SIS User ID`; Moodle: `Email
 * address` or `ID number`) and is copied into the gradebook CSV as it is. The simplest roster is
 * `learner,lms_id`. Learners on the roster with no result still get a row (empty scores).
 */
import { parse } from 'csv-parse/sync';
import { normaliseLearner } from '../learner.js';
import type { ResultIssue } from './result-file.js';

export interface Roster {
  /** The roster's own columns besides `learner`, in file order. */
  columns: string[];
  /** Learners in file order. */
  learners: string[];
  /** learner → column → value. */
  identities: Map<string, Record<string, string>>;
}

export type ParsedRoster = { ok: true; roster: Roster } | { ok: false; issues: ResultIssue[] };

export const ROSTER_LEARNER_COLUMN = 'learner';

export function parseRoster(file: string, text: string): ParsedRoster {
  let rows: string[][];
  try {
    rows = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: false }) as string[][];
  } catch (error) {
    // csv-parse's errors carry the line they stopped at.
    const lines = (error as { lines?: unknown }).lines;
    const line = typeof lines === 'number' ? lines : 1;
    const message = (error instanceof Error ? error.message : String(error)).replace(/ (on|at) line \d+.*$/, '');
    return { ok: false, issues: [{ file, line, col: 1, message: `not a CSV roster: ${message}` }] };
  }
  const [header, ...body] = rows;
  const learnerIndex = header?.findIndex((name) => name.toLowerCase() === ROSTER_LEARNER_COLUMN) ?? -1;
  if (!header || learnerIndex < 0)
    return {
      ok: false,
      issues: [
        {
          file,
          line: 1,
          col: 1,
          message: `the header row needs a "${ROSTER_LEARNER_COLUMN}" column (the ids results carry), e.g. learner,lms_id`,
        },
      ],
    };
  const columns = header.filter((_, index) => index !== learnerIndex);
  const duplicated = columns.find((name, index) => columns.indexOf(name) !== index);
  if (duplicated !== undefined)
    return { ok: false, issues: [{ file, line: 1, col: 1, message: `the column "${duplicated}" appears twice` }] };
  const issues: ResultIssue[] = [];
  const learners: string[] = [];
  const identities = new Map<string, Record<string, string>>();
  body.forEach((row, index) => {
    const line = index + 2;
    const learner = normaliseLearner(row[learnerIndex] ?? '');
    if (learner === undefined) {
      issues.push({ file, line, col: 1, message: `"${row[learnerIndex] ?? ''}" is not a learner id` });
      return;
    }
    if (identities.has(learner)) {
      issues.push({ file, line, col: 1, message: `${learner} is on the roster twice` });
      return;
    }
    const identity: Record<string, string> = {};
    header.forEach((name, column) => {
      if (column !== learnerIndex) identity[name] = row[column] ?? '';
    });
    learners.push(learner);
    identities.set(learner, identity);
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, roster: { columns, learners, identities } };
}
