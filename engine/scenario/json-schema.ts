/**
 * The scenario JSON Schema (draft 2020-12), generated from the zod schema, for editors:
 * `# yaml-language-server: $schema=../scenario.schema.json` at the top of a scenario file.
 *
 * It describes what an author writes (durations as "5s"). Where a number, a boolean or a
 * patterned string is expected, a `"{{ vars.NAME }}"` template is accepted too.
 */
import { z } from 'zod';
import { VARIABLE_NAME_SOURCE } from '../params/variable-name.js';
import { scenarioSchema, TEMPLATED_KEYS } from './schema.js';

export const SCENARIO_SCHEMA_ID = 'urn:breakfix:scenario:v1';

type Json = Record<string, unknown>;

const TEMPLATE = {
  type: 'string',
  pattern: `^\\{\\{\\s*vars\\.${VARIABLE_NAME_SOURCE}\\s*\\}\\}$`,
  description: 'A "{{ vars.NAME }}" template.',
};
const STANDARD_FORMATS = new Set([
  'date-time',
  'date',
  'time',
  'duration',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'uri',
  'uri-reference',
  'uuid',
  'regex',
]);
const SAFE = Number.MAX_SAFE_INTEGER;

function clean(node: unknown, templated: boolean): unknown {
  if (Array.isArray(node)) return node.map((item) => clean(item, templated));
  if (node === null || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node as Json)) out[key] = clean(value, templated);
  if (typeof out.format === 'string' && !STANDARD_FORMATS.has(out.format)) delete out.format;
  if (out.minimum === -SAFE) delete out.minimum;
  if (out.maximum === SAFE) delete out.maximum;
  const type = out.type;
  const templatable =
    type === 'integer' ||
    type === 'number' ||
    type === 'boolean' ||
    (type === 'string' && typeof out.pattern === 'string');
  if (templatable && templated) {
    const { description, default: fallback, ...rest } = out;
    return {
      ...(description !== undefined ? { description } : {}),
      ...(fallback !== undefined ? { default: fallback } : {}),
      anyOf: [rest, TEMPLATE],
    };
  }
  return out;
}

export function scenarioJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(scenarioSchema, {
    io: 'input',
    target: 'draft-2020-12',
    unrepresentable: 'any',
  }) as Json;
  // Templates are rendered in some top-level keys only (TEMPLATED_KEYS).
  const properties: Json = {};
  for (const [key, value] of Object.entries((generated.properties as Json | undefined) ?? {}))
    properties[key] = clean(value, (TEMPLATED_KEYS as readonly string[]).includes(key));
  const { $schema, ...body } = clean({ ...generated, properties: {} }, true) as Json;
  body.properties = properties;
  return {
    $schema: $schema ?? 'https://json-schema.org/draft/2020-12/schema',
    $id: SCENARIO_SCHEMA_ID,
    title: 'breakfix scenario',
    ...body,
  };
}
