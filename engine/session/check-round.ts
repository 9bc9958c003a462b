/**
 * The checking step: one graded round over the running lab — the scenario's checks, its probes
 * (engine/probes) and, in a live session, the durability proof (grading/round.ts orders them).
 */
import type { CheckContext } from '../checks/check.js';
import { findCheck } from '../checks/registry.js';
import { runCheck, type TimedOutcome } from '../checks/runner.js';
import { loadComposePlan } from '../compose/load-plan.js';
import type { DeployPlan } from '../compose/plan.js';
import { containerName, sessionImageTag } from '../deploy/lab.js';
import { readReleases } from '../deploy/releases.js';
import type { GradeReport } from '../grading/report.js';
import { openProbeCache, type ProbeCache } from '../grading/probe-cache.js';
import { runRound } from '../grading/round.js';
import type { CheckEntry as RoundCheck } from '../scenario/schema.js';
import { runProbe } from '../probes/run-probe.js';
import type { CheckEntry } from './scenario-view.js';
import { labSettleStart } from './settle-start.js';
import { faultContext, type StepEnvironment } from './step-env.js';
import { stateDir } from './store.js';

export function checkContext(
  env: StepEnvironment,
  plan: DeployPlan | undefined,
  since: { session: Date; apply: Date },
): Omit<CheckContext, 'signal'> {
  return {
    lab: env.lab,
    runtime: env.runtime,
    host: env.host,
    since,
    service: (name) => ({
      container: containerName(env.lab, name),
      image: sessionImageTag(env.lab, plan?.services[name]?.image ?? name),
    }),
  };
}

export async function runCheckEntry(
  env: StepEnvironment,
  entry: CheckEntry,
  ctx: Omit<CheckContext, 'signal'>,
  signal?: AbortSignal,
  opensAt?: number,
): Promise<TimedOutcome> {
  const definition = findCheck(entry.type);
  if (!definition)
    return { status: 'errored', message: `unknown check type ${entry.type}`, durationMs: 0, attempts: 0 };
  const parsed = definition.params.safeParse(entry.params);
  if (!parsed.success)
    return {
      status: 'errored',
      message: `invalid ${entry.type} check: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`,
      durationMs: 0,
      attempts: 0,
    };
  return runCheck(definition, parsed.data, ctx, entry.timing, signal, opensAt);
}

/** The lab's services and containers as the last release deployed them (else the workspace's). */
async function labServices(env: StepEnvironment, plan: DeployPlan | undefined) {
  const release = (await readReleases(stateDir(env.lab.workspace))).at(-1);
  const names = Object.keys(release?.plan.services ?? plan?.services ?? {});
  return names.map((service) => ({ service, container: containerName(env.lab, service) }));
}

export async function gradeChecks(
  env: StepEnvironment,
  context: { createdAt: number; lastApplyAt?: number; seed: number },
  signal?: AbortSignal,
): Promise<GradeReport> {
  const plan = await loadComposePlan(env.lab.workspace).catch(() => undefined);
  const ctx = checkContext(env, plan, {
    session: new Date(context.createdAt),
    apply: new Date(context.lastApplyAt ?? context.createdAt),
  });
  const services = await labServices(env, plan);
  const probe = (entry: RoundCheck) =>
    runProbe(
      { id: entry.id, perturb: entry.perturb ?? [], recoverMs: entry.recoverMs ?? 60_000 },
      {
        runtime: env.runtime,
        stateDir: stateDir(env.lab.workspace),
        faultContext: faultContext(env, plan),
        services,
        observe: (probeSignal) => runCheckEntry(env, entry, ctx, probeSignal),
        onProgress: (progress) => env.notify({ type: 'progress', progress }),
      },
      signal,
    );
  // A live lab remembers its probes' passes (probe-cache.ts); a graded deploy is always new.
  let cache: Promise<ProbeCache> | undefined;
  let announced = false;
  const cachedProbe = async (entry: RoundCheck): Promise<TimedOutcome> => {
    cache ??= openProbeCache({
      workspace: env.lab.workspace,
      runtime: env.runtime,
      containers: services.map((service) => service.container),
      scenario: { checks: env.scenario.checks, seed: context.seed },
    });
    const probes = await cache;
    const known = probes.lookup(entry.id);
    if (known) return known;
    // Announced only when a probe really disturbs the lab, not for a remembered pass.
    if (!announced) env.notify({ type: 'grading', phase: 'probes' });
    announced = true;
    const outcome = await probe(entry);
    if (!signal?.aborted) await probes.record(entry.id, outcome);
    return outcome;
  };
  return runRound(
    env.scenario.id,
    env.scenario.checks,
    {
      plain: (entry, opensAt) => runCheckEntry(env, entry, ctx, signal, opensAt),
      probe: env.mode === 'session' ? cachedProbe : probe,
      ...(env.proveDurability
        ? { durability: () => (env.proveDurability as NonNullable<typeof env.proveDurability>)(signal) }
        : {}),
      onPhase: (phase) => {
        if (phase !== 'probes' || env.mode !== 'session') env.notify({ type: 'grading', phase });
      },
    },
    {
      seed: context.seed,
      // A live lab that settled long ago does not get its windows again (settle-start.ts).
      ...(env.mode === 'session'
        ? {
            windowsOpenAt: await labSettleStart(
              env.runtime,
              services.map((service) => service.container),
              context.lastApplyAt,
            ),
          }
        : {}),
      ...(env.untilRejected ? { untilRejected: true } : {}),
    },
  );
}
