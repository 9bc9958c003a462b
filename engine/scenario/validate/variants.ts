/**
 * Phase: the document against the schema and the document phases, once per covering assignment
 * of the variables (every value of every variable appears in some variant). A problem only one
 * variant has is reported with the assignment that shows it.
 */
import type { Dict } from '../../source/dict.js';
import { valueAt } from '../../source/describe.js';
import type { IssueCollector } from '../../source/issues.js';
import { scenarioSchema, TEMPLATED_KEYS, type ScenarioDocument, type VarSpec, type VarValue } from '../schema.js';
import { coveringAssignments, renderValue } from '../templates.js';
import { zodProblems } from '../zod-problems.js';
import { documentProblems } from './document-phases.js';
import type { LabRef } from './lab-info.js';
import { holdsTemplate } from './template-refs.js';
import { typeKind } from './type-kind.js';

function describeAssignment(assignment: Record<string, VarValue>): string {
  return Object.entries(assignment)
    .map(([name, value]) => `vars.${name} = ${JSON.stringify(value)}`)
    .join(', ');
}

/** Validate every variant; returns the first variant's parsed document when it is valid. */
export function validateVariants(
  data: Dict,
  specs: Record<string, VarSpec>,
  lab: LabRef | undefined,
  issues: IssueCollector,
  variants: 'all' | 'first' = 'all',
): ScenarioDocument | undefined {
  let first: { keys: Set<string>; output?: ScenarioDocument } | undefined;
  const assignments = coveringAssignments(specs);
  for (const assignment of variants === 'first' ? assignments.slice(0, 1) : assignments) {
    const rendered: Dict = { ...data };
    for (const key of TEMPLATED_KEYS)
      if (key in rendered) rendered[key] = renderValue(rendered[key], assignment, 'keep');
    const result = scenarioSchema.safeParse(rendered);
    // A template left unrendered belongs to an undefined or invalid variable, reported already.
    const schemaProblems = result.success
      ? []
      : zodProblems(result.error.issues, { schema: scenarioSchema, data: rendered, typeKind }).filter(
          (item) => item.path[0] !== 'vars' && !holdsTemplate(valueAt(rendered, item.path)),
        );
    const problems = [...schemaProblems, ...documentProblems(rendered, lab)];
    const keys = issues.keys(problems);
    if (!first) {
      first = { keys: new Set(keys), ...(result.success ? { output: result.data } : {}) };
      issues.add(problems);
    } else {
      const seen = first.keys;
      const own = problems.filter((_, index) => !seen.has(keys[index] as string));
      issues.add(own, ` (with ${describeAssignment(assignment)})`);
    }
  }
  return first?.output;
}
