/** Which registry an entry's `type` comes from, by where the entry sits (for "unknown fault type"). */
import { checkRegistry } from '../../checks/registry.js';
import { faultRegistry } from '../../faults/registry.js';
import type { PathSegment } from '../../source/yaml-source.js';
import { RESTORABLE_FAULT_TYPES } from '../schema.js';

const FAULT_TYPES = faultRegistry.map((definition) => definition.type);
const CHECK_TYPES = checkRegistry.map((definition) => definition.type);

export function typeKind(at: readonly PathSegment[]): { noun: string; types: string[] } | undefined {
  if (at[0] === 'escalation' && at[2] === 'symptoms') return { noun: 'check', types: CHECK_TYPES };
  // checks[i].perturb[j]: only what can be undone may disturb a learner's lab.
  if (at[0] === 'checks' && at[2] === 'perturb')
    return { noun: 'restorable perturbation', types: RESTORABLE_FAULT_TYPES };
  if (at[0] === 'faults' || at[0] === 'escalation') return { noun: 'fault', types: FAULT_TYPES };
  if (at[0] === 'symptoms' || at[0] === 'checks') return { noun: 'check', types: CHECK_TYPES };
  return undefined;
}
