/**
 * `--reporter text` (the default): for a person at a terminal.
 *
 *   wrong-port (seed 7): 1 of 2 checks passed
 *
 *     ✓ api-healthy  The API answers /health   70/70
 *     ✗ api-stable   The API stays up           0/30
 *         container api: expected running, got exited
 *         │ evidence, at most EVIDENCE_LINES lines
 *         hint: Read the api container's logs from its last start.
 *     ! db-ready     The database answers       0/10
 *         errored: no result within 3000ms
 *
 *   score 70/110 · not passed · 12.4 s
 *
 * ✓ passed, ✗ failed (the fix is wrong), ! errored (the checker could not observe). Colour only
 * when asked for — `useColor` says when: a TTY and no NO_COLOR.
 */
import type { CheckResult, GradeReport } from '../report.js';
import { oneLine, printable } from './text-safety.js';

export interface TextOptions {
  color?: boolean;
}

export const EVIDENCE_LINES = 12;

/** Colour on a terminal unless NO_COLOR is set (any value, https://no-color.org); FORCE_COLOR forces it. */
export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

type Paint = (text: string) => string;

function palette(color: boolean): Record<'green' | 'red' | 'yellow' | 'dim' | 'bold', Paint> {
  const sgr = (open: number, close: number): Paint =>
    color ? (text) => `\x1b[${open}m${text}\x1b[${close}m` : (text) => text;
  return { green: sgr(32, 39), red: sgr(31, 39), yellow: sgr(33, 39), dim: sgr(2, 22), bold: sgr(1, 22) };
}

function mark(check: CheckResult, paint: ReturnType<typeof palette>): string {
  if (check.passed) return paint.green('✓');
  return check.errored ? paint.yellow('!') : paint.red('✗');
}

function evidenceLines(evidence: string): string[] {
  const lines = printable(evidence).replace(/\n+$/, '').split('\n');
  if (lines.length <= EVIDENCE_LINES) return lines;
  return [
    ...lines.slice(0, EVIDENCE_LINES),
    `… ${lines.length - EVIDENCE_LINES} more line${lines.length - EVIDENCE_LINES === 1 ? '' : 's'}`,
  ];
}

export function renderText(report: GradeReport, options: TextOptions = {}): string {
  const paint = palette(options.color === true);
  const passedCount = report.checks.filter((check) => check.passed).length;
  const idWidth = Math.max(0, ...report.checks.map((check) => check.id.length));
  const titles = report.checks.map((check) => (oneLine(check.title) === check.id ? '' : oneLine(check.title)));
  const titleWidth = Math.max(0, ...titles.map((title) => title.length));
  const pointsOf = (check: CheckResult) => `${check.points}/${check.maxPoints}`;
  const pointsWidth = Math.max(0, ...report.checks.map((check) => pointsOf(check).length));

  const out: string[] = [];
  out.push(
    paint.bold(
      `${report.scenario}${report.seed !== undefined ? ` (seed ${report.seed})` : ''}: ${passedCount} of ${report.checks.length} check${report.checks.length === 1 ? '' : 's'} passed`,
    ),
  );
  out.push('');
  report.checks.forEach((check, index) => {
    const title = titles[index] ?? '';
    const row = `  ${mark(check, paint)} ${check.id.padEnd(idWidth)}  ${title.padEnd(titleWidth)}  ${pointsOf(check).padStart(pointsWidth)}`;
    out.push(row.trimEnd());
    if (check.passed) return;
    const indent = '      ';
    out.push(`${indent}${check.errored ? 'errored: ' : ''}${oneLine(check.message)}`);
    if (check.evidence)
      for (const line of evidenceLines(check.evidence)) out.push(paint.dim(`${indent}│ ${line}`.trimEnd()));
    if (check.hint) out.push(`${indent}${paint.yellow('hint:')} ${oneLine(check.hint)}`);
  });
  out.push('');
  const verdict = report.passed ? paint.green('passed') : paint.red('not passed');
  out.push(
    `score ${paint.bold(`${report.score}/${report.maxScore}`)} · ${verdict} · ${(report.durationMs / 1000).toFixed(1)} s`,
  );
  return `${out.join('\n')}\n`;
}
