/** Which registry an entry's `type` comes from, by where the entry sits (for "unknown fault type"). */
import { checkRegistry } from '../../checks/registry.js';
import { faultRegistry } from '../../faults/registry.js';
import type { PathSegment } from '../../source/yaml-source.js';

const FAULT_TYPES = faultRegistry.map((definition) => definition.type);
const CHECK_TYPES = checkRegistry.map((definition) => definition.type);

export function typeKind(at: readonly PathSegment[]): { noun: string; types: string[] } | undefined {
  if (at[0] === 'escalation' && at[2] === 'symptoms') return { noun: 'check', types: CHECK_TYPES };
  if (at[0] === 'faults' || at[0] === 'escalation') return { noun: 'fault', types: FAULT_TYPES };
  if (at[0] === 'symptoms' || at[0] === 'checks') return { noun: 'check', types: CHECK_TYPES };
  return undefined;
}
