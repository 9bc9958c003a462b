/**
 * The shared shape of the fault and check params tests: both registries pair a type with a zod
 * `params` schema and an optional `services(params)`, so both are pinned down the same way —
 * every type needs a sample, parses its smallest params to known defaults, requires exactly its
 * required keys, refuses bad values and names the services it refers to.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

export interface ParamsSample {
  /** The smallest valid params. */
  minimal: Record<string, unknown>;
  /** What parsing `minimal` gives (defaults filled in, values normalised). */
  parsed: Record<string, unknown>;
  /** Keys that must be given (derived from the schema and compared to this list). */
  required: string[];
  /** Services the params refer to, for `validate` (undefined: the type names none). */
  services?: string[];
  /** Each of these, merged over `minimal`, must be refused. */
  invalid: Array<[why: string, override: Record<string, unknown>]>;
  /** Each of these, merged over `minimal`, must parse to at least the given values. */
  valid?: Array<[why: string, override: Record<string, unknown>, expected: Record<string, unknown>]>;
}

export interface ParamsDefinition {
  type: string;
  summary: string;
  params: z.ZodObject;
  services?(params: never): string[];
}

/** `minimal` with `override` laid over it; an `undefined` value removes the key. */
export function mergedParams(sample: ParamsSample, override: Record<string, unknown>): Record<string, unknown> {
  const params: Record<string, unknown> = { ...sample.minimal, ...override };
  for (const [key, value] of Object.entries(override)) if (value === undefined) delete params[key];
  return params;
}

export function parseIssues(definition: ParamsDefinition, params: unknown): string {
  const result = definition.params.safeParse(params);
  return result.success
    ? ''
    : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
}

export interface RegistrySuite<Sample extends ParamsSample, Definition extends ParamsDefinition> {
  /** `fault` or `check`, for test names. */
  kind: string;
  file: string;
  registry: readonly Definition[];
  find(type: string): Definition | undefined;
  samples: Record<string, Sample>;
  /** A type name that must not be registered. */
  unknownType: string;
  /** Type-specific tests, inside each type's describe block. */
  more?(definition: Definition, sample: Sample): void;
}

export function describeRegistryParams<Sample extends ParamsSample, Definition extends ParamsDefinition>(
  suite: RegistrySuite<Sample, Definition>,
): void {
  const types = suite.registry.map((definition) => definition.type);

  describe(`the ${suite.kind} registry`, () => {
    it('has a sample here for every type, and no sample for a type it does not have', () => {
      expect(
        types.filter((type) => !(type in suite.samples)),
        `${suite.kind} types without a sample in ${suite.file}`,
      ).toEqual([]);
      expect(
        Object.keys(suite.samples).filter((type) => !types.includes(type)),
        'samples for types that are not registered',
      ).toEqual([]);
    });

    it('has unique types, each with a summary, and finds each of them', () => {
      expect(new Set(types).size).toBe(types.length);
      for (const definition of suite.registry) {
        expect(definition.summary.length, definition.type).toBeGreaterThan(10);
        expect(suite.find(definition.type)).toBe(definition);
      }
      expect(suite.find(suite.unknownType)).toBeUndefined();
    });

    it('exports every params schema as JSON Schema (the scenario schema is generated from them)', () => {
      for (const definition of suite.registry) {
        expect(
          () => z.toJSONSchema(definition.params, { io: 'input', unrepresentable: 'any' }),
          definition.type,
        ).not.toThrow();
      }
    });
  });

  describe.each(types)(`${suite.kind} %s`, (type) => {
    const definition = suite.find(type)!;
    const sample = suite.samples[type]!;

    it('parses its smallest params, filling in the defaults', () => {
      const result = definition.params.safeParse(sample.minimal);
      expect(result.success, parseIssues(definition, sample.minimal)).toBe(true);
      expect(result.data).toEqual(sample.parsed);
    });

    it('requires exactly its required keys', () => {
      const required = Object.keys(sample.minimal).filter(
        (key) => !definition.params.safeParse(mergedParams(sample, { [key]: undefined })).success,
      );
      expect(required.sort()).toEqual([...sample.required].sort());
      expect(definition.params.safeParse({}).success).toBe(sample.required.length === 0);
    });

    it('refuses params that are not an object', () => {
      for (const params of [null, 'api', ['api'], 42]) expect(definition.params.safeParse(params).success).toBe(false);
    });

    it.each(sample.invalid)('refuses %s', (_why, override) => {
      expect(definition.params.safeParse(mergedParams(sample, override)).success).toBe(false);
    });

    it.each(sample.valid ?? [['its smallest params', {}, sample.parsed]])('accepts %s', (_why, override, expected) => {
      const params = mergedParams(sample, override);
      const result = definition.params.safeParse(params);
      expect(result.success, parseIssues(definition, params)).toBe(true);
      expect(result.data).toMatchObject(expected);
    });

    it('names the services it refers to', () => {
      const parsed = definition.params.parse(sample.minimal);
      expect(definition.services?.(parsed as never)).toEqual(sample.services);
    });

    suite.more?.(definition, sample);
  });
}
