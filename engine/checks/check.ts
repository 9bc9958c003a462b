/**
 * A check type: its parameters (zod, strict) and one attempt at observing the lab. The runner
 * (runner.ts) owns timeouts and the retry window, so a check body stays a single observation.
 */
import type { z } from 'zod';
import type { Lab } from '../deploy/lab.js';
import type { Runtime } from '../runtime/runtime.js';

export interface CheckContext {
  lab: Lab;
  runtime: Runtime;
  /** Host on which published ports are reached (127.0.0.1, or the DOCKER_HOST machine). */
  host: string;
  service(name: string): { container: string; image: string };
  /** Reference points for `logs` checks. */
  since: { session: Date; apply: Date };
  signal: AbortSignal;
}

/**
 * `failed` means the lab does not behave as required (the fix is wrong); `errored` means the
 * checker itself could not observe (Docker unreachable, bad scenario) — never the learner's fault.
 */
export type CheckStatus = 'passed' | 'failed' | 'errored';

export interface CheckOutcome {
  status: CheckStatus;
  /** `<what>: expected <x>, got <y>` on failure; a short confirmation on success. */
  message: string;
  /** Raw observations (a log excerpt, a response body); never contains secret values. */
  evidence?: string;
}

export interface CheckDefinition<Params extends z.ZodObject = z.ZodObject> {
  type: string;
  summary: string;
  params: Params;
  services?(params: z.infer<Params>): string[];
  /**
   * Drives traffic or disturbs the lab (a load burst, a stop): runs alone, at its place in the
   * list, instead of at once with the other checks (see run-order.ts).
   */
  exclusive?: boolean | ((params: z.infer<Params>) => boolean);
  run(ctx: CheckContext, params: z.infer<Params>): Promise<CheckOutcome>;
}

export function defineCheck<Params extends z.ZodObject>(definition: CheckDefinition<Params>): CheckDefinition<Params> {
  return definition;
}

export const passed = (message: string, evidence?: string): CheckOutcome => ({
  status: 'passed',
  message,
  ...(evidence ? { evidence } : {}),
});
export const failed = (message: string, evidence?: string): CheckOutcome => ({
  status: 'failed',
  message,
  ...(evidence ? { evidence } : {}),
});
export const errored = (message: string, evidence?: string): CheckOutcome => ({
  status: 'errored',
  message,
  ...(evidence ? { evidence } : {}),
});

/** Thrown by a check body when it cannot observe; the runner turns it into `errored`. */
export class CheckError extends Error {
  override name = 'CheckError';
}
