/**
 * The part of a scenario the session needs, as plain data. The scenario loader's output
 * (engine/scenario) fits it structurally; keeping the session on this narrow shape lets its
 * steps run hand-written scenarios in tests.
 */
import type { CheckTiming } from '../checks/runner.js';

export interface FaultEntry {
  type: string;
  description?: string;
  params: Record<string, unknown>;
}

export interface CheckEntry {
  type: string;
  title?: string;
  timing: CheckTiming;
  params: Record<string, unknown>;
}

export interface GradedCheckEntry extends CheckEntry {
  id: string;
  title: string;
  points: number;
  hint?: string;
}

export type SolutionStep = 'apply' | 'rollback' | { exec: { service: string; command: string[]; user?: string } };

export interface RunnableScenario {
  id: string;
  title: string;
  lab: string;
  faults: FaultEntry[];
  symptoms: CheckEntry[];
  checks: GradedCheckEntry[];
  hints: Array<{ after: { attempts?: number; elapsedMs?: number }; text: string }>;
  escalation?: Array<{ afterMs: number; title: string; faults: FaultEntry[]; symptoms?: CheckEntry[] }>;
  /** Earlier releases deployed before the workspace, oldest first, each a folder of the lab. */
  releases?: Array<{ from: string; note?: string; faults?: FaultEntry[]; ready?: CheckEntry[] }>;
  /** What the headless grader does after deploying a submission, standing in for the learner. */
  grading?: { steps: SolutionStep[]; hold?: Array<{ service: string; for: number }> };
  /** Optional hint cost and time bonus: a live round's finalScore (engine/grading/scoring.ts). */
  scoring?: { hintCost?: number; timeBonus?: { withinMs: number; points: number } };
}
