/** Assertions shared by the check integration tests: the three outcomes and their message form. */
import { expect } from 'vitest';
import type { TimedOutcome } from '../../engine/checks/runner.js';
import { unreachableRuntime, type LabHarness } from './lab-harness.js';

export function expectPassed(outcome: TimedOutcome): void {
  expect(outcome, outcome.message).toMatchObject({ status: 'passed' });
}

/** A failure says what was expected and what was seen, in that form. */
export function expectFailed(outcome: TimedOutcome, message: RegExp): void {
  expect(outcome.status, outcome.message).toBe('failed');
  expect(outcome.message).toMatch(/: expected .+, got .+/);
  expect(outcome.message).toMatch(message);
}

/** Errored = the checker could not observe; here every Docker call fails as with a dead daemon. */
export async function expectErroredWithoutDocker(
  harness: LabHarness,
  type: string,
  params: Record<string, unknown>,
): Promise<TimedOutcome> {
  const outcome = await harness.check(type, params, { ctx: harness.checkContext({ runtime: unreachableRuntime() }) });
  expect(outcome.status, outcome.message).toBe('errored');
  expect(outcome.message).toMatch(/^could not run: .*connect ENOENT/);
  return outcome;
}
