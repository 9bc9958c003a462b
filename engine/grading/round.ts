/**
 * One graded round, in the order that keeps a grade honest and cheap:
 *
 * 1. the plain checks, all at once — they only observe — except those that drive traffic or
 *    write (load, stop, a POST…), which run alone at their place in the list (run-order.ts);
 * 2. the probes, one at a time, and only when every plain check passed: a probe disturbs the
 *    lab, and on a lab that is still broken it could pass for the wrong reason (a health
 *    check that is always red "turns unhealthy when the database stops");
 * 3. in a live session, once everything passed: the durability proof — the workspace deployed
 *    afresh must pass too, so a fix made by hand in the running lab does not count.
 *
 * Pure orchestration: how a check, a probe or the proof runs is given by the caller.
 */
import { runInOrder } from '../checks/run-order.js';
import type { TimedOutcome } from '../checks/runner.js';
import type { CheckEntry } from '../scenario/schema.js';
import { summarise, type CheckResult, type DurabilityNote, type GradeReport } from './report.js';

export interface RoundRunners {
  /** `opensAt`: when the check's retry window opened (run-order.ts). */
  plain: (entry: CheckEntry, opensAt: number) => Promise<TimedOutcome>;
  probe: (entry: CheckEntry) => Promise<TimedOutcome>;
  /** Absent in `grade` (a submission is already a fresh deploy). */
  durability?: () => Promise<DurabilityProof>;
  onPhase?: (phase: 'probes' | 'durability') => void;
}

export interface DurabilityProof {
  report: GradeReport;
  cached: boolean;
  seconds: number;
}

export function resultOf(entry: CheckEntry, outcome: TimedOutcome, notRun?: boolean): CheckResult {
  return {
    id: entry.id,
    title: entry.title,
    type: entry.type,
    status: outcome.status,
    passed: outcome.status === 'passed',
    errored: outcome.status === 'errored',
    points: outcome.status === 'passed' ? entry.points : 0,
    maxPoints: entry.points,
    message: outcome.message,
    ...(outcome.evidence ? { evidence: outcome.evidence } : {}),
    ...(entry.hint && outcome.status !== 'passed' ? { hint: entry.hint } : {}),
    durationMs: outcome.durationMs,
    ...(entry.perturb ? { probe: true } : {}),
    ...(notRun ? { notRun: true } : {}),
  };
}

const NOT_RUN = 'not run: a probe disturbs the lab, so it runs once every other check passes';
const FRESH_ONLY = 'judged on a fresh deploy of your workspace, once the other checks pass';
const AFTER_REJECTION = 'not run: a check before it already rejected this fix (verify --until-rejected)';

export interface RoundOptions {
  seed?: number;
  /** When the plain checks' retry windows open (default: the round's start; run-order.ts). */
  windowsOpenAt?: number;
  /**
   * Stop at the first rejection: once a check has failed, the checks still to start are not run
   * (checks already running together finish). `verify --until-rejected` judges wrong fixes this
   * way — one rejection is all it has to prove, and the load bursts after it are most of a
   * round's time.
   */
  untilRejected?: boolean;
}

/**
 * A check that passed in the running lab and not in the fresh deploy loses its points; a check
 * judged on fresh deploys only takes the fresh deploy's verdict.
 */
function mergeDurability(live: CheckResult[], fresh: GradeReport, freshOnly: Set<string>): CheckResult[] {
  return live.map((result) => {
    const shadow = fresh.checks.find((check) => check.id === result.id);
    if (freshOnly.has(result.id))
      return shadow
        ? { ...shadow, hint: shadow.hint ?? result.hint }
        : { ...result, message: `${result.message}: no verdict` };
    if (!result.passed || !shadow || shadow.passed) return result;
    return {
      ...result,
      status: shadow.errored ? 'errored' : 'failed',
      passed: false,
      errored: shadow.errored,
      points: 0,
      message: `passes in your running lab, but not when your workspace is deployed afresh: ${shadow.message}`,
      ...(shadow.evidence ? { evidence: shadow.evidence } : {}),
      hint: 'A fix has to live in your files: something changed by hand in the running lab is gone on the next deploy.',
    };
  });
}

export async function runRound(
  scenarioId: string,
  checks: readonly CheckEntry[],
  runners: RoundRunners,
  options: RoundOptions = {},
): Promise<GradeReport> {
  const { seed, windowsOpenAt, untilRejected = false } = options;
  const started = new Date();
  // In a live round (with a durability proof), checks of a fresh deploy wait for that proof.
  const deferred = runners.durability ? checks.filter((entry) => entry.fresh && !entry.perturb) : [];
  const plain = checks.filter((entry) => !entry.perturb && !deferred.includes(entry));
  const probes = checks.filter((entry) => entry.perturb);
  const results = new Map<string, CheckResult>();
  let rejected = false;
  const plainResults = await runInOrder(
    plain,
    async (entry, opensAt) => {
      if (untilRejected && rejected)
        return resultOf(entry, { status: 'failed', message: AFTER_REJECTION, durationMs: 0, attempts: 0 }, true);
      const result = resultOf(entry, await runners.plain(entry, opensAt));
      if (!result.passed) rejected = true;
      return result;
    },
    Date.now,
    windowsOpenAt,
  );
  for (const result of plainResults) results.set(result.id, result);
  for (const entry of deferred)
    results.set(entry.id, resultOf(entry, { status: 'failed', message: FRESH_ONLY, durationMs: 0, attempts: 0 }));

  const ready = plainResults.every((result) => result.passed);
  if (probes.length > 0 && ready) runners.onPhase?.('probes');
  for (const entry of probes) {
    if (!ready || (untilRejected && rejected)) {
      const message = untilRejected ? AFTER_REJECTION : NOT_RUN;
      results.set(entry.id, resultOf(entry, { status: 'failed', message, durationMs: 0, attempts: 0 }, true));
      continue;
    }
    const result = resultOf(entry, await runners.probe(entry));
    // A failing probe waits out its whole window: one is enough to reject a wrong fix.
    if (!result.passed) rejected = true;
    results.set(entry.id, result);
  }

  // Report order is the scenario's order.
  let ordered = checks.map((entry) => results.get(entry.id) as CheckResult);
  let durability: DurabilityNote | undefined;
  const freshOnly = new Set(deferred.map((entry) => entry.id));
  if (runners.durability && ordered.every((result) => result.passed || freshOnly.has(result.id))) {
    runners.onPhase?.('durability');
    const proof = await runners.durability();
    ordered = mergeDurability(ordered, proof.report, freshOnly);
    durability = { proven: proof.report.passed, cached: proof.cached, seconds: proof.seconds };
  }
  const report = summarise(scenarioId, ordered, started, seed);
  return durability ? { ...report, durability } : report;
}
