/**
 * Runs scenario steps (`apply`, `rollback`, `exec`) against a session: the reference solution
 * in `verify`, the grader's stand-in actions in `grade`.
 */
import { containerName } from '../deploy/lab.js';
import { BreakfixError, workspaceError } from '../errors.js';
import type { SessionResult } from './session.js';
import { sendToSession, type SessionDeps } from './session.js';
import type { SolutionStep } from './scenario-view.js';

export async function runSteps(
  workspace: string,
  sessionId: string,
  steps: SolutionStep[],
  deps: SessionDeps,
): Promise<SessionResult | undefined> {
  let last: SessionResult | undefined;
  for (const step of steps) {
    if (step === 'apply' || step === 'rollback') {
      last = await sendToSession(workspace, step === 'apply' ? 'APPLY' : 'ROLLBACK', deps);
      // A release that deployed with a service down still runs: the checks judge it. Only a
      // release that could not be deployed at all (a build or compose error) stops the steps.
      if (last.context.lastFailure && !last.context.lastFailure.services)
        throw new BreakfixError(
          last.context.lastFailure.kind,
          `${step} failed: ${last.context.lastFailure.message}`,
          last.context.lastFailure.hint,
        );
      continue;
    }
    const { service, command, user } = step.exec;
    const result = await deps.runtime.exec(containerName({ sessionId }, service), command, {
      ...(user ? { user } : {}),
      timeoutMs: 60_000,
    });
    if (result.exitCode !== 0)
      throw workspaceError(
        `exec in ${service} (${command.join(' ')}) exited ${result.exitCode}: ${(result.stderr || result.stdout).trim().slice(0, 400)}`,
      );
  }
  return last;
}
