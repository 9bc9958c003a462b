/**
 * The per-type reference of docs/scenario-format.md, generated from the fault and check
 * registries so the documentation cannot drift: a unit test fails when the file differs.
 */
import { z } from 'zod';
import { checkRegistry } from '../checks/registry.js';
import { faultRegistry } from '../faults/registry.js';

type Json = Record<string, unknown>;

export const GENERATED_BEGIN = '<!-- BEGIN GENERATED: fault and check types (engine/scenario/docs.ts) -->';
export const GENERATED_END = '<!-- END GENERATED -->';

function describeType(schema: Json): string {
  const description = typeof schema.description === 'string' ? schema.description : '';
  if (description.startsWith('Duration:')) return 'duration';
  if (description.startsWith('Size:')) return 'size';
  if (Array.isArray(schema.enum)) return schema.enum.map((value) => `\`${JSON.stringify(value)}\``).join(' | ');
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  if (Array.isArray(schema.type)) return schema.type.map((type) => describeType({ ...schema, type })).join(' | ');
  const options = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (options) return [...new Set(options.map(describeType))].join(' | ');
  switch (schema.type) {
    case 'array':
      return `list of ${describeType((schema.items as Json | undefined) ?? {})}`;
    case 'object':
      if (schema.properties) return 'mapping';
      if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        const value = describeType(schema.additionalProperties as Json);
        return value === 'any' ? 'mapping' : `map of ${value}`;
      }
      return 'mapping';
    case 'integer':
      return 'integer';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'string':
      return 'string';
    case 'null':
      return 'null';
    default:
      return 'any';
  }
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

interface Row {
  name: string;
  type: string;
  required: boolean;
  fallback?: unknown;
  description: string;
}

/** One row per param, and per key of nested mappings (`expect.status`, `expect.json[].path`). */
function rows(schema: Json, prefix: string, out: Row[]): void {
  const properties = (schema.properties as Record<string, Json> | undefined) ?? {};
  const required = new Set((schema.required as string[] | undefined) ?? []);
  for (const [key, raw] of Object.entries(properties)) {
    const name = `${prefix}${key}`;
    const option = ((raw.anyOf ?? raw.oneOf) as Json[] | undefined)?.find(
      (entry) => entry.type === 'object' && entry.properties,
    );
    const nested = raw.type === 'object' && raw.properties ? raw : option;
    const listOf = raw.type === 'array' ? (raw.items as Json | undefined) : undefined;
    const description = typeof raw.description === 'string' ? raw.description : '';
    out.push({
      name,
      type: describeType(raw),
      required: required.has(key) && raw.default === undefined,
      ...(raw.default !== undefined ? { fallback: raw.default } : {}),
      description,
    });
    if (nested) rows(nested, `${name}.`, out);
    else if (listOf?.type === 'object' && listOf.properties) rows(listOf, `${name}[].`, out);
  }
}

function table(params: z.ZodType): string {
  const schema = z.toJSONSchema(params, { io: 'input', unrepresentable: 'any' }) as Json;
  const list: Row[] = [];
  rows(schema, '', list);
  if (list.length === 0) return '_No parameters._\n';
  const lines = ['| param | type | required | default | description |', '|---|---|---|---|---|'];
  for (const row of list) {
    const fallback = row.fallback === undefined ? '' : `\`${JSON.stringify(row.fallback)}\``;
    lines.push(
      `| \`${row.name}\` | ${cell(row.type)} | ${row.required ? 'yes' : ''} | ${cell(fallback)} | ${cell(row.description)} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The generated Markdown (between the markers, markers excluded). */
export function scenarioTypeReference(): string {
  const parts: string[] = [];
  parts.push('### Fault types\n');
  parts.push('| type | phase | what it does |\n|---|---|---|');
  for (const definition of faultRegistry)
    parts.push(
      `| [\`${definition.type}\`](#fault-${definition.type.replace(/\./g, '-')}) | ${definition.phase} | ${cell(definition.summary)} |`,
    );
  parts.push('');
  for (const definition of faultRegistry) {
    parts.push(`#### fault: ${definition.type}\n`);
    parts.push(
      `<a id="fault-${definition.type.replace(/\./g, '-')}"></a>${definition.summary} Phase: **${definition.phase}**.\n`,
    );
    parts.push(table(definition.params));
  }
  parts.push('### Check types\n');
  parts.push('Usable as symptoms and as graded checks.\n');
  parts.push('| type | what it observes |\n|---|---|');
  for (const definition of checkRegistry)
    parts.push(`| [\`${definition.type}\`](#check-${definition.type}) | ${cell(definition.summary)} |`);
  parts.push('');
  for (const definition of checkRegistry) {
    parts.push(`#### check: ${definition.type}\n`);
    parts.push(`<a id="check-${definition.type}"></a>${definition.summary}\n`);
    parts.push(table(definition.params));
  }
  return `${parts
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}

/** Replace the generated section of a document; throws when the markers are missing. */
export function withGeneratedReference(document: string): string {
  const begin = document.indexOf(GENERATED_BEGIN);
  const end = document.indexOf(GENERATED_END);
  if (begin < 0 || end < begin) throw new Error('the generated-section markers are missing');
  return `${document.slice(0, begin + GENERATED_BEGIN.length)}\n\n${scenarioTypeReference()}\n${document.slice(end)}`;
}
