/**
 * Summaries of repeated measurements. Medians and p90 (nearest-rank), never means: a single
 * slow repetition on a busy 2-core machine must not move the headline figure.
 */

export interface Summary {
  n: number;
  medianMs: number;
  p90Ms: number;
  minMs: number;
  maxMs: number;
  samplesMs: number[];
}

/** Nearest-rank percentile of already sorted values (p in 0..100). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

const round = (value: number) => Math.round(value * 10) / 10;

export function summarise(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: samples.length,
    medianMs: round(median(sorted)),
    p90Ms: round(percentile(sorted, 90)),
    minMs: round(sorted[0] ?? Number.NaN),
    maxMs: round(sorted.at(-1) ?? Number.NaN),
    samplesMs: samples.map(round),
  };
}

/** Ratio of two medians, two decimals; undefined when either side is missing. */
export function ratio(numerator: Summary | undefined, denominator: Summary | undefined): number | undefined {
  if (!numerator || !denominator || !(denominator.medianMs > 0) || !Number.isFinite(numerator.medianMs))
    return undefined;
  return Math.round((numerator.medianMs / denominator.medianMs) * 100) / 100;
}

/** Collects named samples as a benchmark runs. */
export class Samples {
  readonly #values = new Map<string, number[]>();

  add(name: string, ms: number): void {
    this.#values.set(name, [...(this.#values.get(name) ?? []), ms]);
  }

  get(name: string): number[] {
    return this.#values.get(name) ?? [];
  }

  names(): string[] {
    return [...this.#values.keys()];
  }

  summary(name: string): Summary | undefined {
    const values = this.get(name);
    return values.length > 0 ? summarise(values) : undefined;
  }
}

export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}
