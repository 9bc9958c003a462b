/**
 * Seeded random parameters and `{{ vars.NAME }}` templates.
 *
 * - `chooseVars(scenario, seed)` is deterministic: a mulberry32 PRNG seeded from a hash of the
 *   seed and the scenario id, drawing the variables in name order (so reordering `vars:` in the
 *   file changes nothing).
 * - A string that is exactly `{{ vars.NAME }}` becomes the value itself (a number stays a
 *   number); inside a longer string the value is written as text.
 * - Other `{{ ... }}` text (Go templates in a `docker inspect -f` hint) is left alone.
 */
import { VARIABLE_NAME, VARIABLE_NAME_SOURCE } from '../params/variable-name.js';
import type { VarSpec, VarValue } from './schema.js';

const REF = /\{\{\s*(vars?)\.([^\s{}]*)\s*\}\}/g;
const EXACT = new RegExp(`^\\{\\{\\s*vars\\.(${VARIABLE_NAME_SOURCE})\\s*\\}\\}$`);
const NAME = VARIABLE_NAME;

export interface TemplateRef {
  /** Variable name as written. */
  name: string;
  /** Offset of `{{` in the text, and the reference's length. */
  index: number;
  length: number;
  /** Set when the reference is malformed: `{{ var.x }}`, `{{ vars. }}`. */
  problem?: string;
}

export function findTemplateRefs(text: string): TemplateRef[] {
  const refs: TemplateRef[] = [];
  for (const match of text.matchAll(REF)) {
    const [whole, prefix, name = ''] = match;
    const ref: TemplateRef = { name, index: match.index, length: whole.length };
    if (prefix === 'var') ref.problem = `write {{ vars.${name} }}, not {{ var.${name} }}`;
    else if (!NAME.test(name)) ref.problem = `${JSON.stringify(name)} is not a variable name`;
    refs.push(ref);
  }
  return refs;
}

/** What to do with `{{ vars.NAME }}` when NAME is not defined: throw (default) or keep the text. */
export type MissingVar = 'throw' | 'keep';

/** Replace every `{{ vars.NAME }}` in `text`. Throws on a variable that is not defined. */
export function renderTemplate(
  text: string,
  vars: Readonly<Record<string, VarValue>>,
  missing: MissingVar = 'throw',
): string {
  return text.replace(REF, (whole, prefix: string, name: string) => {
    if (prefix !== 'vars' || !NAME.test(name)) return whole;
    if (!Object.hasOwn(vars, name)) {
      if (missing === 'keep') return whole;
      throw new Error(`undefined template variable vars.${name}`);
    }
    return String(vars[name]);
  });
}

/** Render every string of a JSON-like value; an exact `{{ vars.NAME }}` string keeps the value's type. */
export function renderValue(
  value: unknown,
  vars: Readonly<Record<string, VarValue>>,
  missing: MissingVar = 'throw',
): unknown {
  if (typeof value === 'string') {
    const exact = EXACT.exec(value);
    if (exact?.[1] !== undefined && Object.hasOwn(vars, exact[1])) return vars[exact[1]];
    return renderTemplate(value, vars, missing);
  }
  if (Array.isArray(value)) return value.map((item) => renderValue(item, vars, missing));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value))
      Object.defineProperty(out, key, {
        value: renderValue(item, vars, missing),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return out;
  }
  return value;
}

/** cyrb53-style 32-bit hash of a string. */
function hash(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  return h1 >>> 0;
}

export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The values of a scenario's variables for a seed: same seed and scenario id, same values. */
export function chooseVars(
  scenario: { id: string; vars?: Readonly<Record<string, VarSpec>> | undefined },
  seed: number | string,
): Record<string, VarValue> {
  const random = mulberry32(hash(`${String(seed)}:${scenario.id}`));
  const values: Record<string, VarValue> = {};
  for (const name of Object.keys(scenario.vars ?? {}).sort()) {
    const spec = scenario.vars?.[name];
    const draw = random();
    if (spec?.oneOf && spec.oneOf.length > 0)
      values[name] = spec.oneOf[Math.floor(draw * spec.oneOf.length)] as VarValue;
    else if (spec?.int) values[name] = spec.int.min + Math.floor(draw * (spec.int.max - spec.int.min + 1));
  }
  return values;
}

/**
 * A few assignments that together give every variable each of its `oneOf` values (and both ends
 * of an `int` range), without enumerating every combination: validation checks each of them.
 */
export function coveringAssignments(vars: Readonly<Record<string, VarSpec>>): Array<Record<string, VarValue>> {
  const names = Object.keys(vars).sort();
  const choices = names.map((name) => {
    const spec = vars[name];
    if (spec?.oneOf) return spec.oneOf;
    if (spec?.int) return spec.int.min === spec.int.max ? [spec.int.min] : [spec.int.min, spec.int.max];
    return [];
  });
  const rounds = Math.max(1, ...choices.map((list) => list.length));
  const assignments: Array<Record<string, VarValue>> = [];
  for (let round = 0; round < rounds; round += 1) {
    const assignment: Record<string, VarValue> = {};
    names.forEach((name, index) => {
      const list = choices[index] ?? [];
      if (list.length > 0) assignment[name] = list[round % list.length] as VarValue;
    });
    assignments.push(assignment);
  }
  return assignments;
}
