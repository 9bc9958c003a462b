/**
 * `--format csv`: what Canvas and Moodle gradebooks import — one row per learner, named columns:
 *
 *   [roster columns…,] learner, <scenario>…, total
 *
 * A scenario column holds the learner's points (their latest result), empty when they were not
 * graded on it (a gradebook leaves an empty cell alone rather than recording 0). With
 * `--roster`, the roster's identity columns (Canvas `Student`/`ID`/`SIS User ID`, Moodle `Email
 * address`, or just `lms_id`) come first so the LMS can match its students. Written with
 * csv-stringify: RFC 4180 quoting of commas, quotes and line breaks.
 */
import { stringify } from 'csv-stringify/sync';
import { BreakfixError } from '../../errors.js';
import { cellOf, type Rollup } from './rollup.js';

export const CSV_LEARNER_COLUMN = 'learner';
export const CSV_TOTAL_COLUMN = 'total';

/** The header and the rows as strings, before quoting (the unit tests compare a re-parse with these). */
export function csvTable(rollup: Rollup): { header: string[]; rows: string[][] } {
  const scenarios = rollup.scenarios.map((figures) => figures.scenario);
  const header = [...rollup.identityColumns, CSV_LEARNER_COLUMN, ...scenarios, CSV_TOTAL_COLUMN];
  const clash = header.find((name, index) => header.indexOf(name) !== index);
  if (clash !== undefined)
    throw new BreakfixError('usage', `the CSV would have two "${clash}" columns`, 'rename that roster column');
  const rows = rollup.learners.map((learner) => [
    ...rollup.identityColumns.map((column) => learner.identity?.[column] ?? ''),
    learner.learner,
    ...scenarios.map((scenario) => {
      const cell = cellOf(rollup, learner.learner, scenario);
      return cell ? String(cell.score) : '';
    }),
    learner.graded > 0 ? String(learner.score) : '',
  ]);
  return { header, rows };
}

export function renderCsv(rollup: Rollup): string {
  const { header, rows } = csvTable(rollup);
  // CRLF: RFC 4180, and what spreadsheet tools and both LMS importers expect.
  return stringify([header, ...rows], { record_delimiter: 'windows' });
}
