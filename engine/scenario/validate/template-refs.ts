/** Phase: every `{{ vars.x }}` in the document names a declared variable, in a key that is rendered. */
import { isDict, type Dict } from '../../source/dict.js';
import { problem, type Problem } from '../../source/issues.js';
import { closest } from '../../source/suggest.js';
import type { PathSegment } from '../../source/yaml-source.js';
import { TEMPLATED_KEYS } from '../schema.js';
import { findTemplateRefs } from '../templates.js';

/** Walk every string of a value with its path. */
function eachString(value: unknown, at: PathSegment[], visit: (text: string, at: PathSegment[]) => void): void {
  if (typeof value === 'string') visit(value, at);
  else if (Array.isArray(value)) value.forEach((item, index) => eachString(item, [...at, index], visit));
  else if (isDict(value)) for (const [key, item] of Object.entries(value)) eachString(item, [...at, key], visit);
}

/** `; did you mean vars.x?`, or where variables are declared. */
export function undefinedVariableHint(name: string, declared: string[]): string {
  const guess = closest(name, declared);
  return guess
    ? `; did you mean \`vars.${guess}\`?`
    : declared.length === 0
      ? ' (declare it under `vars:`)'
      : ` (defined: ${declared.map((known) => `vars.${known}`).join(', ')})`;
}

export function templateProblems(data: Dict, declared: string[]): Problem[] {
  const problems: Problem[] = [];
  const templated = new Set<string>(TEMPLATED_KEYS);
  for (const [key, value] of Object.entries(data)) {
    if (key === 'vars') continue;
    eachString(value, [key], (text, at) => {
      for (const ref of findTemplateRefs(text)) {
        if (ref.problem) problems.push(problem(at, ref.problem));
        else if (!templated.has(key))
          problems.push(problem(at, `templates are not rendered in \`${key}\` (only in ${TEMPLATED_KEYS.join(', ')})`));
        else if (!declared.includes(ref.name))
          problems.push(
            problem(at, `undefined variable \`vars.${ref.name}\`${undefinedVariableHint(ref.name, declared)}`),
          );
      }
    });
  }
  return problems;
}

/** True when a value still holds a template (it belongs to a variable reported elsewhere). */
export function holdsTemplate(value: unknown): boolean {
  return typeof value === 'string' && findTemplateRefs(value).length > 0;
}
