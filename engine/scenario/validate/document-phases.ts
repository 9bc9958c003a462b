/** The per-variant phases, in the order their problems are reported. */
import { checkScores } from './check-scores.js';
import type { DocumentInput, DocumentPhase } from './document-phase.js';
import { entryPlacement } from './entry-placement.js';
import { fixesChangeSomething } from './fixes-change-something.js';
import { collectEntries } from './entries.js';
import { labConsistency } from './lab-consistency.js';
import { labFiles } from './lab-files.js';
import { serviceReferences } from './service-refs.js';
import type { Dict } from '../../source/dict.js';
import type { Problem } from '../../source/issues.js';
import type { LabRef } from './lab-info.js';

export const documentPhases: readonly DocumentPhase[] = [
  serviceReferences,
  labConsistency,
  entryPlacement,
  labFiles,
  fixesChangeSomething,
  checkScores,
];

export function documentProblems(data: Dict, lab: LabRef | undefined): Problem[] {
  const input: DocumentInput = { data, entries: collectEntries(data), ...(lab ? { lab } : {}) };
  return documentPhases.flatMap((phase) => phase(input));
}
