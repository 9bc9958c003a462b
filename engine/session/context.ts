/**
 * The session machine's context. JSON only — ids, numbers, timestamps — because it is
 * persisted in the workspace and read back by every CLI process.
 */
import type { GradeReport } from '../grading/report.js';

export interface HintRule {
  attempts?: number;
  elapsedMs?: number;
}

export interface Deadline {
  kind: 'hint' | 'escalation';
  index: number;
  /** Epoch ms; absolute so that a restored session re-arms it with the time that is left. */
  dueAt: number;
  done: boolean;
}

export interface SessionError {
  /** The state the session was in when it failed, e.g. `deploying`. */
  during: string;
  message: string;
  /** `scenario` errors are the author's bug (symptoms never appeared); `environment` is Docker etc. */
  kind: 'scenario' | 'environment' | 'workspace' | 'usage';
  /** The next step, when the engine knows it ("run `breakfix images`"). */
  hint?: string;
  /**
   * Set when a release was deployed but these services did not reach their wanted state: the
   * lab runs (checks can judge it), yet `apply` exits 1.
   */
  services?: Array<{ service: string; reason: string }>;
}

export interface SessionContext {
  sessionId: string;
  scenarioId: string;
  seed: number;
  workspace: string;
  /** Started again on the learner's files: not copied or broken again, symptoms not required. */
  resumed?: boolean;
  createdAt: number;
  activeSince?: number;
  lastApplyAt?: number;
  /** Failed check rounds; unlocks attempt-based hints. */
  attempts: number;
  hintRules: HintRule[];
  hintsUnlocked: number;
  hintsRevealed: number;
  escalationDelaysMs: number[];
  deadlines: Deadline[];
  release: number;
  lastReport?: GradeReport;
  /** Why the last apply/rollback/check did not go through; cleared by the next success. */
  lastFailure?: SessionError;
  error?: SessionError;
}

export interface SessionInput {
  sessionId: string;
  scenarioId: string;
  seed: number;
  workspace: string;
  hintRules: HintRule[];
  escalationDelaysMs: number[];
  /** Started again on the learner's files (see SessionFile.resumed). */
  resumed?: boolean;
}

export function unlockedHints(rules: HintRule[], attempts: number, elapsedMs: number): number {
  let count = 0;
  for (const rule of rules) {
    const byAttempts = rule.attempts !== undefined && attempts >= rule.attempts;
    const byTime = rule.elapsedMs !== undefined && elapsedMs >= rule.elapsedMs;
    const always = rule.attempts === undefined && rule.elapsedMs === undefined;
    // Hints are progressive: the n-th never unlocks before the (n-1)-th.
    if (byAttempts || byTime || always) count += 1;
    else break;
  }
  return count;
}
