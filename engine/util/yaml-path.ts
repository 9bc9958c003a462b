import { isMap, isScalar, isSeq, type Document } from 'yaml';

/**
 * `services.api.environment.DATABASE_HOST` → ['services','api','environment','DATABASE_HOST'].
 * A key containing a dot is written in brackets: `services.api.labels["com.example.team"]`.
 * Numeric segments address sequence items.
 */
export function parseYamlPath(path: string): Array<string | number> {
  const segments: Array<string | number> = [];
  const pattern = /([^.[\]]+)|\["([^"]*)"\]|\[(\d+)\]/g;
  for (const match of path.matchAll(pattern)) {
    if (match[2] !== undefined) segments.push(match[2]);
    else if (match[3] !== undefined) segments.push(Number(match[3]));
    else if (match[1] !== undefined) segments.push(/^\d+$/.test(match[1]) ? Number(match[1]) : match[1]);
  }
  return segments;
}

/**
 * Compose allows `environment` (and `labels`) as a list of `KEY=value`; treat `…environment.KEY`
 * the same whichever form the file uses, so a fault works on both.
 */
function keyValueListIndex(doc: Document, parent: Array<string | number>, key: string | number): number {
  const node = doc.getIn(parent, true);
  if (!isSeq(node) || typeof key !== 'string') return -1;
  return node.items.findIndex(
    (item) =>
      isScalar(item) && typeof item.value === 'string' && (item.value === key || item.value.startsWith(`${key}=`)),
  );
}

export function hasYamlPath(doc: Document, segments: Array<string | number>): boolean {
  if (doc.hasIn(segments)) return true;
  const key = segments.at(-1);
  return key !== undefined && keyValueListIndex(doc, segments.slice(0, -1), key) >= 0;
}

export function setYamlPath(doc: Document, segments: Array<string | number>, value: unknown): void {
  const parent = segments.slice(0, -1);
  const key = segments.at(-1);
  const index = key === undefined ? -1 : keyValueListIndex(doc, parent, key);
  if (index >= 0) {
    doc.setIn([...parent, index], `${String(key)}=${String(value)}`);
    return;
  }
  const parentNode = doc.getIn(parent, true);
  if (isSeq(parentNode) && typeof key === 'string') {
    parentNode.add(doc.createNode(`${key}=${String(value)}`));
    return;
  }
  doc.setIn(segments, value);
}

/** Returns false when there was nothing to remove. Empty parents are removed too. */
export function deleteYamlPath(doc: Document, segments: Array<string | number>): boolean {
  const parent = segments.slice(0, -1);
  const key = segments.at(-1);
  if (key === undefined) return false;
  let removed = false;
  const index = keyValueListIndex(doc, parent, key);
  if (index >= 0) removed = doc.deleteIn([...parent, index]);
  else if (doc.hasIn(segments)) removed = doc.deleteIn(segments);
  if (removed && parent.length > 0) {
    const parentNode = doc.getIn(parent, true);
    if ((isMap(parentNode) || isSeq(parentNode)) && parentNode.items.length === 0) doc.deleteIn(parent);
  }
  return removed;
}
