/**
 * Mutation testing of the scenario loader: hundreds of malformed files made by breaking real,
 * valid scenario files (the fixtures, and every scenarios/<id>/scenario.yaml once it exists).
 * Each must give at least one issue located inside the file, quickly, without an exception.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Pair, type Scalar } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkRegistry } from '../../engine/checks/registry.js';
import { scenariosDir } from '../../engine/paths.js';
import { loadScenarioText, type LoadScenarioOptions } from '../../engine/scenario/index.js';
import { mulberry32 } from '../../engine/scenario/templates.js';

const fixtures = path.join(import.meta.dirname, '..', 'fixtures');
const fixtureLabs = path.join(fixtures, 'labs');

interface Base {
  name: string;
  file: string;
  text: string;
  options: LoadScenarioOptions;
}

const bases: Base[] = [
  ...readdirSync(path.join(fixtures, 'scenarios'))
    .sort()
    .map((id) => {
      const file = path.join(fixtures, 'scenarios', id, 'scenario.yaml');
      return { name: `fixture ${id}`, file, text: readFileSync(file, 'utf8'), options: { labsDir: fixtureLabs } };
    }),
  // The real scenarios join automatically, validated against the real labs.
  ...(existsSync(scenariosDir) ? readdirSync(scenariosDir).sort() : [])
    .map((id) => path.join(scenariosDir, id, 'scenario.yaml'))
    .filter((file) => existsSync(file))
    .map((file) => ({
      name: `scenario ${path.basename(path.dirname(file))}`,
      file,
      text: readFileSync(file, 'utf8'),
      options: {},
    })),
];

const REQUIRED_KEYS = [
  'id',
  'title',
  'difficulty',
  'lab',
  'briefing',
  'debrief',
  'faults',
  'symptoms',
  'checks',
  'hints',
  'solution',
];
/** Values of these keys accept any type, and keys under these mappings are free-form (records). */
const ANY_VALUE_KEYS = new Set(['value', 'body', 'equals']);
const RECORD_KEYS = new Set(['headers', 'labels', 'equals', 'body', 'args', 'value', 'vars', 'contains']);
/** These accept a single string as well as a list. */
const STRING_OR_LIST_KEYS = new Set(['contains', 'absent', 'command']);

type Segment = string | number;
interface Mutation {
  name: string;
  text: string;
}

function toText(doc: Document): string | undefined {
  // A base file that is itself broken (a real scenario being written) gets text mutations only.
  if (doc.errors.length > 0) return undefined;
  try {
    return doc.toString({ lineWidth: 0 });
  } catch {
    // A structural mutation that removed an anchor its aliases still name cannot be written out:
    // it is no file a learner could have, so it is skipped, not tested.
    return undefined;
  }
}

/** Every pair of the document with its path, skipping the insides of free-form mappings. */
function pairs(doc: Document): Array<{ pair: Pair<Scalar, unknown>; path: Segment[] }> {
  const found: Array<{ pair: Pair<Scalar, unknown>; path: Segment[] }> = [];
  const walk = (node: unknown, at: Segment[], free: boolean) => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        if (!free) found.push({ pair: pair as Pair<Scalar, unknown>, path: [...at, key] });
        walk(pair.value, [...at, key], free || RECORD_KEYS.has(key));
      }
    } else if (isSeq(node)) node.items.forEach((item, index) => walk(item, [...at, index], free));
  };
  walk(doc.contents, [], false);
  return found;
}

function scalars(doc: Document): Array<{ node: Scalar; key: string | number; path: Segment[] }> {
  const found: Array<{ node: Scalar; key: string | number; path: Segment[] }> = [];
  const walk = (node: unknown, at: Segment[]) => {
    if (isScalar(node)) {
      const key = at.at(-1) ?? '';
      if (!at.some((segment) => typeof segment === 'string' && ANY_VALUE_KEYS.has(segment)))
        found.push({ node, key, path: at });
    } else if (isMap(node)) {
      for (const pair of node.items)
        if (isPair(pair) && isScalar(pair.key)) walk(pair.value, [...at, String(pair.key.value)]);
    } else if (isSeq(node)) node.items.forEach((item, index) => walk(item, [...at, index]));
  };
  walk(doc.contents, []);
  return found;
}

function typo(word: string, random: () => number): string {
  const index = Math.floor(random() * word.length);
  switch (Math.floor(random() * 3)) {
    case 0:
      if (word.length >= 2 && index + 1 < word.length && word[index] !== word[index + 1])
        return word.slice(0, index) + word[index + 1] + word[index] + word.slice(index + 2);
      return `${word}x`;
    case 1:
      return word.length > 1 ? word.slice(0, index) + word.slice(index + 1) : `${word}x`;
    default:
      return word.slice(0, index + 1) + (word[index] ?? 'x') + word.slice(index + 1);
  }
}

function pick<T>(items: readonly T[], random: () => number): T | undefined {
  return items.length === 0 ? undefined : items[Math.floor(random() * items.length)];
}

function mutations(base: Base): Mutation[] {
  const random = mulberry32(base.text.length * 7919 + base.name.length);
  const out: Mutation[] = [];
  const fresh = () => parseDocument(base.text);
  const add = (name: string, text: string | undefined) => {
    if (text !== undefined && text !== base.text) out.push({ name, text });
  };

  // Delete each required top-level key.
  for (const key of REQUIRED_KEYS) {
    const doc = fresh();
    if (doc.has(key)) {
      doc.delete(key);
      add(`delete ${key}`, toText(doc));
    }
  }

  // Rename keys with typos (not inside free-form mappings).
  for (let round = 0; round < 10; round += 1) {
    const doc = fresh();
    const target = pick(pairs(doc), random);
    if (!target) break;
    const before = String(target.pair.key.value);
    const after = typo(before, random);
    target.pair.key.value = after;
    add(`rename ${target.path.join('.')} → ${after}`, toText(doc));
  }

  // Change the type of a scalar (to a mapping) and of a collection (to a scalar).
  for (let round = 0; round < 4; round += 1) {
    const doc = fresh();
    const target = pick(scalars(doc), random);
    if (!target) break;
    const parent = doc.getIn(target.path.slice(0, -1), true);
    if (isMap(parent)) parent.set(target.key, doc.createNode({ unexpected: true }));
    else if (isSeq(parent)) parent.set(target.key, doc.createNode({ unexpected: true }));
    add(`retype ${target.path.join('.')} to a mapping`, toText(doc));
  }
  for (let round = 0; round < 3; round += 1) {
    const doc = fresh();
    const collections = pairs(doc).filter(
      ({ pair, path: at }) =>
        (isMap(pair.value) || isSeq(pair.value)) &&
        !ANY_VALUE_KEYS.has(String(at.at(-1))) &&
        !STRING_OR_LIST_KEYS.has(String(at.at(-1))),
    );
    const target = pick(collections, random);
    if (!target) break;
    target.pair.value = doc.createNode('oops');
    add(`retype ${target.path.join('.')} to a string`, toText(doc));
  }

  // Unknown fault and check types.
  const types = scalars(fresh()).filter(({ key }) => key === 'type');
  for (const target of [pick(types, random), pick(types, random)]) {
    if (!target) continue;
    const doc = fresh();
    doc.setIn(target.path, `${String(target.node.value)}-nope`);
    add(`unknown type at ${target.path.join('.')}`, toText(doc));
  }

  // Services the lab does not define. A `compose.set` of a whole `services.<name>` creates that
  // service rather than naming one: renamed, it is another new service, valid unless something
  // else names the old one (hosted-alert-never-fires adds `prometheus` and reaches it by DNS).
  const serviceRefs = scalars(fresh()).filter(
    ({ key, node }) =>
      key === 'service' ||
      (key === 'path' &&
        typeof node.value === 'string' &&
        node.value.startsWith('services.') &&
        !/^services\.[^.]+$/.test(node.value)),
  );
  for (const target of serviceRefs.slice(0, 3)) {
    const doc = fresh();
    const value = String(target.node.value);
    doc.setIn(
      target.path,
      target.key === 'service' ? 'nosuchsvc' : value.replace(/^services\.[^.]+/, 'services.nosuchsvc'),
    );
    add(`bad service at ${target.path.join('.')}`, toText(doc));
  }

  // YAML syntax.
  add('duplicate top-level key', `${base.text.replace(/\n*$/, '\n')}lab: duplicate\n`);
  add('unterminated flow sequence', `${base.text.replace(/\n*$/, '\n')}extra_flow: [a, b\n`);
  add('unterminated quote', `${base.text.replace(/\n*$/, '\n')}extra_quote: "unterminated\n`);
  const lines = base.text.split('\n');
  const structural = pairs(fresh())
    .map(({ pair }) => (pair.key.range ? base.text.slice(0, pair.key.range[0]).split('\n').length - 1 : -1))
    .filter((line) => line > 0 && /^ {2,}[A-Za-z_-]/.test(lines[line] ?? ''));
  for (let round = 0; round < 2; round += 1) {
    const line = pick(structural, random);
    if (line === undefined) break;
    const tabbed = [...lines];
    tabbed[line] = (tabbed[line] ?? '').replace(/^ +/, '\t');
    add(`tab indentation on line ${line + 1}`, tabbed.join('\n'));
  }
  const topLevel = lines
    .map((text, index) => (/^[a-z]+:/.test(text) && index > 3 ? index : -1))
    .filter((index) => index > 0);
  const stray = pick(topLevel, random);
  if (stray !== undefined)
    add(
      `stray list item before line ${stray + 1}`,
      [...lines.slice(0, stray), '- stray', ...lines.slice(stray)].join('\n'),
    );

  // Duplicate check ids, wrong points.
  {
    const doc = fresh();
    const first = doc.getIn(['checks', 0, 'id']);
    if (doc.hasIn(['checks', 1, 'id'])) {
      doc.setIn(['checks', 1, 'id'], first);
      add('duplicate check id', toText(doc));
    }
  }
  {
    const doc = fresh();
    const points = doc.getIn(['checks', 0, 'points']);
    if (typeof points === 'number') {
      doc.setIn(['checks', 0, 'points'], points + 7);
      add('points do not add up', toText(doc));
      const negative = fresh();
      negative.setIn(['checks', 0, 'points'], -points);
      add('negative points', toText(negative));
    }
  }

  // Bad durations, bad regular expressions.
  for (const [name, list] of [
    ['symptoms', 'within'],
    ['checks', 'timeout'],
  ] as const) {
    const doc = fresh();
    if (doc.hasIn([name, 0])) {
      doc.setIn([name, 0, list], 'five seconds');
      add(`bad duration ${name}[0].${list}`, toText(doc));
    }
  }
  {
    const doc = fresh();
    if (doc.hasIn(['hints', 0])) {
      doc.setIn(['hints', 0, 'after'], doc.createNode({ elapsed: '10 minutes' }));
      add('bad hint duration', toText(doc));
    }
  }
  {
    const doc = fresh();
    const checks = doc.get('checks', true);
    if (isSeq(checks)) {
      checks.add(
        doc.createNode({
          id: 'regex-probe',
          type: 'logs',
          service: 'api',
          expect: { matches: '([unclosed' },
          points: 1,
        }),
      );
      add('bad regular expression', toText(doc));
    }
  }

  // Undefined variables, in a rendered string and as a typed value.
  {
    const doc = fresh();
    if (doc.hasIn(['hints', 0, 'text'])) {
      doc.setIn(['hints', 0, 'text'], `${String(doc.getIn(['hints', 0, 'text']))} {{ vars.undefined_var }}`);
      add('undefined variable in a hint', toText(doc));
    }
  }
  {
    const doc = fresh();
    if (isSeq(doc.get('checks', true))) {
      doc.setIn(['checks', 0, 'points'], '{{ vars.no_points }}');
      add('undefined variable as points', toText(doc));
    }
  }

  // Truncations at random offsets before the last required top-level key: something required
  // is always cut off, whatever else stays valid.
  const requiredStarts = REQUIRED_KEYS.map((key) => base.text.search(new RegExp(`^${key}:`, 'm'))).filter(
    (index) => index >= 0,
  );
  const limit = Math.max(...requiredStarts);
  for (let round = 0; round < 6; round += 1) {
    const offset = Math.floor(random() * limit);
    add(`truncate at byte ${offset}`, base.text.slice(0, offset));
  }

  // Miscellaneous wrong values.
  const misc: Array<[string, (doc: Document) => void]> = [
    ['unknown difficulty', (doc) => doc.set('difficulty', 'expert')],
    ['empty faults', (doc) => doc.set('faults', doc.createNode([]))],
    ['empty symptoms', (doc) => doc.set('symptoms', doc.createNode([]))],
    ['lab that does not exist', (doc) => doc.set('lab', 'no-such-lab')],
    ['id not kebab-case', (doc) => doc.set('id', 'Not_Kebab')],
    ['solution folder missing', (doc) => doc.setIn(['solution', 'files'], 'no-such-folder/')],
    ['unknown solution step', (doc) => doc.setIn(['solution', 'then'], doc.createNode(['deploy']))],
    ['unknown top-level key', (doc) => doc.set('extra', 1)],
    ['maxScore off', (doc) => doc.set('maxScore', 99)],
    [
      'workspace fault in escalation',
      (doc) =>
        doc.set(
          'escalation',
          doc.createNode([{ after: '5m', title: 'worse', faults: [{ type: 'file.remove', file: 'compose.yaml' }] }]),
        ),
    ],
    ['unknown expect key', (doc) => doc.setIn(['symptoms', 0, 'expect'], doc.createNode({ nonsense: true }))],
    ['check without type', (doc) => doc.deleteIn(['checks', 0, 'type'])],
    ['vars without a kind', (doc) => doc.set('vars', doc.createNode({ x: { some: [1] } }))],
  ];
  for (const [name, change] of misc) {
    const doc = fresh();
    change(doc);
    add(name, toText(doc));
  }
  return out;
}

const cases = bases.flatMap((base) => mutations(base).map((mutation) => ({ base, mutation })));

describe('scenario loader under mutation', () => {
  beforeAll(() => {
    // Warm up once: the first call compiles schemas, which is not what the time bound is about.
    const first = bases[0];
    if (first) loadScenarioText(first.file, first.text, first.options);
  });

  it('has enough mutations', () => {
    expect(bases.length).toBeGreaterThanOrEqual(7);
    expect(cases.length).toBeGreaterThanOrEqual(300);
    // Every registered check type appears in a base file, so mutations reach all of them.
    const all = bases.map((base) => base.text).join('\n');
    for (const definition of checkRegistry)
      expect(all, definition.type).toMatch(new RegExp(`type: ${definition.type.replace('.', '\\.')}\\b`));
  });

  it.each(bases)('$name is valid before mutation', (base) => {
    const result = loadScenarioText(base.file, base.text, base.options);
    expect(result.ok ? [] : result.errors).toEqual([]);
  });

  it.each(cases.map(({ base, mutation }) => ({ label: `${base.name}: ${mutation.name}`, base, mutation })))(
    '$label',
    ({ base, mutation }) => {
      const started = performance.now();
      const result = loadScenarioText(base.file, mutation.text, base.options);
      const elapsed = performance.now() - started;
      expect(elapsed, 'time to validate one file (ms)').toBeLessThan(2000);
      expect(result.ok, 'the mutated file must be invalid').toBe(false);
      if (result.ok) return;
      expect(result.errors.length).toBeGreaterThan(0);
      for (const error of result.errors) {
        expect(error.message).not.toMatch(/internal error/);
        const text = error.file === base.file ? mutation.text : readFileSync(error.file, 'utf8');
        const fileLines = text.split('\n');
        expect(error.line, error.message).toBeGreaterThanOrEqual(1);
        expect(error.line, error.message).toBeLessThanOrEqual(Math.max(1, fileLines.length));
        expect(error.col, error.message).toBeGreaterThanOrEqual(1);
        expect(error.col, error.message).toBeLessThanOrEqual((fileLines[error.line - 1]?.length ?? 0) + 1);
      }
    },
  );
});
