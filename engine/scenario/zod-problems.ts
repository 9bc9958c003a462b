/**
 * zod's issues translated into problems an author can act on: located on the offending node
 * (the issue collector in engine/source/issues.ts gives them a line and column), with "did you
 * mean" where a typo is likely.
 */
import type { z } from 'zod';
import { typeName, valueAt } from '../source/describe.js';
import { problem, type Problem } from '../source/issues.js';
import { closest, didYouMean } from '../source/suggest.js';
import type { PathSegment } from '../source/yaml-source.js';

const EXPECTED_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'a boolean',
  object: 'a mapping',
  array: 'a list',
  record: 'a mapping',
  null: 'null',
  literal: 'a fixed value',
  enum: 'one of the allowed values',
};

function joinOr(words: string[]): string {
  const unique = [...new Set(words)];
  return unique.length <= 2 ? unique.join(' or ') : `${unique.slice(0, -1).join(', ')} or ${unique.at(-1)}`;
}

// ---------------------------------------------------------------------------------------------
// Walking a zod schema alongside the data, to know which keys a mapping accepts.

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
  values?: unknown[];
  getter?: () => z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let hops = 0; hops < 20; hops += 1) {
    const def = defOf(current);
    if (
      def.innerType &&
      ['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional'].includes(def.type)
    )
      current = def.innerType;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else if (def.type === 'lazy' && def.getter) current = def.getter();
    else break;
  }
  return current;
}

function literalOf(schema: z.ZodType | undefined): unknown {
  if (!schema) return undefined;
  const def = defOf(unwrap(schema));
  return def.type === 'literal' ? def.values?.[0] : undefined;
}

/** The union option that fits `data`: by discriminator, else by the kind of value. */
function chooseOption(def: Def, data: unknown): z.ZodType | undefined {
  const options = (def.options ?? []).map(unwrap);
  if (def.discriminator && data !== null && typeof data === 'object') {
    const wanted = (data as Record<string, unknown>)[def.discriminator];
    return options.find((option) => literalOf(defOf(option).shape?.[def.discriminator as string]) === wanted);
  }
  const kind = Array.isArray(data) ? 'array' : data !== null && typeof data === 'object' ? 'object' : undefined;
  return options.find((option) => {
    const type = defOf(option).type;
    return kind === 'object' ? type === 'object' || type === 'record' : kind === 'array' ? type === 'array' : false;
  });
}

function resolveAt(schema: z.ZodType, data: unknown): z.ZodType | undefined {
  let current: z.ZodType | undefined = unwrap(schema);
  for (let hops = 0; current && hops < 10; hops += 1) {
    const def = defOf(current);
    if (def.type !== 'union') return current;
    const option = chooseOption(def, data);
    current = option ? unwrap(option) : undefined;
  }
  return current;
}

function childSchema(schema: z.ZodType, data: unknown, segment: PathSegment): z.ZodType | undefined {
  const resolved = resolveAt(schema, data);
  if (!resolved) return undefined;
  const def = defOf(resolved);
  if (def.type === 'object') return def.shape?.[String(segment)];
  if (def.type === 'array') return def.element;
  if (def.type === 'record') return def.valueType;
  return undefined;
}

/** Keys the schema accepts for the mapping at `path` of `data`. */
export function knownKeysAt(schema: z.ZodType, data: unknown, path: readonly PathSegment[]): string[] {
  let current: z.ZodType | undefined = schema;
  for (let index = 0; current && index < path.length; index += 1)
    current = childSchema(current, valueAt(data, path.slice(0, index)), path[index] as PathSegment);
  if (!current) return [];
  const resolved = resolveAt(current, valueAt(data, path));
  const def = resolved ? defOf(resolved) : undefined;
  return def?.type === 'object' ? Object.keys(def.shape ?? {}) : [];
}

// ---------------------------------------------------------------------------------------------
// zod issues → problems.

type Issue = z.core.$ZodIssue;

export interface IssueContext {
  schema: z.ZodType;
  data: unknown;
  /** Names the registered types for an unknown `type` at this path (`fault`, `check`). */
  typeKind(path: readonly PathSegment[]): { noun: string; types: string[] } | undefined;
}

function isShapeMismatch(issue: Issue): boolean {
  return (
    issue.path.length === 0 &&
    (issue.code === 'invalid_type' ||
      issue.code === 'invalid_value' ||
      (issue.code === 'invalid_union' && !('note' in issue && issue.note)))
  );
}

function missing(path: PathSegment[], extra = ''): Problem {
  const key = String(path.at(-1));
  return { path: path.slice(0, -1), part: 'key', message: `missing required key \`${key}\`${extra}`, missingKey: key };
}

function describeUnion(
  issue: Extract<Issue, { code: 'invalid_union' }>,
  path: PathSegment[],
  ctx: IssueContext,
  out: Problem[],
): void {
  const branches = (issue.errors ?? []) as Issue[][];
  const fitting = branches.filter((branch) => branch.length > 0 && !branch.some(isShapeMismatch));
  if (fitting.length > 0) {
    // The value has the shape of a branch: explain what is wrong inside it.
    const best = fitting.reduce((a, b) => (b.length < a.length ? b : a));
    for (const inner of best) convertIssue(inner, path, ctx, out);
    return;
  }
  const value = valueAt(ctx.data, path);
  const expected: string[] = [];
  const allowedValues: unknown[] = [];
  for (const branch of branches) {
    for (const inner of branch) {
      if (inner.path.length !== 0) continue;
      if (inner.code === 'invalid_type') expected.push(EXPECTED_WORDS[inner.expected] ?? inner.expected);
      else if (inner.code === 'invalid_value') allowedValues.push(...inner.values);
    }
  }
  const parts = [...allowedValues.map((allowed) => JSON.stringify(allowed)), ...expected];
  if (value === undefined) {
    out.push(missing(path));
    return;
  }
  const hint =
    typeof value === 'string'
      ? didYouMean(
          value,
          allowedValues.filter((allowed): allowed is string => typeof allowed === 'string'),
        )
      : '';
  out.push(
    problem(
      path,
      `${parts.length > 0 ? `must be ${joinOr(parts)}` : 'does not match any allowed form'}, got ${typeName(value)}${hint}`,
    ),
  );
}

export function convertIssue(issue: Issue, base: readonly PathSegment[], ctx: IssueContext, out: Problem[]): void {
  const path: PathSegment[] = [
    ...base,
    ...issue.path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment)),
  ];
  const value = valueAt(ctx.data, path);
  switch (issue.code) {
    case 'invalid_union': {
      if ('note' in issue && issue.note === 'No matching discriminator') {
        const kind = ctx.typeKind(path);
        const noun = kind?.noun ?? 'entry';
        const list = kind ? ` (${kind.noun} types: ${kind.types.join(', ')})` : '';
        const entry = valueAt(ctx.data, path.slice(0, -1));
        const typo =
          value === undefined && entry !== null && typeof entry === 'object'
            ? Object.keys(entry).find((key) => closest(key, ['type']) === 'type')
            : undefined;
        if (typo !== undefined)
          out.push({
            path: [...path.slice(0, -1), typo],
            part: 'key',
            message: `unknown key \`${typo}\`; did you mean \`type\`?`,
            suggests: 'type',
          });
        else if (value === undefined) out.push(missing(path, list));
        else if (typeof value !== 'string')
          out.push(problem(path, `must be a string naming a ${noun} type, got ${typeName(value)}${list}`));
        else {
          const hint = kind ? didYouMean(value, kind.types) : '';
          out.push(problem(path, `unknown ${noun} type \`${value}\`${hint || list}`));
        }
        return;
      }
      describeUnion(issue, path, ctx, out);
      return;
    }
    case 'invalid_type': {
      if (value === undefined && path.length > 0) {
        out.push(missing(path));
        return;
      }
      out.push(problem(path, `must be ${EXPECTED_WORDS[issue.expected] ?? issue.expected}, got ${typeName(value)}`));
      return;
    }
    case 'unrecognized_keys': {
      const known = knownKeysAt(ctx.schema, ctx.data, path);
      const present = value !== null && typeof value === 'object' ? Object.keys(value) : [];
      const candidates = known.filter((key) => !present.includes(key));
      for (const key of issue.keys) {
        const guess = closest(key, candidates);
        out.push({
          path: [...path, key],
          part: 'key',
          message: `unknown key \`${key}\`${guess ? `; did you mean \`${guess}\`?` : ''}`,
          ...(guess ? { suggests: guess } : {}),
        });
      }
      return;
    }
    case 'invalid_value': {
      if (value === undefined && path.length > 0) {
        out.push(missing(path));
        return;
      }
      const allowed = issue.values;
      const hint =
        typeof value === 'string'
          ? didYouMean(
              value,
              allowed.filter((entry): entry is string => typeof entry === 'string'),
            )
          : '';
      const list =
        allowed.length === 1
          ? JSON.stringify(allowed[0])
          : `one of ${allowed.map((entry) => JSON.stringify(entry)).join(', ')}`;
      out.push(problem(path, `must be ${list}, got ${value === undefined ? 'nothing' : JSON.stringify(value)}${hint}`));
      return;
    }
    case 'too_small': {
      const minimum = Number(issue.minimum);
      if (issue.origin === 'array' || issue.origin === 'set')
        out.push(problem(path, `needs at least ${minimum} item${minimum === 1 ? '' : 's'}`));
      else if (issue.origin === 'string')
        out.push(problem(path, minimum <= 1 ? 'must not be empty' : `must be at least ${minimum} characters long`));
      else
        out.push(
          problem(
            path,
            `must be ${issue.inclusive ? 'at least' : 'greater than'} ${minimum}, got ${JSON.stringify(value)}`,
          ),
        );
      return;
    }
    case 'too_big': {
      const maximum = Number(issue.maximum);
      if (issue.origin === 'array' || issue.origin === 'set')
        out.push(problem(path, `has more than ${maximum} item${maximum === 1 ? '' : 's'}`));
      else if (issue.origin === 'string') out.push(problem(path, `must be at most ${maximum} characters long`));
      else
        out.push(
          problem(
            path,
            `must be ${issue.inclusive ? 'at most' : 'less than'} ${maximum}, got ${JSON.stringify(value)}`,
          ),
        );
      return;
    }
    case 'invalid_format': {
      const custom = !/^Invalid (string|input)/.test(issue.message);
      if (custom) out.push(problem(path, issue.message));
      else if (issue.format === 'starts_with' && 'prefix' in issue)
        out.push(problem(path, `must start with ${JSON.stringify(issue.prefix)}, got ${JSON.stringify(value)}`));
      else if (issue.format === 'regex' && 'pattern' in issue)
        out.push(problem(path, `must match ${String(issue.pattern)}, got ${JSON.stringify(value)}`));
      else out.push(problem(path, `must be a valid ${issue.format}, got ${JSON.stringify(value)}`));
      return;
    }
    case 'invalid_key': {
      const inner = (issue.issues[0]?.message ?? issue.message).replace(/^Invalid input: /, '');
      out.push(problem(path, `key ${JSON.stringify(String(path.at(-1)))}: ${inner}`, 'key'));
      return;
    }
    default:
      out.push(problem(path, issue.message.replace(/^Invalid input: /, '')));
  }
}

export function zodProblems(issues: readonly Issue[], ctx: IssueContext): Problem[] {
  const out: Problem[] = [];
  for (const issue of issues) convertIssue(issue, [], ctx, out);
  // `dificulty:` is reported as an unknown key suggesting `difficulty`; saying that `difficulty`
  // is missing as well would only repeat it.
  const suggested = new Set(
    out.filter((item) => item.suggests).map((item) => `${JSON.stringify(item.path.slice(0, -1))}|${item.suggests}`),
  );
  return out.filter((item) => !(item.missingKey && suggested.has(`${JSON.stringify(item.path)}|${item.missingKey}`)));
}
