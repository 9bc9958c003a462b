/**
 * `breakfix doctor [--fix] [--json]`: the environment report. `--json` prints exactly
 * `{ok, checks:[{name, ok, detail}]}` on stdout (progress of `--fix` goes to stderr then).
 * Exit 0 when every check passes, 2 otherwise (an environment problem, per the CLI contract).
 */
import type { Command } from 'commander';
import type { DoctorProgress, DoctorReport } from '../../engine/index.js';
import { createImagesProgressPrinter, isInteractive, type ImagesProgressPrinter } from './images.js';
import { exitWith } from '../shared/exit.js';

export function formatDoctorReport(report: DoctorReport, color = false): string {
  const width = Math.max(...report.checks.map((check) => check.name.length));
  const mark = (ok: boolean): string => (ok ? (color ? '\x1b[32m✓\x1b[39m' : '✓') : color ? '\x1b[31m✗\x1b[39m' : '✗');
  const lines = report.checks.map((check) => `${mark(check.ok)} ${check.name.padEnd(width)}  ${check.detail}`);
  const failed = report.checks.filter((check) => !check.ok).length;
  lines.push(
    report.ok
      ? 'ready: breakfix can run labs on this machine'
      : `${failed} check${failed === 1 ? '' : 's'} failed${report.checks.some((check) => !check.ok && /breakfix doctor --fix/.test(check.detail)) ? '' : '; `breakfix doctor --fix` repairs what it can'}`,
  );
  return `${lines.join('\n')}\n`;
}

/** Progress of `--fix`: actions as plain lines, image builds through the images printer. */
export function doctorProgressPrinter(stream: NodeJS.WriteStream): {
  onProgress(event: DoctorProgress): void;
  stop(): void;
} {
  let images: ImagesProgressPrinter | undefined;
  return {
    onProgress(event) {
      if (event.kind === 'action') {
        images?.stop();
        stream.write(`→ ${event.message}\n`);
      } else {
        images ??= createImagesProgressPrinter(stream);
        images.onProgress(event.event);
      }
    },
    stop() {
      images?.stop();
    },
  };
}

export async function runDoctorCommand(options: { fix?: boolean; json?: boolean }): Promise<DoctorReport> {
  // With --json, stdout carries the JSON document and nothing else.
  const progressStream = options.json ? process.stderr : process.stdout;
  const printer = doctorProgressPrinter(progressStream);
  let report: DoctorReport;
  try {
    const { runDoctor } = await import('../../engine/index.js');
    report = await runDoctor({ fix: options.fix === true, onProgress: (event) => printer.onProgress(event) });
  } finally {
    printer.stop();
  }
  if (options.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else process.stdout.write(formatDoctorReport(report, isInteractive(process.stdout) && !process.env.NO_COLOR));
  return report;
}

export function register(program: Command): void {
  program
    .command('doctor')
    .description('check Docker, the engine version, images and disk; --fix starts/installs/builds what it can')
    .option('--fix', 'start or install Docker (root on Debian/Ubuntu) and build missing images')
    .option('--json', 'print {ok, checks:[{name, ok, detail}]} on stdout')
    .action(
      exitWith(async (options: { fix?: boolean; json?: boolean }) =>
        (await runDoctorCommand(options)).ok ? 'ok' : 'error',
      ),
    );
}
