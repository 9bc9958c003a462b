/**
 * A small Prometheus registry: counters, histograms and gauges computed at scrape time, written
 * in the text exposition format 0.0.4. Enough for `GET /metrics`; no dependency needed.
 */
type Labels = Record<string, string>;

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function labelText(labels: Labels, extra: Labels = {}): string {
  const all = { ...labels, ...extra };
  const keys = Object.keys(all);
  if (keys.length === 0) return '';
  return `{${keys.map((key) => `${key}="${escapeLabel(all[key]!)}"`).join(',')}}`;
}

const keyOf = (labels: Labels) =>
  JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

function formatNumber(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  if (Number.isNaN(value)) return 'NaN';
  return String(value);
}

interface Metric {
  render(): string[];
}

export class Counter implements Metric {
  readonly #values = new Map<string, { labels: Labels; value: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels: Labels = {}, by = 1): void {
    const key = keyOf(labels);
    const entry = this.#values.get(key) ?? { labels, value: 0 };
    entry.value += by;
    this.#values.set(key, entry);
  }

  get(labels: Labels = {}): number {
    return this.#values.get(keyOf(labels))?.value ?? 0;
  }

  render(): string[] {
    return [
      `# HELP ${this.name} ${this.help}`,
      `# TYPE ${this.name} counter`,
      ...[...this.#values.values()].map(
        (entry) => `${this.name}${labelText(entry.labels)} ${formatNumber(entry.value)}`,
      ),
    ];
  }
}

export class Histogram implements Metric {
  readonly #series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[],
  ) {}

  observe(value: number, labels: Labels = {}): void {
    const key = keyOf(labels);
    const series = this.#series.get(key) ?? { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
    this.buckets.forEach((bound, index) => {
      if (value <= bound) series.counts[index]! += 1;
    });
    series.sum += value;
    series.count += 1;
    this.#series.set(key, series);
  }

  count(labels: Labels = {}): number {
    return this.#series.get(keyOf(labels))?.count ?? 0;
  }

  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const series of this.#series.values()) {
      this.buckets.forEach((bound, index) =>
        lines.push(
          `${this.name}_bucket${labelText(series.labels, { le: formatNumber(bound) })} ${series.counts[index]}`,
        ),
      );
      lines.push(`${this.name}_bucket${labelText(series.labels, { le: '+Inf' })} ${series.count}`);
      lines.push(`${this.name}_sum${labelText(series.labels)} ${formatNumber(series.sum)}`);
      lines.push(`${this.name}_count${labelText(series.labels)} ${series.count}`);
    }
    return lines;
  }
}

export class Gauge implements Metric {
  constructor(
    readonly name: string,
    readonly help: string,
    readonly collect: () => Array<{ labels?: Labels; value: number }>,
  ) {}

  render(): string[] {
    return [
      `# HELP ${this.name} ${this.help}`,
      `# TYPE ${this.name} gauge`,
      ...this.collect().map((entry) => `${this.name}${labelText(entry.labels ?? {})} ${formatNumber(entry.value)}`),
    ];
  }
}

export class Registry {
  readonly #metrics: Metric[] = [];

  register<M extends Metric>(metric: M): M {
    this.#metrics.push(metric);
    return metric;
  }

  render(): string {
    return `${this.#metrics.flatMap((metric) => metric.render()).join('\n')}\n`;
  }
}

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** The server's metrics; sessions by state are read from the registry at scrape time. */
export function createServerMetrics(
  collectSessions: () => Array<{ labels?: Labels; value: number }>,
  capacity: () => { max: number; inUse: number },
) {
  const registry = new Registry();
  return {
    registry,
    sessions: registry.register(
      new Gauge('breakfix_sessions', 'Sessions this server runs, by state.', collectSessions),
    ),
    slots: registry.register(
      new Gauge(
        'breakfix_lab_slots',
        'Lab slots (--max-sessions): in use (sessions and gradings) and the maximum.',
        () => {
          const { max, inUse } = capacity();
          return [
            { labels: { kind: 'in_use' }, value: inUse },
            { labels: { kind: 'max' }, value: max },
          ];
        },
      ),
    ),
    checkDuration: registry.register(
      new Histogram(
        'breakfix_check_duration_seconds',
        'Duration of one check, by check type and status.',
        [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      ),
    ),
    grades: registry.register(
      new Counter(
        'breakfix_grades_total',
        'Grading rounds by outcome: passed, failed (a check did not pass) or error (grading could not run).',
      ),
    ),
    gradeDuration: registry.register(
      new Histogram(
        'breakfix_grade_duration_seconds',
        'Wall time of one grading round, upload excluded.',
        [5, 10, 20, 30, 45, 60, 90, 120, 180, 300],
      ),
    ),
    httpRequests: registry.register(
      new Counter('breakfix_http_requests_total', 'HTTP requests by method, route and status.'),
    ),
    httpDuration: registry.register(
      new Histogram(
        'breakfix_http_request_duration_seconds',
        'HTTP request duration by method and route (SSE streams excluded).',
        [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 30, 60, 120],
      ),
    ),
  };
}

export type ServerMetrics = ReturnType<typeof createServerMetrics>;
