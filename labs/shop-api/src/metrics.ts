// Prometheus text format (version 0.0.4), written by hand: prom-client is not packaged in
// Debian and lab images never run `npm install`.
type Labels = Record<string, string>;

const key = (labels: Labels): string =>
  Object.keys(labels)
    .sort()
    .map((name) => `${name}="${String(labels[name]).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
    .join(',');

class Counter {
  private readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(labels: Labels = {}, by = 1): void {
    const k = key(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }
  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    if (this.values.size === 0) lines.push(`${this.name} 0`);
    for (const [k, v] of this.values) lines.push(`${this.name}${k ? `{${k}}` : ''} ${v}`);
    return lines;
  }
}

class Histogram {
  private readonly series = new Map<string, { buckets: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly bounds: number[],
  ) {}
  observe(labels: Labels, value: number): void {
    const k = key(labels);
    const entry = this.series.get(k) ?? { buckets: this.bounds.map(() => 0), sum: 0, count: 0 };
    this.bounds.forEach((bound, index) => {
      if (value <= bound) entry.buckets[index] = (entry.buckets[index] ?? 0) + 1;
    });
    entry.sum += value;
    entry.count += 1;
    this.series.set(k, entry);
  }
  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const [k, entry] of this.series) {
      const prefix = k ? `${k},` : '';
      this.bounds.forEach((bound, index) => lines.push(`${this.name}_bucket{${prefix}le="${bound}"} ${entry.buckets[index]}`));
      lines.push(`${this.name}_bucket{${prefix}le="+Inf"} ${entry.count}`);
      lines.push(`${this.name}_sum${k ? `{${k}}` : ''} ${entry.sum}`);
      lines.push(`${this.name}_count${k ? `{${k}}` : ''} ${entry.count}`);
    }
    return lines;
  }
}

export const httpRequests = new Counter('shop_http_requests_total', 'HTTP requests answered, by method, route and status.');
export const httpDuration = new Histogram(
  'shop_http_request_duration_seconds',
  'HTTP request latency, by method and route.',
  [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
);
export const cacheHits = new Counter('shop_cache_hits_total', 'Product lookups answered from the cache.');
export const cacheMisses = new Counter('shop_cache_misses_total', 'Product lookups the cache did not answer.');
export const cacheErrors = new Counter('shop_cache_errors_total', 'Cache commands that failed (the database answered instead).');

/** Gauges read when scraped: the pool, the heap, build info. */
export type GaugeSource = () => Array<{ name: string; help: string; value: number; labels?: Labels }>;
const gaugeSources: GaugeSource[] = [];
export function addGauges(source: GaugeSource): void {
  gaugeSources.push(source);
}

export function renderMetrics(): string {
  const lines: string[] = [];
  for (const metric of [httpRequests, httpDuration, cacheHits, cacheMisses, cacheErrors]) lines.push(...metric.render());
  for (const source of gaugeSources) {
    for (const gauge of source()) {
      lines.push(`# HELP ${gauge.name} ${gauge.help}`, `# TYPE ${gauge.name} gauge`);
      lines.push(`${gauge.name}${gauge.labels ? `{${key(gauge.labels)}}` : ''} ${gauge.value}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
