/**
 * Validation against the official Compose Specification JSON Schema (vendored in
 * compose-spec.json, see compose-spec.SOURCE.md), with ajv's errors turned into one readable
 * problem per offending node.
 */
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import composeSpec from './compose-spec.json' with { type: 'json' };
import { documentHash, isKnownValid, rememberValid } from './spec-cache.js';
import { typeName } from '../source/describe.js';
import type { PathSegment } from '../source/yaml-source.js';

export interface SpecProblem {
  path: PathSegment[];
  /** `key` for an unknown key (point at the key itself), `value` otherwise. */
  part: 'key' | 'value';
  message: string;
  /** For unknown keys: the key and the keys the schema allows at that place. */
  unknownKey?: { key: string; allowed: string[]; namePattern: boolean };
}

type JsonSchema = Record<string, unknown>;

export const composeSpecSchema: JsonSchema = composeSpec as JsonSchema;

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) {
    // Loaded on first use: a document already known valid (spec-cache.ts) never needs ajv.
    const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
    const ajv = new Ajv({
      allErrors: true,
      strict: false,
      allowUnionTypes: true,
      validateSchema: false,
      verbose: true,
    });
    // The file declares draft-07 under an https URI ajv does not know; the content is draft-07.
    const { $schema: _ignored, ...schema } = composeSpecSchema;
    compiled = ajv.compile(schema);
  }
  return compiled;
}

function decodePointer(pointer: string, data: unknown): PathSegment[] {
  if (pointer === '') return [];
  const segments: PathSegment[] = [];
  let current: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current) && /^\d+$/.test(key)) {
      segments.push(Number(key));
      current = current[Number(key)];
    } else {
      segments.push(key);
      current = current !== null && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined;
    }
  }
  return segments;
}

const TYPE_WORDS: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
  null: 'null',
};

function startsWith(path: PathSegment[], prefix: PathSegment[]): boolean {
  return prefix.length <= path.length && prefix.every((segment, index) => path[index] === segment);
}

/** Validate; returns no problems when the document follows the Compose Specification. */
export function validateComposeSpec(data: unknown): SpecProblem[] {
  const hash = documentHash(composeSpecSchema, data);
  if (isKnownValid(hash)) return [];
  const validate = validator();
  if (validate(data)) {
    rememberValid(hash);
    return [];
  }
  const errors: ErrorObject[] = validate.errors ?? [];
  const located = errors.map((error) => ({ error, path: decodePointer(error.instancePath, data) }));

  // A oneOf/anyOf failure is explained better by its branches; a type mismatch at a node is noise
  // when a deeper error shows the value had the right shape for another branch.
  const kept = located.filter(({ error, path }) => {
    if (error.keyword === 'oneOf' || error.keyword === 'anyOf' || error.keyword === 'if') {
      return !located.some(
        (other) => other.error !== error && other.error.keyword !== error.keyword && startsWith(other.path, path),
      );
    }
    if (error.keyword === 'type' || error.keyword === 'enum' || error.keyword === 'const') {
      return !located.some((other) => other.path.length > path.length && startsWith(other.path, path));
    }
    return true;
  });

  const problems: SpecProblem[] = [];
  const typesAt = new Map<string, { path: PathSegment[]; types: Set<string>; value: unknown }>();
  for (const { error, path } of kept) {
    const params = error.params as Record<string, unknown>;
    switch (error.keyword) {
      case 'additionalProperties': {
        const key = String(params.additionalProperty);
        const parent = (error.parentSchema ?? {}) as JsonSchema;
        const allowed = Object.keys((parent.properties as JsonSchema | undefined) ?? {});
        const namePattern = allowed.length === 0 && parent.patternProperties !== undefined;
        problems.push({
          path: [...path, key],
          part: 'key',
          message: namePattern
            ? `\`${key}\` is not a valid name (use letters, digits, ".", "_" and "-")`
            : `unknown key \`${key}\``,
          unknownKey: { key, allowed, namePattern },
        });
        break;
      }
      case 'required':
        problems.push({ path, part: 'key', message: `missing required key \`${String(params.missingProperty)}\`` });
        break;
      case 'type': {
        const id = JSON.stringify(path);
        const entry = typesAt.get(id) ?? { path, types: new Set<string>(), value: error.data };
        for (const type of String(params.type).split(',')) entry.types.add(type);
        typesAt.set(id, entry);
        break;
      }
      case 'enum':
        problems.push({
          path,
          part: 'value',
          message: `must be one of ${(params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(', ')}, got ${JSON.stringify(error.data)}`,
        });
        break;
      case 'uniqueItems':
        problems.push({
          path,
          part: 'value',
          message: `list items must be unique (items ${String(params.j)} and ${String(params.i)} are the same)`,
        });
        break;
      case 'oneOf':
      case 'anyOf':
        problems.push({ path, part: 'value', message: 'does not match any of the allowed forms' });
        break;
      default:
        problems.push({ path, part: 'value', message: error.message ?? `fails ${error.keyword}` });
    }
  }
  for (const { path, types, value } of typesAt.values()) {
    const words = [...types].map((type) => TYPE_WORDS[type] ?? type);
    const list = words.length <= 2 ? words.join(' or ') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
    problems.push({ path, part: 'value', message: `must be ${list}, got ${typeName(value)}` });
  }
  // One message per node and text, in document order of discovery.
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const id = `${JSON.stringify(problem.path)}|${problem.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** Keys the Compose Specification defines at a few places of the document, for "did you mean". */
export function specKeys(
  place:
    | 'top'
    | 'service'
    | 'build'
    | 'healthcheck'
    | 'logging'
    | 'port'
    | 'secret'
    | 'serviceSecret'
    | 'volume'
    | 'serviceVolume'
    | 'dependsOn'
    | 'envFile'
    | 'network'
    | 'serviceNetwork',
): string[] {
  const definitions = composeSpecSchema.definitions as Record<string, JsonSchema>;
  const props = (schema: unknown) =>
    Object.keys(((schema as JsonSchema | undefined)?.properties as JsonSchema | undefined) ?? {});
  const service = definitions.service as JsonSchema;
  const serviceProps = service.properties as Record<string, JsonSchema>;
  const oneOf = (schema: JsonSchema | undefined) => (schema?.oneOf as JsonSchema[] | undefined) ?? [];
  const items = (schema: JsonSchema | undefined) => schema?.items as JsonSchema | undefined;
  switch (place) {
    case 'top':
      return props(composeSpecSchema);
    case 'service':
      return props(service);
    case 'build':
      return props(oneOf(serviceProps.build).find((branch) => branch.type === 'object'));
    case 'healthcheck':
      return props(definitions.healthcheck);
    case 'logging':
      return props(serviceProps.logging);
    case 'port':
      return props(oneOf(items(serviceProps.ports)).find((branch) => branch.type === 'object'));
    case 'secret':
      return props(definitions.secret);
    case 'serviceSecret':
      return props(oneOf(items(definitions.service_config_or_secret)).find((branch) => branch.type === 'object'));
    case 'volume':
      return props(definitions.volume);
    case 'serviceVolume':
      return props(oneOf(items(serviceProps.volumes)).find((branch) => branch.type === 'object'));
    case 'network':
      return props(definitions.network);
    case 'serviceNetwork': {
      const map = oneOf(serviceProps.networks).find((branch) => branch.type === 'object');
      const entry = Object.values((map?.patternProperties as Record<string, JsonSchema> | undefined) ?? {})[0];
      return props(oneOf(entry).find((branch) => branch.type === 'object'));
    }
    case 'dependsOn': {
      const map = oneOf(serviceProps.depends_on).find((branch) => branch.type === 'object');
      return props(Object.values((map?.patternProperties as Record<string, JsonSchema> | undefined) ?? {})[0]);
    }
    case 'envFile': {
      const list = oneOf(definitions.env_file).find((branch) => branch.type === 'array');
      return props(oneOf(items(list)).find((branch) => branch.type === 'object'));
    }
  }
}
