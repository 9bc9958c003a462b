/**
 * Scoring that counts help, declared per scenario (`scoring:` in scenario.yaml) and shown
 * openly: a live check round keeps `score` as the sum of the checks' points and adds
 * `adjustments` ("−10 for 2 hints", "+10 for solving within 10m") and `finalScore`. `grade`
 * (what gradebooks receive) has no hints and no learner's clock: its reports carry `score` only.
 */
import type { GradeReport, ScoreAdjustment } from './report.js';

export interface ScoringRules {
  hintCost?: number;
  timeBonus?: { withinMs: number; points: number };
}

export interface ScoringFacts {
  hintsRevealed: number;
  /** Epoch ms the lab came up (symptoms shown); the time bonus counts from it. */
  activeSince?: number;
  /** Epoch ms the round ended. */
  at: number;
}

/** "10m", "1h 30m", "45s" */
function durationText(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `${minutes}m` : `${Math.floor(minutes / 60)}h${minutes % 60 ? ` ${minutes % 60}m` : ''}`;
}

export function scoreAdjustments(report: GradeReport, rules: ScoringRules, facts: ScoringFacts): ScoreAdjustment[] {
  const adjustments: ScoreAdjustment[] = [];
  if (rules.hintCost && facts.hintsRevealed > 0) {
    const points = rules.hintCost * facts.hintsRevealed;
    adjustments.push({
      kind: 'hints',
      points: -points,
      reason: `−${points} for ${facts.hintsRevealed} hint${facts.hintsRevealed === 1 ? '' : 's'}`,
    });
  }
  const bonus = rules.timeBonus;
  if (bonus && report.passed && facts.activeSince !== undefined && facts.at - facts.activeSince <= bonus.withinMs)
    adjustments.push({
      kind: 'time',
      points: bonus.points,
      reason: `+${bonus.points} for solving within ${durationText(bonus.withinMs)}`,
    });
  return adjustments;
}

/** The report with `finalScore` and its adjustments, when the scenario declares scoring rules. */
export function withScoring(report: GradeReport, rules: ScoringRules | undefined, facts: ScoringFacts): GradeReport {
  if (!rules || (rules.hintCost === undefined && rules.timeBonus === undefined)) return report;
  const adjustments = scoreAdjustments(report, rules, facts);
  const finalScore = Math.max(0, report.score + adjustments.reduce((sum, entry) => sum + entry.points, 0));
  return { ...report, finalScore, adjustments };
}
