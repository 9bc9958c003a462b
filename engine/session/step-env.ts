/**
 * What every step of a session works with: the scenario, the Docker runtime, the lab's names
 * and a way to report progress — and the fault context derived from them.
 */
import type { TimedOutcome } from '../checks/runner.js';
import type { DeployPlan } from '../compose/plan.js';
import { containerName, networkName, sessionImageTag, type Lab } from '../deploy/lab.js';
import type { LabProgress } from '../deploy/progress.js';
import type { Release } from '../deploy/releases.js';
import type { FaultContext, FaultPhase } from '../faults/fault.js';
import type { GradeReport } from '../grading/report.js';
import type { DurabilityProof } from '../grading/round.js';
import type { Runtime } from '../runtime/runtime.js';
import type { RunnableScenario } from './scenario-view.js';

export type StepNotice =
  | { type: 'progress'; progress: LabProgress }
  | { type: 'fault'; phase: FaultPhase; fault: string; description: string }
  | { type: 'symptom'; index: number; outcome: TimedOutcome }
  | { type: 'report'; report: GradeReport }
  | { type: 'release'; release: Release }
  | { type: 'grading'; phase: 'probes' | 'durability' };

export interface StepEnvironment {
  scenario: RunnableScenario;
  runtime: Runtime;
  /** Absolute path of labs/<lab>. */
  labSource: string;
  lab: Lab;
  /** `grade` rebuilds the lab around submitted files: nothing is copied, workspace faults are not re-applied. */
  mode: 'session' | 'grade';
  notify: (notice: StepNotice) => void;
  /** Host where published ports answer. */
  host: string;
  /**
   * A live session's proof that the workspace passes when deployed afresh (see
   * grading/durability.ts); absent in `grade`, whose deploy is fresh already.
   */
  proveDurability?: (signal?: AbortSignal) => Promise<DurabilityProof>;
  /** Cancels the step in progress without stopping the lab (see SessionDeps.interrupt). */
  interrupt?: AbortSignal;
  /** `rollback --to N`: the release a ROLLBACK returns to (default: the last other version). */
  rollbackTo?: number;
  /**
   * Nobody keeps this lab: a `grade` or a `verify` lab, owned by its process. Its teardown kills
   * at once instead of giving every service its grace period: the volumes go with it, so a
   * graceful stop protects nothing — and a submission whose api ignores SIGTERM under a 30 s
   * `stop_grace_period` would make every grade wait 30 s for it.
   */
  disposable?: boolean;
  /** `verify --until-rejected` grading a wrong fix: the round stops at its first rejection (grading/round.ts). */
  untilRejected?: boolean;
}

export function faultContext(env: StepEnvironment, plan: DeployPlan | undefined, signal?: AbortSignal): FaultContext {
  return {
    lab: env.lab,
    runtime: env.runtime,
    labSource: env.labSource,
    network: networkName(env.lab),
    service: (name) => ({
      container: containerName(env.lab, name),
      image: sessionImageTag(env.lab, plan?.services[name]?.image ?? name),
    }),
    ...(signal ? { signal } : {}),
  };
}
