/**
 * Samples of a Prometheus text-format scrape, as flat `{name, labels, value}` series.
 *
 * Parsing is parse-prometheus-text-format's (label escaping, HELP/TYPE, timestamps). Two of its
 * behaviours are worked around here rather than inherited: it folds every series of a
 * histogram or summary family into one, dropping their labels (so `_count{route="/a"}` and
 * `_count{route="/b"}` would merge), and it drops the last sample when the text does not end
 * with a newline. TYPE lines are therefore removed before parsing — every `_bucket`, `_sum` and
 * `_count` series then comes back as its own series with its labels, which is what a check
 * selects on — and a newline is always appended.
 */
import parsePrometheusTextFormat from 'parse-prometheus-text-format';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export class PrometheusParseError extends Error {
  override name = 'PrometheusParseError';
}

export function parseSamples(text: string): Sample[] {
  const untyped = text
    .split('\n')
    .filter((line) => !/^#\s*TYPE\s/.test(line.trim()))
    .join('\n');
  let families;
  try {
    families = parsePrometheusTextFormat(`${untyped}\n`);
  } catch (error) {
    throw new PrometheusParseError(error instanceof Error ? error.message : String(error));
  }
  const samples: Sample[] = [];
  for (const family of families) {
    for (const metric of family.metrics) {
      if (metric.value === undefined) continue;
      const value = sampleValue(metric.value);
      if (value === undefined)
        throw new PrometheusParseError(`${family.name}: value ${JSON.stringify(metric.value)} is not a number`);
      samples.push({ name: family.name, labels: metric.labels ?? {}, value });
    }
  }
  return samples;
}

/** Go's float syntax as Prometheus writes it: `+Inf`, `-Inf`, `NaN`, decimals, exponents. */
function sampleValue(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\+?inf$/i.test(trimmed)) return Infinity;
  if (/^-inf$/i.test(trimmed)) return -Infinity;
  if (/^nan$/i.test(trimmed)) return NaN;
  const value = Number(trimmed);
  return trimmed === '' || Number.isNaN(value) ? undefined : value;
}

/** Series named `name` whose labels include every `labels` pair (other labels are free). */
export function selectSamples(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): Sample[] {
  return samples.filter(
    (sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
}

/** `name{a="1",b="2"}`, for messages. */
export function formatSelector(name: string, labels: Record<string, string> = {}): string {
  const pairs = Object.entries(labels).map(([key, value]) => `${key}=${JSON.stringify(value)}`);
  return pairs.length > 0 ? `${name}{${pairs.join(',')}}` : name;
}
