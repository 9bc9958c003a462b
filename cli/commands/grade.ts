/**
 * `breakfix grade <scenario> --workspace DIR [--seed N] [--learner ID] [--reporter text|json|junit|tap] [--out FILE]`
 *
 * Grades a submitted workspace headlessly: the engine copies it into a sandbox (dropping
 * `.breakfix/`, `.git` and symlinks that leave it), rebuilds the scenario's environment from
 * scratch around it, runs the scenario's checks and tears everything down.
 *
 * - stdout carries the report and nothing else; with `--out` the report goes to the file
 *   (parent folders created) and stdout gets one summary line.
 * - The report names the learner: `--learner`, else GITHUB_ACTOR, else git's user.name (the
 *   JSON report carries it for `breakfix report`).
 * - Progress goes to stderr, one plain line per step.
 * - Exit 0 every check passed; 1 a check did not pass (failed, or errored: the report tells
 *   which); 2 grading could not run (unknown scenario, Docker unreachable, image missing,
 *   bad flag), with a one-line reason on stderr.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import {
  BreakfixError,
  defaultLearner,
  gradeLab,
  LEARNER_RULE,
  normaliseLearner,
  type GradeResult,
  type SessionNotice,
} from '../../engine/index.js';
import { isReportFormat, loadReporters, REPORT_FORMATS, summaryLine, type ReportFormat } from '../../engine/index.js';
import { abortOnInterrupt } from '../shared/interrupt.js';
import { exitWith, type ExitOutcome } from '../shared/exit.js';

export interface GradeCommandOptions {
  workspace: string;
  seed?: number;
  /** Who is graded; default GITHUB_ACTOR, else git's user.name. */
  learner?: string;
  reporter: ReportFormat;
  out?: string;
}

export interface GradeIo {
  stdout: Pick<NodeJS.WriteStream, 'write'> & { isTTY?: boolean };
  stderr: Pick<NodeJS.WriteStream, 'write'>;
  /** Injected by tests; defaults to the engine's gradeLab. */
  grade?: typeof gradeLab;
  signal?: AbortSignal;
  /** Where GITHUB_ACTOR is read (default: process.env). */
  env?: NodeJS.ProcessEnv;
}

/** Progress as plain stderr lines: state changes, image build steps, service status. */
export function gradeProgressLine(notice: SessionNotice): string | undefined {
  switch (notice.type) {
    case 'state':
      return `grade: ${notice.state}`;
    case 'progress': {
      const progress = notice.progress;
      if (progress.phase === 'build') {
        return progress.event.kind === 'step'
          ? `  build ${progress.service}: step ${progress.event.step}/${progress.event.total} ${progress.event.instruction}`
          : undefined;
      }
      return `  ${progress.service}: ${progress.status}${progress.detail ? ` (${progress.detail})` : ''}`;
    }
    case 'fault':
      return `  fault (${notice.phase}): ${notice.description}`;
    case 'report':
      return `  checked: ${notice.report.score}/${notice.report.maxScore}`;
    default:
      return undefined;
  }
}

function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const [first = '', ...rest] = message.split('\n').filter((line) => line.trim() !== '');
  const hint = error instanceof BreakfixError && error.hint ? ` (${error.hint})` : '';
  return `${first}${rest.length > 0 ? ` [+${rest.length} more line${rest.length === 1 ? '' : 's'}]` : ''}${hint}`;
}

/** Runs one grading round and writes the report; returns the exit code. */
export async function runGrade(scenario: string, options: GradeCommandOptions, io: GradeIo): Promise<ExitOutcome> {
  const workspace = path.resolve(options.workspace);
  const info = await stat(workspace).catch(() => undefined);
  if (!info?.isDirectory()) {
    io.stderr.write(`breakfix grade: ${workspace} is not a folder (--workspace must name the submitted workspace)\n`);
    return 'error';
  }
  let learner: string | undefined;
  if (options.learner !== undefined) {
    learner = normaliseLearner(options.learner);
    if (learner === undefined) {
      io.stderr.write(`breakfix grade: --learner must be ${LEARNER_RULE}, got ${JSON.stringify(options.learner)}\n`);
      return 'error';
    }
  } else {
    learner = await defaultLearner(workspace, io.env ?? process.env);
  }
  let result: GradeResult;
  let session: string | undefined;
  try {
    io.stderr.write(
      `grade: ${scenario} in ${workspace}${options.seed !== undefined ? ` (seed ${options.seed})` : ''}\n`,
    );
    result = await (io.grade ?? gradeLab)({
      scenario,
      submission: workspace,
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(learner !== undefined ? { learner } : {}),
      ...(io.signal ? { signal: io.signal } : {}),
      onNotice: (notice) => {
        // The lab's session id, once: `docker ps --filter label=breakfix.session=<id>` finds what it runs.
        if (notice.type === 'state' && !session && notice.context?.sessionId) {
          session = notice.context.sessionId;
          io.stderr.write(`grade: lab session ${session}\n`);
        }
        const line = gradeProgressLine(notice);
        if (line !== undefined) io.stderr.write(`${line}\n`);
      },
    });
  } catch (error) {
    io.stderr.write(`breakfix grade: grading could not run: ${oneLine(error)}\n`);
    return 'error';
  }
  if (io.signal?.aborted) {
    io.stderr.write('breakfix grade: interrupted; the lab was torn down\n');
    return 'error';
  }
  for (const entry of result.dropped)
    io.stderr.write(`grade: ignored ${entry.path} from the submission: ${entry.reason}\n`);

  const { report } = result;
  const { renderReport, useColor } = await loadReporters();
  if (options.out) {
    const target = path.resolve(options.out);
    try {
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, renderReport(report, options.reporter, { color: false }));
    } catch (error) {
      io.stderr.write(`breakfix grade: cannot write the report to ${target}: ${oneLine(error)}\n`);
      return 'error';
    }
    io.stdout.write(`${summaryLine(report)} (${options.reporter} report: ${options.out})\n`);
  } else {
    io.stdout.write(
      renderReport(report, options.reporter, { color: options.reporter === 'text' && useColor(io.stdout) }),
    );
  }
  return report.passed ? 'ok' : 'failed';
}

function parseSeed(value: string): number {
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)))
    throw new BreakfixError('usage', `--seed must be a non-negative integer, got ${value}`);
  return Number(value);
}

export function register(program: Command): void {
  program
    .command('grade')
    .description(
      'grade a submitted workspace from scratch (exit 0 all checks pass, 1 a check did not, 2 grading could not run)',
    )
    .argument('<scenario>', 'the scenario id, e.g. wrong-port')
    .requiredOption('--workspace <dir>', 'the submitted workspace folder')
    .option('--seed <n>', "the seed the lab was started with (default 1; the submission's own record is never trusted)")
    .option('--learner <id>', "who is graded, recorded in the report (default: $GITHUB_ACTOR, else git's user.name)")
    .option('--reporter <format>', `report format: ${REPORT_FORMATS.join('|')}`, 'text')
    .option('--out <file>', 'write the report to this file (parent folders are created) and print a summary line')
    .action(
      exitWith(
        async (
          scenario: string,
          raw: { workspace: string; seed?: string; learner?: string; reporter: string; out?: string },
          command: Command,
        ): Promise<ExitOutcome> => {
          if (!isReportFormat(raw.reporter)) {
            command.error(
              `breakfix grade: --reporter must be one of ${REPORT_FORMATS.join(', ')}, got ${raw.reporter}`,
              {
                exitCode: 2,
                code: 'breakfix.usage',
              },
            );
            return 'error';
          }
          let seed: number | undefined;
          try {
            seed = raw.seed === undefined ? undefined : parseSeed(raw.seed);
          } catch (error) {
            command.error(`breakfix grade: ${(error as Error).message}`, { exitCode: 2, code: 'breakfix.usage' });
            return 'error';
          }
          // Ctrl-C (or a CI job's SIGTERM) stops the lab being built and tears it down before exiting.
          const interrupt = abortOnInterrupt((text) => void process.stderr.write(text), {
            first: 'grade: stopping, tearing the lab down (press Ctrl-C again to quit at once)\n',
          });
          try {
            return await runGrade(
              scenario,
              {
                workspace: raw.workspace,
                reporter: raw.reporter,
                ...(seed !== undefined ? { seed } : {}),
                ...(raw.learner !== undefined ? { learner: raw.learner } : {}),
                ...(raw.out ? { out: raw.out } : {}),
              },
              { stdout: process.stdout, stderr: process.stderr, signal: interrupt.signal },
            );
          } finally {
            interrupt.dispose();
          }
        },
      ),
    );
}
