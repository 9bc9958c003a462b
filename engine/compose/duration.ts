/**
 * Compose durations are Go durations: a sequence of decimal numbers with units, e.g. `1m30s`,
 * `1.5s`, `300ms`, `2h45m`. Units: ns, us (µs), ms, s, m, h. A bare `0` is allowed.
 */
const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

export function parseComposeDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return undefined;
  const text = value.trim();
  if (text === '0') return 0;
  if (text === '') return undefined;
  const part = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;
  let total = 0;
  let index = 0;
  while (index < text.length) {
    part.lastIndex = index;
    const match = part.exec(text);
    if (!match) return undefined;
    total += Number(match[1]) * (UNIT_MS[match[2] as string] ?? Number.NaN);
    index = part.lastIndex;
  }
  return Number.isFinite(total) ? Math.round(total) : undefined;
}
