/**
 * Phase: a wrong or right fix with no files, no edits and no step besides `apply` proves
 * nothing — whatever rejects it would reject the untouched broken lab too.
 */
import { isDict } from '../../source/dict.js';
import { problem, type Problem } from '../../source/issues.js';
import type { DocumentPhase } from './document-phase.js';

export const fixesChangeSomething: DocumentPhase = ({ data }) => {
  const problems: Problem[] = [];
  for (const key of ['wrongFixes', 'rightFixes'] as const) {
    const fixes = data[key];
    if (!Array.isArray(fixes)) continue;
    fixes.forEach((fix, index) => {
      if (!isDict(fix) || fix.files !== undefined) return;
      const edits = Array.isArray(fix.edits) ? fix.edits : [];
      const steps = Array.isArray(fix.then) ? fix.then : ['apply'];
      if (edits.length === 0 && steps.every((step) => step === 'apply'))
        problems.push(
          problem(
            [key, index],
            'this fix changes no file and runs no step other than apply: give it files, edits, or a rollback/exec step',
          ),
        );
    });
  }
  return problems;
};
