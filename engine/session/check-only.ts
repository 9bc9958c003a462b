/**
 * `breakfix check --only ID`: the authoring loop. An author edits a check in scenario.yaml and
 * runs just that check against the lab that is up, with the file as it is now — no full round,
 * no durability proof, and, because it is not the learner's grade, no attempt counted, no hint
 * unlocked, no state changed. Probes among the chosen checks run as in a round (after the plain
 * ones passed), and restore the lab afterwards.
 */
import { usageError } from '../errors.js';
import type { GradeReport } from '../grading/report.js';
import { restorePending } from '../probes/pending.js';
import { didYouMean } from '../source/suggest.js';
import { gradeChecks } from './check-round.js';
import type { SessionContext } from './context.js';
import { withSessionLock } from './lock.js';
import type { SessionDeps } from './session.js';
import type { StepNotice } from './step-env.js';
import { readSessionFile, scenarioRefOf, stateDir } from './store.js';

const CHECKABLE = new Set(['active', 'passed']);

export async function checkOnly(
  workspace: string,
  ids: readonly string[],
  deps: Pick<SessionDeps, 'runtime' | 'resolveScenario' | 'signal' | 'waitMs'> & {
    onNotice?: (notice: StepNotice) => void;
  },
): Promise<GradeReport> {
  return withSessionLock(
    workspace,
    async () => {
      const file = await readSessionFile(workspace);
      const context = (file.snapshot as { context?: SessionContext } | undefined)?.context;
      if (!context || !file.state || !CHECKABLE.has(file.state))
        throw usageError(
          `the lab is ${file.state ?? file.progress?.state ?? 'not up'}; --only checks a running lab`,
          '`breakfix status` says why; `breakfix reset` or `breakfix start` brings it up',
          'session-not-ready',
        );
      const { scenario, labSource } = await deps.resolveScenario(scenarioRefOf(file), file.seed);
      const known = scenario.checks.map((check) => check.id);
      for (const id of ids)
        if (!known.includes(id))
          throw usageError(
            `the scenario has no check ${id}${didYouMean(id, known)}`,
            `its checks: ${known.join(', ')}`,
          );
      const lab = { sessionId: file.sessionId, scenarioId: file.scenarioId, workspace: file.workspace };
      await restorePending(stateDir(workspace), lab, deps.runtime);
      return gradeChecks(
        {
          scenario: { ...scenario, checks: scenario.checks.filter((check) => ids.includes(check.id)) },
          runtime: deps.runtime,
          labSource,
          lab,
          mode: 'session',
          notify: (notice) => deps.onNotice?.(notice),
          host: (await deps.runtime.info()).host,
        },
        {
          createdAt: context.createdAt,
          seed: file.seed,
          ...(context.lastApplyAt ? { lastApplyAt: context.lastApplyAt } : {}),
        },
        deps.signal,
      );
    },
    { waitMs: deps.waitMs ?? 0 },
  );
}
