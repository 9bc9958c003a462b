/** `version`, `$.data.items[0].id`: the subset of JSONPath scenario checks need. */
export function readJsonPath(value: unknown, path: string): { found: boolean; value: unknown } {
  const segments = path.replace(/^\$\.?/, '').match(/[^.[\]]+|\[\d+\]/g) ?? [];
  let current: unknown = value;
  for (const raw of segments) {
    const segment = raw.startsWith('[') ? Number(raw.slice(1, -1)) : raw;
    if (current === null || typeof current !== 'object' || !(segment in (current as object)))
      return { found: false, value: undefined };
    current = (current as Record<string | number, unknown>)[segment];
  }
  return { found: true, value: current };
}
