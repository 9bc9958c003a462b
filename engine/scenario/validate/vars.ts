/**
 * Phase: `vars`, the seeded random parameters. Each variable is validated alone, so one bad
 * variable does not make every use of the others an error too.
 */
import { typeName } from '../../source/describe.js';
import { isDict, type Dict } from '../../source/dict.js';
import { problem, type Problem } from '../../source/issues.js';
import { isVariableName } from '../../params/variable-name.js';
import { varSpecSchema, type VarSpec } from '../schema.js';
import { zodProblems } from '../zod-problems.js';
import { typeKind } from './type-kind.js';

export interface VarsPhase {
  /** Every name under `vars:`, valid or not (a use of an invalid one is not "undefined"). */
  declared: string[];
  /** The variables that are valid. */
  specs: Record<string, VarSpec>;
  problems: Problem[];
}

export function validateVars(data: Dict): VarsPhase {
  const declared = isDict(data.vars) ? Object.keys(data.vars) : [];
  const specs: Record<string, VarSpec> = {};
  const problems: Problem[] = [];
  if (data.vars !== undefined && !isDict(data.vars))
    problems.push(
      problem(
        ['vars'],
        `must be a mapping of variable names to { oneOf: [...] } or { int: { min, max } }, got ${typeName(data.vars)}`,
      ),
    );
  for (const name of declared) {
    const entry = (data.vars as Dict)[name];
    if (!isVariableName(name)) {
      problems.push(
        problem(['vars', name], 'a variable name is letters, digits and _, not starting with a digit', 'key'),
      );
      continue;
    }
    const parsed = varSpecSchema.safeParse(entry);
    if (parsed.success) specs[name] = parsed.data;
    else {
      const sub = zodProblems(parsed.error.issues, { schema: varSpecSchema, data: entry, typeKind });
      problems.push(...sub.map((item) => ({ ...item, path: ['vars', name, ...item.path] })));
    }
  }
  return { declared, specs, problems };
}
