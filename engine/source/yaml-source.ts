/**
 * YAML with positions: parse a file once, turn it into plain JS values ourselves (so a hook can
 * rewrite scalars — Compose interpolation — without losing where they came from), and answer
 * "where in the file is `services.api.ports[1]`?" for error messages.
 *
 * Used by the compose loader and the scenario loader; never throws on malformed input.
 */
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node,
  type Pair,
  type Scalar,
} from 'yaml';

import type { PathSegment } from './path-format.js';

export { formatPath, type PathSegment } from './path-format.js';

export interface Position {
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
}

export interface YamlProblem extends Position {
  message: string;
  path: PathSegment[];
}

/** Rewrites a scalar while the document is turned into JS (e.g. `${VAR}` interpolation). */
export type ScalarHook = (value: unknown, node: Scalar, path: PathSegment[]) => unknown;

export interface YamlSource {
  text: string;
  doc: Document;
  lineCounter: LineCounter;
  /** The document as plain JS (objects, arrays, scalars); `null` for an empty document. */
  value: unknown;
  /** Syntax errors and shapes that have no JS equivalent (a mapping used as a key, an alias loop). */
  problems: YamlProblem[];
  /** Where `path` is written. `key` points at the mapping key rather than its value. */
  locate(path: readonly PathSegment[], part?: 'key' | 'value'): Position;
  /** True when `path` exists in the document as written. */
  has(path: readonly PathSegment[]): boolean;
}

/** Nodes converted per document, aliases included: stops "billion laughs" documents. */
const MAX_NODES = 200_000;
const MAX_DEPTH = 200;

export function isMergeKey(key: unknown): boolean {
  return isScalar(key) && (typeof key.value === 'symbol' || (key.source === '<<' && key.type === 'PLAIN'));
}

function keyString(key: unknown): string | undefined {
  if (key === null || key === undefined) return '';
  if (isScalar(key)) return key.value === null ? '' : typeof key.value === 'symbol' ? '<<' : String(key.value);
  return undefined;
}

export function parseYamlSource(text: string, hook?: ScalarHook): YamlSource {
  const lineCounter = new LineCounter();
  const problems: YamlProblem[] = [];
  let doc: Document;
  try {
    doc = parseDocument(text, { lineCounter, merge: true, prettyErrors: true, uniqueKeys: true, strict: true });
  } catch (error) {
    // The parser reports problems as data; this only guards against the unexpected.
    doc = parseDocument('', { lineCounter: new LineCounter() });
    problems.push({
      line: 1,
      col: 1,
      message: `cannot parse YAML: ${error instanceof Error ? error.message : String(error)}`,
      path: [],
    });
  }
  const pos = (offset: number | undefined): Position => {
    if (offset === undefined) return { line: 1, col: 1 };
    const clamped = Math.max(0, Math.min(offset, text.length));
    const { line, col } = lineCounter.linePos(clamped);
    return { line: Math.max(1, line), col: Math.max(1, col) };
  };

  // The first syntax error is the real one; the ones after it are mostly its echo.
  for (const error of doc.errors.slice(0, 1)) {
    const where = error.linePos?.[0] ?? pos(error.pos[0]);
    // yaml's messages end with the position and a code frame; the position is ours to print.
    const message = (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, '');
    problems.push({ line: where.line, col: where.col, message: `YAML syntax: ${message}`, path: [] });
  }

  let count = 0;
  let overflow = false;
  const active = new Set<Node>();
  const convert = (node: unknown, path: PathSegment[], depth: number): unknown => {
    if (overflow) return null;
    if (++count > MAX_NODES || depth > MAX_DEPTH) {
      overflow = true;
      const at = isNodeLike(node) ? pos(node.range?.[0]) : { line: 1, col: 1 };
      problems.push({
        ...at,
        message: 'YAML document is too large or too deeply nested (aliases expand to too many nodes)',
        path,
      });
      return null;
    }
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (!target) {
        problems.push({ ...pos(node.range?.[0]), message: `unknown alias *${node.source}`, path });
        return null;
      }
      if (active.has(target)) {
        problems.push({ ...pos(node.range?.[0]), message: `alias *${node.source} refers to itself`, path });
        return null;
      }
      return convert(target, path, depth + 1);
    }
    if (isScalar(node)) {
      let value: unknown = node.value;
      if (typeof value === 'bigint') value = Number(value);
      return hook ? hook(value, node, path) : value;
    }
    if (isSeq(node)) {
      active.add(node);
      const out = node.items.map((item, index) => convert(item, [...path, index], depth + 1));
      active.delete(node);
      return out;
    }
    if (isMap(node)) {
      active.add(node);
      const out: Record<string, unknown> = {};
      const merged: Array<Record<string, unknown>> = [];
      for (const pair of node.items) {
        if (isMergeKey(pair.key)) {
          const sources = collectMergeSources(pair, doc);
          for (const source of sources) {
            if (source === undefined) {
              problems.push({
                ...pos(nodeStart(pair.value) ?? nodeStart(pair.key)),
                message: 'a merge key (<<) needs a mapping or a list of mappings',
                path,
              });
              continue;
            }
            const value = convert(source, path, depth + 1);
            if (value !== null && typeof value === 'object' && !Array.isArray(value))
              merged.push(value as Record<string, unknown>);
          }
          continue;
        }
        const key = keyString(pair.key);
        if (key === undefined) {
          problems.push({
            ...pos(nodeStart(pair.key)),
            message:
              'a mapping key must be a plain value, not a mapping or a list (a "{{ ... }}" template must be quoted)',
            path,
          });
          continue;
        }
        Object.defineProperty(out, key, {
          value: convert(pair.value, [...path, key], depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      active.delete(node);
      // Explicit keys win over merged ones; earlier merge sources win over later ones.
      for (const source of merged.reverse()) {
        for (const [key, value] of Object.entries(source)) if (!Object.hasOwn(out, key)) out[key] = value;
      }
      return out;
    }
    return null;
  };
  const value = doc.errors.length > 0 ? null : convert(doc.contents, [], 0);

  const find = (
    path: readonly PathSegment[],
  ): { node: unknown; pair?: Pair; trail: Array<{ node: unknown; pair?: Pair }> } => {
    let current: unknown = doc.contents;
    let pair: Pair | undefined;
    const trail: Array<{ node: unknown; pair?: Pair }> = [{ node: current }];
    for (const segment of path) {
      const next = childOf(current, segment, doc);
      if (!next) return { node: undefined, trail };
      current = next.node;
      pair = next.pair;
      trail.push({ node: current, ...(pair ? { pair } : {}) });
    }
    return { node: current, ...(pair ? { pair } : {}), trail };
  };

  const locate = (path: readonly PathSegment[], part: 'key' | 'value' = 'value'): Position => {
    const found = find(path);
    if (found.node !== undefined || found.pair) {
      if (part === 'key' && found.pair) return pos(nodeStart(found.pair.key));
      const start = nodeStart(found.node);
      if (start !== undefined) return pos(start);
      if (found.pair) return pos(nodeStart(found.pair.key));
    }
    // Missing: point at the deepest ancestor that exists — its key if it has one.
    for (let index = found.trail.length - 1; index >= 0; index -= 1) {
      const step = found.trail[index];
      if (!step) continue;
      if (step.pair) return pos(nodeStart(step.pair.key));
      const start = nodeStart(step.node);
      if (start !== undefined) return pos(start);
    }
    return { line: 1, col: 1 };
  };

  const has = (path: readonly PathSegment[]) => {
    const found = find(path);
    return found.node !== undefined || found.pair !== undefined;
  };

  return { text, doc, lineCounter, value, problems, locate, has };
}

function isNodeLike(value: unknown): value is { range?: [number, number, number] | null } {
  return typeof value === 'object' && value !== null && 'range' in value;
}

function nodeStart(node: unknown): number | undefined {
  if (isNodeLike(node) && node.range) return node.range[0];
  return undefined;
}

function deref(node: unknown, doc: Document): unknown {
  let current = node;
  for (let hops = 0; hops < 50 && isAlias(current); hops += 1) current = current.resolve(doc);
  return current;
}

function collectMergeSources(pair: Pair, doc: Document): Array<Node | undefined> {
  const value = deref(pair.value, doc);
  if (isMap(value)) return [value];
  if (isSeq(value)) {
    return value.items.map((item) => {
      const resolved = deref(item, doc);
      return isMap(resolved) ? resolved : undefined;
    });
  }
  return [undefined];
}

function childOf(
  node: unknown,
  segment: PathSegment,
  doc: Document,
  depth = 0,
): { node: unknown; pair?: Pair } | undefined {
  const current = deref(node, doc);
  if (depth > 20) return undefined;
  if (isMap(current)) {
    for (const pair of current.items) {
      if (!isPair(pair) || isMergeKey(pair.key)) continue;
      if (keyString(pair.key) === String(segment)) return { node: pair.value ?? undefined, pair };
    }
    for (const pair of current.items) {
      if (!isMergeKey(pair.key)) continue;
      for (const source of collectMergeSources(pair, doc)) {
        const found = source ? childOf(source, segment, doc, depth + 1) : undefined;
        if (found) return found;
      }
    }
    return undefined;
  }
  if (isSeq(current) && typeof segment === 'number') {
    const item: unknown = current.items[segment];
    return item === undefined ? undefined : { node: item };
  }
  return undefined;
}
