/**
 * N HTTP requests at concurrency C against one URL, with autocannon (keep-alive connections,
 * an exact request count, per-request timeouts), counted the way the `load` check judges them:
 * status counts, transport errors and timeouts, and the latency of every answered request.
 *
 * autocannon's own summary reports p50/p90/p97.5/p99 but not p95, so every answered request's
 * latency is kept (N is at most a few thousand) and the percentile is computed here.
 */
import type autocannon from 'autocannon';

export interface LoadRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  requests: number;
  concurrency: number;
  /** A request with no complete answer within this long counts as a timeout. */
  requestTimeoutMs: number;
  signal?: AbortSignal;
  /**
   * Asked after every answer or error: true once the verdict can no longer change (enough
   * failures that the wanted ratio is out of reach). The rest of the requests are not sent —
   * on a lab whose requests each wait out a timeout, they would only cost time.
   */
  decided?: (progress: LoadProgress) => boolean;
}

/** What came back so far. */
export interface LoadProgress {
  statusCounts: Readonly<Record<string, number>>;
  /** Requests without an HTTP answer, timeouts included. */
  errors: number;
}

export interface LoadStats {
  /** Requests that got an HTTP answer. */
  answered: number;
  /** By status code, e.g. { "200": 97, "503": 3 }. */
  statusCounts: Record<string, number>;
  /** No HTTP answer: refused, reset or closed connections, and timeouts. */
  errors: number;
  timeouts: number;
  /** First transport error, as evidence ("ECONNREFUSED", "timeout"). */
  firstError?: string;
  /** Latency percentiles of the answered requests, in milliseconds (undefined when none answered). */
  p50Ms?: number;
  p95Ms?: number;
  maxMs?: number;
  durationMs: number;
  /** Set when the load stopped before all N requests were answered, because the verdict was decided. */
  stoppedAfter?: number;
}

/** Replaced in a load's path by each request's number. */
export const SEQUENCE = '{n}';

/** The value at `fraction` (0–1) of ascending `sorted`, nearest-rank method. */
export function percentile(sorted: readonly number[], fraction: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(fraction * sorted.length)));
  return sorted[rank - 1];
}

function describeError(error: unknown): string {
  const code = (error as { code?: string } | undefined)?.code;
  if (code) return code;
  const message = error instanceof Error ? error.message : String(error);
  return /time(d)?\s?out/i.test(message) ? 'timeout' : message;
}

export async function generateLoad(request: LoadRequest): Promise<LoadStats> {
  // Loaded on first use: validate, list and --help never pay for autocannon.
  const { default: run } = (await import('autocannon')) as unknown as { default: typeof autocannon };
  const latencies: number[] = [];
  const statusCounts: Record<string, number> = {};
  let errors = 0;
  let timeouts = 0;
  let firstError: string | undefined;
  const started = performance.now();

  let stop = (): void => undefined;
  // autocannon acts on stop() at its next one-second tick; answers that arrive until then still
  // count, which cannot undo a decided verdict (every bound it decides on only grows).
  let decided = false;
  const progressed = (): void => {
    if (decided || !request.decided) return;
    decided = request.decided({ statusCounts, errors: errors + timeouts });
    if (decided) stop();
  };
  // `{n}` in the path: each request gets its own number, a different URL per request (as many
  // customers type different order numbers); a cache in front of one URL cannot answer them all.
  const origin = new URL(request.url).origin;
  const pathTemplate = request.url.slice(origin.length) || '/';
  let sequence = 0;
  const numbered = pathTemplate.includes(SEQUENCE)
    ? {
        requests: [
          {
            setupRequest: (req: autocannon.Request): autocannon.Request => ({
              ...req,
              path: pathTemplate.replaceAll(SEQUENCE, String((sequence += 1))),
            }),
          },
        ],
      }
    : {};
  // One autocannon run sends `amount` requests. A server that closes the connection after each
  // answer (HTTP/1.0, `Connection: close`, nginx's `keepalive_timeout 0`) loses the request
  // autocannon wrote to that connection before it saw the close: autocannon counts it as sent,
  // yet it never reaches the server and raises no error. So the requests that got neither an
  // answer nor an error are sent again, in further runs, until every one is accounted for (or a
  // run makes no progress: then they count as errors, never as silently missing).
  const runRound = (amount: number): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const instance = run(
        {
          url: numbered.requests ? origin : request.url,
          ...numbered,
          method: request.method as autocannon.Request['method'],
          headers: request.headers,
          ...(request.body !== undefined ? { body: request.body } : {}),
          connections: Math.max(1, Math.min(request.concurrency, amount)),
          amount,
          // Seconds, fractions kept: rounded up, a 1.5 s timeout became 2 s and a request of 1.8 s
          // counted as answered (autocannon refuses less than one second; the schema does too).
          timeout: Math.max(1, request.requestTimeoutMs / 1000),
          // Keep-alive like a real client pool, one request per connection at a time.
          pipelining: 1,
        },
        (error) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve()),
      );
      instance.on('response', (_client, statusCode, _bytes, responseTime) => {
        latencies.push(responseTime);
        const key = String(statusCode);
        statusCounts[key] = (statusCounts[key] ?? 0) + 1;
        progressed();
      });
      instance.on('reqError', (error: unknown) => {
        const reason = describeError(error);
        if (reason === 'timeout') timeouts += 1;
        else errors += 1;
        firstError ??= reason;
        progressed();
      });
      stop = () => instance.stop();
      if (request.signal?.aborted) stop();
    });
  const accounted = (): number => latencies.length + errors + timeouts;
  const onAbort = (): void => stop();
  request.signal?.addEventListener('abort', onAbort, { once: true });
  const aborted = (): boolean => request.signal?.aborted === true;
  try {
    for (;;) {
      const before = accounted();
      await runRound(request.requests - before);
      const missing = request.requests - accounted();
      if (decided || aborted() || missing <= 0) break;
      if (accounted() === before) {
        errors += missing;
        firstError ??= 'no answer (the connection closed)';
        break;
      }
    }
  } finally {
    request.signal?.removeEventListener('abort', onAbort);
  }

  latencies.sort((a, b) => a - b);
  const stats: LoadStats = {
    answered: latencies.length,
    statusCounts,
    errors: errors + timeouts,
    timeouts,
    durationMs: performance.now() - started,
  };
  if (firstError !== undefined) stats.firstError = firstError;
  const finished = latencies.length + errors + timeouts;
  if (decided && finished < request.requests) stats.stoppedAfter = finished;
  const p50 = percentile(latencies, 0.5);
  const p95 = percentile(latencies, 0.95);
  if (p50 !== undefined) stats.p50Ms = p50;
  if (p95 !== undefined) stats.p95Ms = p95;
  if (latencies.length > 0) stats.maxMs = latencies[latencies.length - 1];
  return stats;
}

/** One line of evidence: "200 ×97, 503 ×3, 2 errors (ECONNRESET); p95 41ms in 1.2s". */
export function describeLoad(stats: LoadStats): string {
  const statuses = Object.entries(stats.statusCounts)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([status, count]) => `${status} ×${count}`);
  if (stats.errors > 0)
    statuses.push(`${stats.errors} without an answer${stats.firstError ? ` (${stats.firstError})` : ''}`);
  const latency = stats.p95Ms !== undefined ? `; p95 ${Math.round(stats.p95Ms)}ms` : '';
  const stopped =
    stats.stoppedAfter !== undefined
      ? `; stopped after ${stats.stoppedAfter} (the rest could not change the verdict)`
      : '';
  return `${statuses.join(', ') || 'no request sent'}${latency} in ${(stats.durationMs / 1000).toFixed(1)}s${stopped}`;
}
