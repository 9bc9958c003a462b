/**
 * `breakfix report RESULT.json... [--format md|csv|json|classroom] [--out FILE] [--roster FILE]`
 *
 * Rolls many gradings (`breakfix grade --reporter json` files) up into a class view; the
 * engine does the work (engine/grading/rollup/), this only reads flags and writes the result.
 *
 * - stdout carries the document; with `--out` it goes to the file (parent folders created) and
 *   stdout gets one summary line. Notes (older attempts, learners missing from the roster) go to
 *   stderr.
 * - Exit 0 written; 1 a result or roster file is not valid (`file:line:col: message` on stderr,
 *   every file checked); 2 a usage error: a bad flag, a file that cannot be read, `classroom`
 *   given more than one learner's results.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { BreakfixError, isRollupFormat, loadRollup, ROLLUP_FORMATS, type RollupFormat } from '../../engine/index.js';
import { exitWith, type ExitOutcome } from '../shared/exit.js';

export interface ReportOptions {
  format: RollupFormat;
  out?: string;
  roster?: string;
}

export interface ReportIo {
  stdout: Pick<NodeJS.WriteStream, 'write'>;
  stderr: Pick<NodeJS.WriteStream, 'write'>;
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

export async function runReport(files: readonly string[], options: ReportOptions, io: ReportIo): Promise<ExitOutcome> {
  const { readRollup, renderRollup, formatResultIssue } = await loadRollup();
  let text: string;
  let summary: string;
  try {
    const outcome = await readRollup(files, options.roster);
    if (!outcome.ok) {
      for (const issue of outcome.issues) io.stderr.write(`${formatResultIssue(issue)}\n`);
      io.stderr.write(`breakfix report: ${plural(outcome.issues.length, 'problem')} in the input; nothing written\n`);
      return 'failed';
    }
    const { rollup } = outcome;
    text = renderRollup(rollup, options.format);
    for (const note of rollup.notes) io.stderr.write(`note: ${note}\n`);
    summary = `${plural(rollup.learners.length, 'learner')}, ${plural(rollup.scenarios.length, 'scenario')}, ${plural(rollup.cells.length, 'result')}`;
  } catch (error) {
    if (error instanceof BreakfixError && error.kind === 'usage') {
      io.stderr.write(`breakfix report: ${error.message}${error.hint ? ` (${error.hint})` : ''}\n`);
      return 'error';
    }
    throw error;
  }
  if (options.out === undefined) {
    io.stdout.write(text);
    return 'ok';
  }
  const target = path.resolve(options.out);
  try {
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, text);
  } catch (error) {
    io.stderr.write(`breakfix report: cannot write ${target}: ${(error as Error).message}\n`);
    return 'error';
  }
  io.stdout.write(`${summary} (${options.format} report: ${options.out})\n`);
  return 'ok';
}

export function register(program: Command): void {
  program
    .command('report')
    .description(
      'roll result files of `grade --reporter json` up into a class view: learner × scenario, pass rates, the check failed most often',
    )
    .argument('<results...>', 'result files (JSON of `breakfix grade --reporter json`)')
    .option(
      '--format <format>',
      `${ROLLUP_FORMATS.join('|')}: markdown, a gradebook CSV (Canvas, Moodle), JSON, or GitHub Classroom's result document`,
      'md',
    )
    .option('--out <file>', 'write to this file (parent folders are created) and print a summary line')
    .option('--roster <file>', 'CSV with a `learner` column and the LMS identity columns (e.g. learner,lms_id)')
    .action(
      exitWith(async (files: string[], raw: { format: string; out?: string; roster?: string }, command: Command) => {
        if (!isRollupFormat(raw.format)) {
          command.error(`breakfix report: --format must be one of ${ROLLUP_FORMATS.join(', ')}, got ${raw.format}`, {
            exitCode: 2,
            code: 'breakfix.usage',
          });
          return 'error';
        }
        return runReport(
          files,
          {
            format: raw.format,
            ...(raw.out !== undefined ? { out: raw.out } : {}),
            ...(raw.roster !== undefined ? { roster: raw.roster } : {}),
          },
          { stdout: process.stdout, stderr: process.stderr },
        );
      }),
    );
}
