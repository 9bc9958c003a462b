/**
 * The part of a scenario the session needs, as plain data. The scenario loader's output fits
 * it structurally; keeping the session on this narrow shape lets its steps be tested with
 * hand-written scenarios.
 */
export interface FaultEntry {
  type: string;
  [param: string]: unknown;
}

export interface CheckEntry {
  type: string;
  /** One attempt, in ms. */
  timeout: number;
  /** Retry window, in ms. */
  within: number;
  [param: string]: unknown;
}

export interface GradedCheckEntry extends CheckEntry {
  id: string;
  title?: string;
  points: number;
  hint?: string;
}

export interface RunnableScenario {
  id: string;
  title: string;
  lab: string;
  faults: FaultEntry[];
  symptoms: CheckEntry[];
  checks: GradedCheckEntry[];
  hints: Array<{ after: { attempts?: number; elapsed?: number }; text: string }>;
  escalation?: Array<{ after: number; title: string; faults: FaultEntry[] }>;
  /** Earlier releases deployed before the workspace, oldest first (folders of the lab). */
  releases?: Array<{ from: string; note?: string }>;
}
