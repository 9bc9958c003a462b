/**
 * `breakfix report`: read result files (and a roster), build the class roll-up, render it in one
 * format. One module per format behind `renderRollup`; reading is separate from rendering so
 * the formats are pure functions of the roll-up.
 */
import { readFile } from 'node:fs/promises';
import { BreakfixError } from '../../errors.js';
import { renderClassroom } from './classroom.js';
import type { RollupFormat } from './formats.js';
import { renderCsv } from './csv.js';
import { renderRollupJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { parseResultFile, type ResultIssue, type ResultRecord } from './result-file.js';
import { buildRollup, type Rollup } from './rollup.js';
import { parseRoster, type Roster } from './roster.js';

export function renderRollup(rollup: Rollup, format: RollupFormat): string {
  switch (format) {
    case 'md':
      return renderMarkdown(rollup);
    case 'csv':
      return renderCsv(rollup);
    case 'json':
      return renderRollupJson(rollup);
    case 'classroom':
      return renderClassroom(rollup);
  }
}

export type ReadOutcome = { ok: true; rollup: Rollup } | { ok: false; issues: ResultIssue[] };

async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a folder, not a file' : String(error);
    throw new BreakfixError('usage', `cannot read ${what} ${file}: ${reason}`);
  }
}

/**
 * Reads every result file and the roster. A file that cannot be read is a usage error (exit 2);
 * a file that is not a valid result is an issue with its position (exit 1), and every file is
 * checked so all issues are reported at once.
 */
export async function readRollup(files: readonly string[], rosterFile?: string): Promise<ReadOutcome> {
  const issues: ResultIssue[] = [];
  const records: ResultRecord[] = [];
  for (const file of files) {
    const parsed = parseResultFile(file, await readText(file, 'the result file'));
    if (parsed.ok) records.push(parsed.record);
    else issues.push(...parsed.issues);
  }
  let roster: Roster | undefined;
  if (rosterFile !== undefined) {
    const parsed = parseRoster(rosterFile, await readText(rosterFile, 'the roster'));
    if (parsed.ok) roster = parsed.roster;
    else issues.push(...parsed.issues);
  }
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, rollup: buildRollup(records, roster) };
}

export { buildRollup, cellOf, type Rollup, type RollupCell } from './rollup.js';
export { parseResultFile, formatResultIssue, type ResultIssue, type ResultRecord } from './result-file.js';
export { parseRoster, type Roster } from './roster.js';
export { toClassroom, type ClassroomResult, type ClassroomTest } from './classroom.js';
export { csvTable } from './csv.js';
export { rollupJson } from './json.js';
export { renderMarkdown } from './markdown.js';
export { isRollupFormat, ROLLUP_FORMATS, type RollupFormat } from './formats.js';
