/**
 * `verify` proves escalation stages too: a stage that never fires, or fires and changes
 * nothing, is a scenario bug a learner would only meet ten minutes into a lab. The clock is
 * compressed, not waited for: for each stage in order, the session's clock is moved just past
 * that stage's stored deadline and the session is ticked — the same path a learner's lab takes
 * when the time comes (deadline → `escalating` → the stage's faults → `active`) — then the
 * stage's own `symptoms` must show, within their windows, like the scenario's first symptoms.
 */
import { findCheck } from '../checks/registry.js';
import { runCheck } from '../checks/runner.js';
import { loadComposePlan } from '../compose/load-plan.js';
import { containerName, sessionImageTag, type Lab } from '../deploy/lab.js';
import type { SessionContext } from '../session/context.js';
import type { CheckEntry, RunnableScenario } from '../session/scenario-view.js';
import { tickSession, type SessionDeps } from '../session/session.js';
import { readSessionFile } from '../session/store.js';

export interface EscalationProof {
  stage: number;
  title: string;
  /** The session went through `escalating` and marked the stage's deadline done. */
  fired: boolean;
  /** Every symptom of the stage held afterwards (true for a stage that declares none). */
  symptomsObserved: boolean;
  /** Seconds from the tick to the last symptom observed. */
  seconds: number;
  error?: string;
}

async function observe(
  entries: CheckEntry[],
  lab: Lab,
  deps: SessionDeps,
  context: SessionContext,
): Promise<string | undefined> {
  const plan = await loadComposePlan(lab.workspace).catch(() => undefined);
  const host = (await deps.runtime.info()).host;
  const since = new Date(context.createdAt);
  const outcomes = await Promise.all(
    entries.map(async (entry, index) => {
      const definition = findCheck(entry.type);
      if (!definition) return `symptom ${index + 1}: unknown check type ${entry.type}`;
      const ctx = {
        lab,
        runtime: deps.runtime,
        host,
        since: { session: since, apply: new Date(context.lastApplyAt ?? context.createdAt) },
        service: (name: string) => ({
          container: containerName(lab, name),
          image: sessionImageTag(lab, plan?.services[name]?.image ?? name),
        }),
      };
      const outcome = await runCheck(definition, definition.params.parse(entry.params), ctx, entry.timing, deps.signal);
      return outcome.status === 'passed' ? undefined : `symptom ${index + 1} (${entry.type}): ${outcome.message}`;
    }),
  );
  return outcomes.find((problem) => problem !== undefined);
}

/** Fires every escalation stage of the running session in order and proves what each one shows. */
export async function proveEscalation(
  scenario: Pick<RunnableScenario, 'escalation'>,
  workspace: string,
  deps: SessionDeps,
): Promise<EscalationProof[]> {
  const proofs: EscalationProof[] = [];
  let skew = 0;
  const now = () => Date.now() + skew;
  for (const [index, stage] of (scenario.escalation ?? []).entries()) {
    const started = performance.now();
    const proof: EscalationProof = {
      stage: index + 1,
      title: stage.title,
      fired: false,
      symptomsObserved: false,
      seconds: 0,
    };
    proofs.push(proof);
    try {
      const file = await readSessionFile(workspace);
      const before = (file.snapshot as { context?: SessionContext } | undefined)?.context;
      const deadline = before?.deadlines.find((entry) => entry.kind === 'escalation' && entry.index === index);
      if (!before || !deadline) throw new Error('the session has no deadline for this stage');
      skew = Math.max(skew, deadline.dueAt - Date.now() + 1);
      const ticked = await tickSession(workspace, { ...deps, now });
      const done = ticked.context.deadlines.find((entry) => entry.kind === 'escalation' && entry.index === index);
      proof.fired = done?.done === true && ticked.state === 'active';
      if (!proof.fired) {
        proof.error = `stage ${index + 1} did not fire: the session is ${ticked.state}${ticked.context.error ? ` (${ticked.context.error.message})` : ''}`;
        break;
      }
      const lab: Lab = { sessionId: file.sessionId, scenarioId: file.scenarioId, workspace };
      const problem = await observe(stage.symptoms ?? [], lab, deps, ticked.context);
      proof.symptomsObserved = problem === undefined;
      if (problem) proof.error = `stage ${index + 1} fired but its symptom did not show: ${problem}`;
    } catch (error) {
      proof.error = `stage ${index + 1}: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      proof.seconds = Math.round((performance.now() - started) / 100) / 10;
    }
    if (proof.error) break;
  }
  return proofs;
}
