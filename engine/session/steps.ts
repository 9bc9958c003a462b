/**
 * The work behind each state of the session machine. `createSteps` returns the promise actors
 * that SessionRunner plugs into the machine with `machine.provide({ actors })`.
 */
import { mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fromPromise } from 'xstate';
import { runInOrder } from '../checks/run-order.js';
import { loadComposePlan } from '../compose/load-plan.js';
import type { DeployPlan } from '../compose/plan.js';
import { assessServices, describeProblems, type ServiceProblem } from '../deploy/assess.js';
import { deployLab, type DeployedService } from '../deploy/deploy.js';
import { buildLabImages } from '../deploy/images.js';
import { containerName } from '../deploy/lab.js';
import { appendRelease, readReleases, type Release } from '../deploy/releases.js';
import { teardownLab } from '../deploy/teardown.js';
import { scenarioError, workspaceError } from '../errors.js';
import type { FaultPhase } from '../faults/fault.js';
import { findFault } from '../faults/registry.js';
import type { GradeReport } from '../grading/report.js';
import { withScoring } from '../grading/scoring.js';
import type { Runtime } from '../runtime/runtime.js';
import type { ReleaseOutput, StepInput, SymptomOutput } from './machine.js';
import { checkContext, gradeChecks, runCheckEntry } from './check-round.js';
import { chooseRollback } from './release-history.js';
import type { CheckEntry, FaultEntry, RunnableScenario } from './scenario-view.js';
import { faultContext, type StepEnvironment } from './step-env.js';
import { stateDir, STATE_DIR } from './store.js';
import { copyLabFiles } from './lab-copy.js';

export type { StepEnvironment, StepNotice } from './step-env.js';
export { checkContext, gradeChecks, runCheckEntry } from './check-round.js';
export { LAB_PRIVATE_ENTRIES } from './lab-copy.js';

/**
 * Who is to blame when a fault cannot apply. Normally the scenario (its fault does not fit its
 * lab: `verify` catches that). But when `grade` re-creates faults around a submission, the
 * submission may be what refuses them — a schema that no longer takes the fault's SQL, a
 * service renamed away — and that is a failed grade (exit 1), not breakfix failing.
 */
type Blame = 'scenario' | 'submission';

async function injectFaults(
  env: StepEnvironment,
  faults: FaultEntry[],
  phases: FaultPhase[],
  plan: DeployPlan | undefined,
  signal?: AbortSignal,
  blame: Blame = 'scenario',
): Promise<void> {
  const ctx = faultContext(env, plan, signal);
  for (const entry of faults) {
    const definition = findFault(entry.type);
    if (!definition) throw scenarioError(`unknown fault type ${entry.type}`);
    if (!phases.includes(definition.phase)) continue;
    // Entries were parsed when the scenario loaded; parsing again keeps hand-made ones honest.
    const parsed = definition.params.safeParse(entry.params);
    if (!parsed.success)
      throw scenarioError(`fault ${entry.type}: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
    let description: string;
    try {
      description = await definition.inject(ctx, parsed.data);
    } catch (error) {
      // A fault that cannot apply is the scenario's bug; say which one, with Docker's reason.
      const reason = error instanceof Error ? error.message : String(error);
      if (blame === 'submission')
        throw workspaceError(
          `the submission does not take a step the grading re-creates (${entry.description ?? entry.type}): ${reason}`,
        );
      throw scenarioError(`fault ${entry.type} could not be applied: ${reason}`);
    }
    env.notify({ type: 'fault', phase: definition.phase, fault: entry.type, description });
  }
}

async function deployRelease(
  env: StepEnvironment,
  plan: DeployPlan,
  kind: Release['kind'],
  extra: {
    pinned?: Record<string, string>;
    restores?: number;
    note?: string;
    /** Services whose program is held after they start (`grading.hold`, on a submission's fresh deploy). */
    holds?: Array<{ service: string; for: number }>;
  },
  signal?: AbortSignal,
): Promise<{ release: Release; problems: ServiceProblem[] }> {
  const { services: deployed, problems } = await deployLab({
    lab: env.lab,
    plan,
    runtime: env.runtime,
    ...(extra.pinned ? { pinned: extra.pinned } : {}),
    // A graded deploy is judged at once, with nobody to run `check` again a minute later: a
    // service still "starting" on a busy machine (a CI runner grading many submissions) gets
    // up to two minutes to reach its health verdict before the checks look. A healthy or
    // failed service ends the wait at once, so this costs nothing when the lab is quick.
    ...(env.mode === 'grade' ? { anyHostPort: true, settleTimeoutMs: 120_000 } : {}),
    onProgress: (progress) => env.notify({ type: 'progress', progress }),
    ...(signal ? { signal } : {}),
    ...(extra.holds && extra.holds.length > 0
      ? { holds: Object.fromEntries(extra.holds.map((hold) => [hold.service, hold.for])) }
      : {}),
  });
  const release = await appendRelease(stateDir(env.lab.workspace), {
    kind,
    ...(extra.restores !== undefined ? { restores: extra.restores } : {}),
    ...(extra.note ? { note: extra.note } : {}),
    images: Object.fromEntries(
      Object.values(deployed).map((service: DeployedService) => [
        service.name,
        { ref: service.imageRef, id: service.imageId },
      ]),
    ),
    plan,
  });
  env.notify({ type: 'release', release });
  return { release, problems };
}

/**
 * What an apply or a rollback hands the machine: the release now running and, when a service
 * did not reach its wanted state, the failure that makes `apply` exit 1. The release is
 * recorded either way — it is what runs, and what a rollback returns from.
 */
function releaseOutput(deployed: { release: Release; problems: ServiceProblem[] }, verb: string): ReleaseOutput {
  const { release, problems } = deployed;
  if (problems.length === 0) return { release: release.number };
  const first = problems[0]!;
  return {
    release: release.number,
    failure: {
      during: verb,
      kind: 'workspace',
      message: `release ${release.number} is deployed, but not every service is up: ${describeProblems(problems)}`,
      hint: `\`breakfix logs ${first.service}\` shows why; fix it, then \`breakfix apply\` again (\`breakfix rollback\` returns to the release before)`,
      services: problems,
    },
  };
}

async function copyLab(env: StepEnvironment): Promise<void> {
  await copyLabFiles(env.labSource, env.lab.workspace);
}

/**
 * The learner's starting files without any Docker work: the lab copied and the workspace faults
 * applied, exactly as a session's `prepare` step lays them — `verify` grades fixes laid on it.
 */
export async function prepareWorkspaceFiles(
  scenario: RunnableScenario,
  labSource: string,
  workspace: string,
  runtime: Runtime,
): Promise<void> {
  const env: StepEnvironment = {
    scenario,
    runtime,
    labSource,
    lab: { sessionId: '', scenarioId: scenario.id, workspace },
    mode: 'session',
    notify: () => undefined,
    host: '',
  };
  await copyLab(env);
  await injectFaults(env, scenario.faults, ['workspace'], undefined);
}

/** The compose plan of the scenario's broken lab, as `start` lays it (for a graded deploy). */
async function shippedPlan(env: StepEnvironment): Promise<DeployPlan> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'breakfix-shipped-'));
  try {
    // The submission's folder name: compose derives the names of unnamed images from it.
    const workspace = path.join(scratch, path.basename(env.lab.workspace));
    await prepareWorkspaceFiles(env.scenario, env.labSource, workspace, env.runtime);
    return await loadComposePlan(workspace);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Moves the learner's files aside (never deletes them) so `reset` can lay the lab down again. */
export async function backupWorkspace(workspace: string): Promise<string> {
  const backup = path.join(stateDir(workspace), 'backups', new Date().toISOString().replace(/[:.]/g, '-'));
  await mkdir(backup, { recursive: true });
  for (const entry of await readdir(workspace)) {
    if (entry === STATE_DIR) continue;
    await rename(path.join(workspace, entry), path.join(backup, entry));
  }
  await rename(path.join(stateDir(workspace), 'releases.json'), path.join(backup, 'releases.json')).catch(
    () => undefined,
  );
  return backup;
}

export function createSteps(env: StepEnvironment) {
  const labFolder = (from: string) => path.join(env.labSource, from);
  const { scenario } = env;
  // Stopping the machine aborts a step's signal but cannot wait for it; teardown does, so a
  // container created by an interrupted deploy a moment after the sweep is not left behind.
  const inFlight = new Set<Promise<unknown>>();
  const tracked = <T>(work: Promise<T>): Promise<T> => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work)).catch(() => undefined);
    return work;
  };
  const settleInFlight = async () => {
    await Promise.allSettled([...inFlight]);
  };
  const step = <Output, Input>(work: (args: { input: Input; signal: AbortSignal }) => Promise<Output>) =>
    fromPromise<Output, Input>((args) => tracked(work(args)));

  const buildImages = (plan: DeployPlan, signal: AbortSignal) =>
    buildLabImages(env.lab, plan, env.runtime, (progress) => env.notify({ type: 'progress', progress }), signal);
  /** The workspace's images as the lab runs them: its artifact faults, then its builds. */
  const buildWorkspace = async (plan: DeployPlan, signal: AbortSignal): Promise<void> => {
    if (env.mode === 'grade') {
      // Artifact faults stand for images that exist in the learner's world (a stale `latest`),
      // under the names the scenario's lab gave them — not the names the submission uses now:
      // a submission that builds the api as 2.0.0 but leaves another service on `latest` must
      // meet the old build there, as it would on the learner's machine.
      await injectFaults(env, scenario.faults, ['artifact'], await shippedPlan(env), signal, 'submission');
    } else {
      await injectFaults(env, scenario.faults, ['artifact'], plan, signal);
    }
    await buildImages(plan, signal);
  };

  /** Observes a history release's `ready` entries, like symptoms; one that never holds fails the start. */
  const releaseReady = async (name: string, entries: CheckEntry[], plan: DeployPlan, signal: AbortSignal) => {
    const now = new Date();
    const ctx = checkContext(env, plan, { session: now, apply: now });
    const outcomes = await runInOrder(entries, (entry, opensAt) => runCheckEntry(env, entry, ctx, signal, opensAt));
    const index = outcomes.findIndex((outcome) => outcome.status !== 'passed');
    if (index >= 0)
      throw scenarioError(
        `release "${name}" never got ready: ready ${index + 1} (${entries[index]?.type}): ${outcomes[index]?.message}`,
      );
  };

  return {
    prepare: step<void, StepInput>(async ({ input }) => {
      // A submission, or a stopped lab started again: the files are the learner's already.
      if (env.mode === 'grade' || input.context.resumed) return;
      await copyLab(env);
      await injectFaults(env, scenario.faults, ['workspace'], undefined);
    }),

    build: step<void, StepInput>(async ({ signal }) => {
      await buildWorkspace(await loadComposePlan(env.lab.workspace), signal);
    }),

    deploy: step<ReleaseOutput, StepInput>(async ({ signal }) => {
      // Earlier releases first, so that the lab has a real history to roll back to.
      for (const release of scenario.releases ?? []) {
        const folder = labFolder(release.from);
        const plan = await loadComposePlan(folder, { projectName: scenario.lab });
        await buildImages(plan, signal);
        await deployRelease(env, plan, 'history', { note: release.note ?? release.from }, signal);
        // In production means more than deployed (a platform puts a release live after its health
        // gate): what the release's faults stand for happened after that.
        if (release.ready?.length) await releaseReady(release.note ?? release.from, release.ready, plan, signal);
        // e.g. the notes users wrote while that release was live.
        await injectFaults(env, release.faults ?? [], ['runtime'], plan, signal);
      }
      const plan = await loadComposePlan(env.lab.workspace);
      // A history release of the same image name re-tagged it with that release's build: the
      // workspace's own build (with its artifact faults) must own the tag again. Unchanged
      // inputs are skipped by their hash, so this costs a rebuild only when a release differs.
      if ((scenario.releases ?? []).length > 0) await buildWorkspace(plan, signal);
      // The lab is broken on purpose: services failing here are the symptoms' business.
      // A submission deployed afresh: hold what `grading.hold` names, so luck in ordering shows.
      const holds = env.mode === 'grade' ? (scenario.grading?.hold ?? []) : [];
      const { release } = await deployRelease(env, plan, 'deploy', holds.length > 0 ? { holds } : {}, signal);
      return { release: release.number };
    }),

    inject: step<void, StepInput>(async ({ signal }) => {
      const plan = await loadComposePlan(env.lab.workspace);
      await injectFaults(
        env,
        scenario.faults,
        ['runtime'],
        plan,
        signal,
        env.mode === 'grade' ? 'submission' : 'scenario',
      );
    }),

    confirm: step<SymptomOutput, StepInput>(async ({ input, signal }) => {
      // A submission is supposed to be fixed: its symptoms are what grading hopes not to see.
      if (env.mode === 'grade') return { observed: true, detail: '' };
      const plan = await loadComposePlan(env.lab.workspace).catch(() => undefined);
      const since = new Date(input.context.createdAt);
      const ctx = checkContext(env, plan, {
        session: since,
        apply: new Date(input.context.lastApplyAt ?? input.context.createdAt),
      });
      const outcomes = await runInOrder(scenario.symptoms, (entry, opensAt) =>
        runCheckEntry(env, entry, ctx, signal, opensAt),
      );
      outcomes.forEach((outcome, index) => env.notify({ type: 'symptom', index, outcome }));
      const missing = outcomes.findIndex((outcome) => outcome.status !== 'passed');
      // A lab started again on the learner's files may be fixed in part, or whole: fine.
      if (missing < 0 || input.context.resumed) return { observed: true, detail: '' };
      // The lab failed in a way the symptoms do not predict: say what is down, so an author (or
      // an overloaded machine) can be told apart from a fault that does not bite.
      const down = plan
        ? await assessServices(
            env.runtime,
            Object.keys(plan.services).map((service) => ({ service, container: containerName(env.lab, service) })),
          ).catch(() => [])
        : [];
      return {
        observed: false,
        detail: `symptom ${missing + 1} (${scenario.symptoms[missing]?.type}): ${outcomes[missing]?.message}${down.length > 0 ? `; the lab: ${describeProblems(down)}` : ''}`,
      };
    }),

    check: step<GradeReport, StepInput>(async ({ input, signal }) => {
      const graded = await gradeChecks(
        env,
        input.context,
        env.interrupt ? AbortSignal.any([signal, env.interrupt]) : signal,
      );
      // An interrupted round says nothing about the fix: no verdict, no attempt counted.
      if (env.interrupt?.aborted) throw new Error('the check round was interrupted; the lab was put back as it was');
      // A live round shows the scenario's hint cost and time bonus beside the score; `grade` does not.
      const report =
        env.mode === 'session'
          ? withScoring(graded, scenario.scoring, {
              hintsRevealed: input.context.hintsRevealed,
              ...(input.context.activeSince !== undefined ? { activeSince: input.context.activeSince } : {}),
              at: Date.parse(graded.startedAt) + graded.durationMs,
            })
          : graded;
      env.notify({ type: 'report', report });
      return report;
    }),

    apply: step<ReleaseOutput, StepInput>(async ({ signal }) => {
      const plan = await loadComposePlan(env.lab.workspace);
      await buildImages(plan, signal);
      return releaseOutput(await deployRelease(env, plan, 'apply', {}, signal), 'applying');
    }),

    rollback: step<ReleaseOutput, StepInput>(async ({ signal }) => {
      const target = chooseRollback(await readReleases(stateDir(env.lab.workspace)), env.rollbackTo);
      const pinned = Object.fromEntries(Object.entries(target.images).map(([service, image]) => [service, image.id]));
      return releaseOutput(
        await deployRelease(env, target.plan, 'rollback', { pinned, restores: target.number }, signal),
        'rollingBack',
      );
    }),

    escalate: step<void, StepInput & { stage: number }>(async ({ input, signal }) => {
      const stage = scenario.escalation?.[input.stage];
      if (!stage) return;
      const plan = await loadComposePlan(env.lab.workspace).catch(() => undefined);
      await injectFaults(env, stage.faults, ['artifact', 'runtime', 'workspace'], plan, signal);
    }),

    reset: fromPromise<void, StepInput>(async () => {
      await settleInFlight();
      await teardownLab(env.runtime, env.lab.sessionId, { graceful: !env.disposable });
      if (env.mode === 'session') await backupWorkspace(env.lab.workspace);
    }),

    teardown: fromPromise<void, StepInput>(async () => {
      await settleInFlight();
      await teardownLab(env.runtime, env.lab.sessionId, { graceful: !env.disposable });
    }),
  };
}
