/**
 * The red team's report card, per check: which wrong fixes it rejected, and which it alone
 * rejected. A check that rejects nothing guards nothing the red team tried; a wrong fix that one
 * check alone stops shows where the grade is thin.
 */
import type { FixVerdict } from './judge.js';

export interface CheckMatrixEntry {
  id: string;
  rejects: string[];
  alone: string[];
}

export function checkMatrix(
  checkIds: string[],
  verdicts: Array<Pick<FixVerdict, 'title' | 'kind' | 'rejectedBy'>>,
): CheckMatrixEntry[] {
  const wrong = verdicts.filter((verdict) => verdict.kind === 'wrong');
  return checkIds.map((id) => ({
    id,
    rejects: wrong.filter((verdict) => verdict.rejectedBy.includes(id)).map((verdict) => verdict.title),
    alone: wrong
      .filter((verdict) => verdict.rejectedBy.length === 1 && verdict.rejectedBy[0] === id)
      .map((verdict) => verdict.title),
  }));
}
