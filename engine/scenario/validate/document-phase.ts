/**
 * The phases that judge one rendered variant of the document (after the schema): each takes the
 * document, its entries and the lab, and returns problems. A new cross-field rule is one file
 * and one line in `document-phases.ts`.
 */
import type { Dict } from '../../source/dict.js';
import type { Problem } from '../../source/issues.js';
import type { EntryRef } from './entries.js';
import type { LabRef } from './lab-info.js';

export interface DocumentInput {
  /** One variant of the document, templates rendered with one assignment of the variables. */
  data: Dict;
  entries: EntryRef[];
  /** The lab, when `lab:` names one that exists. */
  lab?: LabRef;
}

export type DocumentPhase = (input: DocumentInput) => Problem[];
