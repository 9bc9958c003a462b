/** Several bench runs (`--from a.json b.json`) pooled into one report. */
import type { BenchReport, CheckFigures } from './report.js';
import { median, ratio, summarise, type Summary } from './stats.js';
import { goals } from './report.js';

const pool = (summaries: Array<Summary | undefined>): Summary | undefined => {
  const samples = summaries.flatMap((summary) => summary?.samplesMs ?? []);
  return samples.length > 0 ? summarise(samples) : undefined;
};

/**
 * The per-repetition ratios of a document written before `pairedRatios` existed: the raw runs
 * alternate with the starts (raw, scenario 1, raw, scenario 2, …, once per repetition), so
 * they pair up when every start of the run succeeded.
 */
function pairedRatiosOf(report: BenchReport, scenario: string): number[] {
  const figures = report.start?.[scenario];
  if (!figures) return [];
  if (figures.pairedRatios) return figures.pairedRatios;
  const order = Object.keys(report.start ?? {});
  const raw = report.raw?.samplesMs ?? [];
  if (
    order.some((id) => (report.start?.[id]?.failures.length ?? 1) > 0) ||
    raw.length !== order.length * figures.samplesMs.length
  )
    return [];
  const column = order.indexOf(scenario);
  return figures.samplesMs.map((ms, rep) => ms / (raw[rep * order.length + column] as number));
}

/** Several runs as one document: samples pooled, medians, ratios and goals recomputed. */
export function mergeReports(reports: BenchReport[]): BenchReport {
  const [first] = reports;
  if (!first) throw new Error('nothing to merge');
  if (reports.length === 1) return first;
  const last = reports.at(-1) as BenchReport;
  const merged: BenchReport = {
    ...first,
    label: [...new Set(reports.map((report) => report.label ?? report.startedAt))].join(' + '),
    finishedAt: last.finishedAt,
    options: { ...first.options, reps: reports.reduce((sum, report) => sum + report.options.reps, 0) },
    load: { before: first.load.before, after: last.load.after, bySection: last.load.bySection },
    errors: reports.flatMap((report) => report.errors),
    leaked: reports.reduce((sum, report) => sum + report.leaked, 0),
    goals: [],
  };
  delete merged.raw;
  delete merged.start;
  delete merged.startVsRaw;
  delete merged.startVsRawPaired;
  delete merged.startVsRawDockerHealthy;
  delete merged.startVsRawPerScenario;
  delete merged.check;
  delete merged.apply;
  delete merged.cli;
  delete merged.stop;
  const raws = reports.map((report) => report.raw).filter((raw) => raw !== undefined);
  if (raws.length > 0) {
    merged.raw = {
      ...(pool(raws) as Summary),
      dbReady: pool(raws.map((raw) => raw.dbReady)) as Summary,
      migrateDone: pool(raws.map((raw) => raw.migrateDone)) as Summary,
      apiReady: pool(raws.map((raw) => raw.apiReady)) as Summary,
    };
    const apiHealthy = pool(raws.map((raw) => raw.apiHealthy));
    if (apiHealthy) merged.raw.apiHealthy = apiHealthy;
  }
  const scenarios = [...new Set(reports.flatMap((report) => Object.keys(report.start ?? {})))];
  if (scenarios.length > 0) {
    merged.start = {};
    for (const scenario of scenarios) {
      const parts = reports.map((report) => report.start?.[scenario]).filter((part) => part !== undefined);
      const summary = pool(parts) as Summary;
      const pairs = reports.flatMap((report) => pairedRatiosOf(report, scenario));
      const toRaw = ratio(summary, merged.raw);
      merged.start[scenario] = {
        ...summary,
        ok: parts.reduce((sum, part) => sum + part.ok, 0),
        failures: parts.flatMap((part) => part.failures),
        ...(toRaw !== undefined ? { ratioToRaw: toRaw } : {}),
        ...(pairs.length > 0
          ? {
              pairedRatioToRaw: Math.round(median(pairs) * 100) / 100,
              pairedRatios: pairs.map((value) => Math.round(value * 1000) / 1000),
            }
          : {}),
        phasesMedianMs: parts[0]?.phasesMedianMs ?? {},
        serviceProgressMedianMs: parts[0]?.serviceProgressMedianMs ?? {},
      };
    }
    const healthy = merged.start['bench-healthy'];
    const toRaw = ratio(healthy, merged.raw);
    if (toRaw !== undefined) merged.startVsRaw = toRaw;
    if (healthy?.pairedRatioToRaw !== undefined) merged.startVsRawPaired = healthy.pairedRatioToRaw;
    const toDockerHealthy = ratio(healthy, merged.raw?.apiHealthy);
    if (toDockerHealthy !== undefined) merged.startVsRawDockerHealthy = toDockerHealthy;
    merged.startVsRawPerScenario = Object.fromEntries(
      Object.entries(merged.start).map(([id, figures]) => [id, figures.ratioToRaw]),
    );
  }
  const stop = pool(reports.map((report) => report.stop));
  if (stop) merged.stop = stop;
  const checks = [...new Set(reports.flatMap((report) => Object.keys(report.check ?? {})))];
  if (checks.length > 0) {
    merged.check = {};
    for (const scenario of checks) {
      const parts = reports.map((report) => report.check?.[scenario]).filter((part) => part !== undefined);
      const entry: CheckFigures = {};
      const broken = pool(parts.map((part) => part.broken));
      const fixed = pool(parts.map((part) => part.fixed));
      const fixedCli = pool(parts.map((part) => part.fixedCli));
      if (broken) entry.broken = broken;
      if (fixed) entry.fixed = fixed;
      if (fixedCli) entry.fixedCli = fixedCli;
      const score = parts.find((part) => part.brokenScore !== undefined)?.brokenScore;
      if (score !== undefined) entry.brokenScore = score;
      if (parts.some((part) => part.fixedPassed !== undefined))
        entry.fixedPassed = parts.every((part) => part.fixedPassed !== false);
      const errors = parts.flatMap((part) => (part.error ? [part.error] : []));
      if (errors.length > 0) entry.error = errors.join('; ');
      merged.check[scenario] = entry;
    }
  }
  const sourceChange = pool(reports.map((report) => report.apply?.sourceChange));
  const noChange = pool(reports.map((report) => report.apply?.noChange));
  if (sourceChange || noChange)
    merged.apply = { ...(sourceChange ? { sourceChange } : {}), ...(noChange ? { noChange } : {}) };
  const cliNames = [...new Set(reports.flatMap((report) => Object.keys(report.cli ?? {})))];
  if (cliNames.length > 0)
    merged.cli = Object.fromEntries(
      cliNames.map((name) => [name, pool(reports.map((report) => report.cli?.[name])) as Summary]),
    );
  const concurrent = reports.flatMap((report) => report.concurrent ?? []);
  if (concurrent.length > 0) merged.concurrent = concurrent;
  merged.goals = goals(merged);
  return merged;
}
