/**
 * The benchmark's JSON document (`npm run bench -- --json`), the goals it is read against, and
 * its renderings: a plain table, a Markdown table (docs/performance.md), and a before/after
 * Markdown comparison of two saved documents.
 */
import type { ConcurrentResult } from './concurrent.js';
import type { LabCommandsFigures } from './lab-commands.js';
import type { Machine } from './machine.js';
import type { ServeResult } from './serve-bench.js';
import { type Summary } from './stats.js';

export const SECTIONS = ['start', 'check', 'apply', 'cli', 'lab-commands', 'concurrent', 'serve'] as const;
export type Section = (typeof SECTIONS)[number];

export interface StartFigures extends Summary {
  ok: number;
  failures: string[];
  /** Median of this start ÷ median of every raw run. */
  ratioToRaw?: number;
  /** Median over repetitions of (this start ÷ the raw run just before it). */
  pairedRatioToRaw?: number;
  /** The per-repetition ratios behind pairedRatioToRaw. */
  pairedRatios?: number[];
  /** Median milliseconds per machine state (connect = call → first state). */
  phasesMedianMs: Record<string, number>;
  /** Median milliseconds from the call to each service's deploy progress (`api starting`, `api ready`, …). */
  serviceProgressMedianMs: Record<string, number>;
}

export interface CheckFigures {
  /** One CHECK round on the broken lab (failing checks retry for their `within` window). */
  broken?: Summary;
  /** One CHECK round on the lab with the reference solution applied. */
  fixed?: Summary;
  /** `breakfix check --json` in a new process on the fixed lab. */
  fixedCli?: Summary;
  brokenScore?: number;
  fixedPassed?: boolean;
  cliError?: string;
  error?: string;
}

export interface BenchReport {
  format: 1;
  startedAt: string;
  finishedAt: string;
  /** Free text saying which code was measured (`--label`). */
  label?: string;
  options: { reps: number; cliReps: number; sections: Section[]; concurrency: number[]; concurrentScenario: string };
  machine: Machine;
  load: { before: number[]; after: number[]; bySection: Record<string, number[]> };
  raw?: Summary & { dbReady: Summary; migrateDone: Summary; apiReady: Summary; apiHealthy?: Summary };
  start?: Record<string, StartFigures>;
  /** start of `bench-healthy` (notes-api, no fault) / raw, medians of the same run. */
  startVsRaw?: number;
  /** Median over repetitions of (bench-healthy start ÷ the raw run just before it). */
  startVsRawPaired?: number;
  /** bench-healthy start ÷ the raw run's "Docker calls the api healthy" (what breakfix's settle waits for). */
  startVsRawDockerHealthy?: number;
  startVsRawPerScenario?: Record<string, number | undefined>;
  stop?: Summary;
  check?: Record<string, CheckFigures>;
  apply?: { sourceChange?: Summary; noChange?: Summary; error?: string };
  cli?: Record<string, Summary>;
  labCommands?: LabCommandsFigures;
  concurrent?: ConcurrentResult[];
  memory?: { engine?: { sessions: number; maxRssMiB: number }; serve?: ServeResult };
  goals: Array<{ goal: string; target: string; actual: string; met: boolean | null }>;
  errors: string[];
  leaked: number;
}

const ms = (value: number | undefined) =>
  value === undefined || !Number.isFinite(value) ? '–' : `${Math.round(value)} ms`;

export function goals(report: BenchReport): BenchReport['goals'] {
  const list: BenchReport['goals'] = [];
  if (report.startVsRaw !== undefined)
    list.push({
      goal: 'startVsRaw',
      target: '≤ 1.5',
      actual: String(report.startVsRaw),
      met: report.startVsRaw <= 1.5,
    });
  const fixed = Object.entries(report.check ?? {}).filter(([, entry]) => entry.fixed);
  if (fixed.length > 0) {
    const worst = Math.max(...fixed.map(([, entry]) => entry.fixed!.medianMs));
    list.push({
      goal: 'healthy check round (median, slowest scenario)',
      target: '< 300 ms',
      actual: `${Math.round(worst)} ms`,
      met: worst < 300,
    });
  }
  for (const name of ['breakfix --help', 'breakfix list']) {
    const figure = report.cli?.[name];
    if (figure)
      list.push({
        goal: `${name} cold start (median)`,
        target: '< 300 ms',
        actual: `${Math.round(figure.medianMs)} ms`,
        met: figure.medianMs < 300,
      });
  }
  const lab = report.labCommands;
  const labGoal = (name: string, goal: string, limit: number) => {
    const figure = lab?.commands[name];
    if (figure)
      list.push({
        goal,
        target: `≤ ${limit} ms`,
        actual: `${Math.round(figure.medianMs)} ms (×${lab?.ratioToDockerPs[name] ?? '?'} docker ps)`,
        met: figure.medianMs <= limit,
      });
  };
  labGoal('status', '`breakfix status` (new process, median)', 300);
  labGoal('hint', '`breakfix hint` (new process, median)', 300);
  labGoal('check, fixed lab', '`breakfix check` on a healthy lab (median)', 600);
  labGoal('check, api stopped (certain failure)', 'a certain failure reported (median)', 1500);
  for (const result of report.concurrent ?? []) {
    list.push({
      goal: `${result.sessions} concurrent sessions`,
      target: 'no failure, nothing leaked',
      actual: `${result.ok}/${result.sessions} active, ${result.leaked} leaked`,
      met: result.ok === result.sessions && result.leaked === 0,
    });
  }
  return list;
}

interface Row {
  name: string;
  summary?: Summary;
  /** A single figure instead of a summary (wall time of a concurrent run). */
  value?: string;
  note?: string;
}

/** The table's rows, in reading order; shared by every rendering. */
export function rows(report: BenchReport): Row[] {
  const list: Row[] = [];
  if (report.raw) {
    list.push({ name: 'raw: notes-api up (dockerode, no breakfix)', summary: report.raw });
    list.push({ name: '  raw: db accepts connections', summary: report.raw.dbReady });
    list.push({ name: '  raw: migrate exited 0', summary: report.raw.migrateDone });
    if (report.raw.apiHealthy)
      list.push({
        name: '  raw: …and Docker calls the api healthy',
        summary: report.raw.apiHealthy,
        note: 'not in the baseline; what a settle waits for',
      });
  }
  for (const [scenario, figures] of Object.entries(report.start ?? {})) {
    const notes = [
      figures.ratioToRaw !== undefined ? `×${figures.ratioToRaw} raw` : '',
      figures.pairedRatioToRaw !== undefined ? `paired ×${figures.pairedRatioToRaw}` : '',
      figures.failures.length ? `${figures.failures.length} failed` : '',
    ].filter(Boolean);
    list.push({ name: `start: ${scenario}`, summary: figures, note: notes.join(', ') });
  }
  if (report.startVsRaw !== undefined) {
    const notes = [
      report.startVsRawPaired !== undefined ? `paired: ${report.startVsRawPaired}` : '',
      report.startVsRawDockerHealthy !== undefined
        ? `vs raw + Docker's healthy verdict: ${report.startVsRawDockerHealthy}`
        : '',
    ].filter(Boolean);
    list.push({
      name: 'startVsRaw (bench-healthy ÷ raw, medians)',
      value: String(report.startVsRaw),
      note: notes.join('; '),
    });
  }
  if (report.stop) list.push({ name: 'stop (teardown, after each start)', summary: report.stop });
  for (const [scenario, entry] of Object.entries(report.check ?? {})) {
    if (entry.broken)
      list.push({
        name: `check, broken lab: ${scenario}`,
        summary: entry.broken,
        note: `score ${entry.brokenScore ?? '?'}`,
      });
    if (entry.fixed)
      list.push({
        name: `check, fixed lab: ${scenario}`,
        summary: entry.fixed,
        note: entry.fixedPassed ? 'passed' : 'NOT passed',
      });
    if (entry.fixedCli) list.push({ name: `  \`breakfix check\` (new process): ${scenario}`, summary: entry.fixedCli });
    if (entry.error) list.push({ name: `check: ${scenario}`, note: entry.error });
    if (entry.cliError) list.push({ name: `\`breakfix check\`: ${scenario}`, note: entry.cliError });
  }
  if (report.apply?.sourceChange)
    list.push({ name: 'apply after a one-line change to app/api.py', summary: report.apply.sourceChange });
  if (report.apply?.noChange) list.push({ name: 'apply with nothing changed', summary: report.apply.noChange });
  if (report.apply?.error) list.push({ name: 'apply', note: report.apply.error });
  for (const [name, summary] of Object.entries(report.cli ?? {})) list.push({ name: `cli: ${name}`, summary });
  const lab = report.labCommands;
  for (const [name, summary] of Object.entries(lab?.commands ?? {})) {
    const cpu = lab?.cpu[name];
    const notes = [
      lab?.ratioToDockerPs[name] !== undefined ? `×${lab.ratioToDockerPs[name]} docker ps` : '',
      cpu ? `CPU ${ms(cpu.medianMs)}` : '',
    ].filter(Boolean);
    list.push({ name: `lab-commands (${lab?.scenario}): ${name}`, summary, note: notes.join(', ') });
  }
  if (lab?.error) list.push({ name: 'lab-commands', note: lab.error });
  const seen = new Map<number, number>();
  for (const result of report.concurrent ?? []) {
    const nth = (seen.get(result.sessions) ?? 0) + 1;
    seen.set(result.sessions, nth);
    list.push({
      name: `concurrent: ${result.sessions} × ${result.scenario} (wall${nth > 1 ? `, run ${nth}` : ''})`,
      value: ms(result.wallMs),
      note: `${result.ok}/${result.sessions} active; per session median ${ms(result.perSession.medianMs)}, p90 ${ms(result.perSession.p90Ms)}; stop all ${ms(result.stopWallMs)}; engine peak RSS ${result.engineMaxRssMiB} MiB; leaked ${result.leaked}`,
    });
    for (const failure of result.failures) list.push({ name: `  ${failure.workspace}`, note: failure.error });
  }
  const serve = report.memory?.serve;
  if (serve) {
    list.push(
      serve.available
        ? {
            name: `serve: ${serve.sessions} × ${serve.scenario} via POST /v1/sessions (wall)`,
            value: ms(serve.wallMs),
            note: `${serve.active}/${serve.sessions} active; server peak RSS ${serve.serverPeakRssMiB} MiB (idle ${serve.serverIdleRssMiB} MiB); leaked ${serve.leaked}${serve.error ? `; ${serve.error}` : ''}`,
          }
        : { name: 'serve', note: serve.error ?? 'not available' },
    );
  }
  return list;
}

export function renderText(report: BenchReport): string {
  const lines: string[] = [];
  const m = report.machine;
  lines.push(
    `breakfix benchmark${report.label ? ` (${report.label})` : ''} — ${m.cpus} cores (${m.cpuModel}), ${m.memoryGiB} GiB, Docker ${m.docker.serverVersion} (API ${m.docker.apiVersion}), Node ${m.node}`,
  );
  lines.push(
    `load before ${report.load.before.join(' ')}, after ${report.load.after.join(' ')}; ${report.options.reps} reps`,
  );
  lines.push('');
  lines.push(`${'operation'.padEnd(52)} ${'median'.padStart(9)} ${'p90'.padStart(9)}`);
  for (const row of rows(report)) {
    const figures = row.summary
      ? `${ms(row.summary.medianMs).padStart(9)} ${ms(row.summary.p90Ms).padStart(9)}   n=${row.summary.n}`
      : row.value !== undefined
        ? row.value.padStart(9)
        : '';
    lines.push(`${row.name.padEnd(52)} ${figures}${row.note ? `  ${row.note}` : ''}`.trimEnd());
  }
  lines.push('');
  for (const goal of report.goals)
    lines.push(`goal ${goal.goal}: ${goal.target}, got ${goal.actual} ${goal.met ? '✓' : '✗'}`);
  for (const error of report.errors) lines.push(`error: ${error}`);
  lines.push(`leaked resources: ${report.leaked}`);
  return `${lines.join('\n')}\n`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

function machineLine(report: BenchReport): string {
  const m = report.machine;
  return `${m.cpus} cores (${m.cpuModel}), ${m.memoryGiB} GiB RAM, ${m.kernel}, Docker ${m.docker.serverVersion} (API ${m.docker.apiVersion}${m.docker.storageDriver ? `, ${m.docker.storageDriver}` : ''}), Node ${m.node}; load average ${report.load.before.join(' / ')} at the start, ${report.load.after.join(' / ')} at the end; ${report.options.reps} repetitions, ${report.startedAt}`;
}

export function renderMarkdown(report: BenchReport): string {
  const lines = [
    `Measured on ${machineLine(report)}.`,
    '',
    '| operation | median | p90 | n | notes |',
    '|---|---:|---:|---:|---|',
  ];
  for (const row of rows(report)) {
    const median = row.summary ? ms(row.summary.medianMs) : (row.value ?? '');
    lines.push(
      `| ${cell(row.name.trim())} | ${median} | ${row.summary ? ms(row.summary.p90Ms) : ''} | ${row.summary ? row.summary.n : ''} | ${cell(row.note ?? '')} |`,
    );
  }
  if (report.goals.length > 0) {
    lines.push('', '| goal | target | got | |', '|---|---|---|---|');
    for (const goal of report.goals)
      lines.push(`| ${cell(goal.goal)} | ${goal.target} | ${goal.actual} | ${goal.met ? '✓' : '✗'} |`);
  }
  if (report.errors.length > 0) lines.push('', ...report.errors.map((error) => `- error: ${error}`));
  return `${lines.join('\n')}\n`;
}

/** Rows present in both documents, before → after, with the change of the medians. */
export function renderComparison(before: BenchReport, after: BenchReport): string {
  const afterRows = new Map(rows(after).map((row) => [row.name, row]));
  const lines = [
    `Before: ${before.label ?? before.startedAt}; ${machineLine(before)}.`,
    '',
    `After: ${after.label ?? after.startedAt}; ${machineLine(after)}.`,
    '',
    '| operation | before median | before p90 | after median | after p90 | change (median) |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const row of rows(before)) {
    const other = afterRows.get(row.name);
    if (!other) continue;
    if (row.summary && other.summary) {
      const change = ((other.summary.medianMs - row.summary.medianMs) / row.summary.medianMs) * 100;
      lines.push(
        `| ${cell(row.name.trim())} | ${ms(row.summary.medianMs)} | ${ms(row.summary.p90Ms)} | ${ms(other.summary.medianMs)} | ${ms(other.summary.p90Ms)} | ${change >= 0 ? '+' : ''}${Math.round(change)} % |`,
      );
    } else if (row.value !== undefined && other.value !== undefined) {
      const shown = (entry: Row) => cell(`${entry.value}${entry.note ? ` (${entry.note})` : ''}`);
      lines.push(`| ${cell(row.name.trim())} | ${shown(row)} | | ${shown(other)} | | |`);
    }
  }
  return `${lines.join('\n')}\n`;
}
