import { z } from 'zod';
import { serviceParam } from '../params/index.js';
import { describeRange, inRange, numberRange } from '../params/range.js';
import { formatBytes } from '../util/bytes.js';
import { durationSchema, formatDuration } from '../util/duration.js';
import { defineCheck, failed, passed, type CheckContext } from './check.js';
import { formatSelector, parseSamples, PrometheusParseError, selectSamples } from './prometheus-text.js';
import { publishedUrl } from './published-url.js';
import { excerpt } from './text-match.js';
import { driveTraffic, trafficParam } from './traffic-param.js';

const params = z
  .strictObject({
    service: serviceParam,
    port: z.number().int().min(1).max(65535).optional().meta({
      description: 'Container port serving the metrics; defaults to the first published one.',
    }),
    path: z.string().startsWith('/').default('/metrics'),
    sample: z
      .string()
      .regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, 'must be a Prometheus metric name')
      .meta({ description: 'Series name, e.g. http_requests_total, or a histogram part: x_count, x_sum, x_bucket.' }),
    labels: z.record(z.string(), z.string()).default({}).meta({
      description: 'Only series with these label values (other labels are free); matching series are summed.',
    }),
    traffic: trafficParam.optional(),
    interval: durationSchema
      .optional()
      .meta({ description: 'Wait this long between the two scrapes (after the traffic, if any).' }),
    expect: z.strictObject({
      exists: z.boolean().optional().meta({ description: 'At least one matching series (false: none).' }),
      value: numberRange.optional().meta({ description: 'The sum of the matching series, on the last scrape.' }),
      increase: numberRange
        .optional()
        .meta({ description: 'Second scrape minus first (needs `traffic` or `interval`).' }),
      rate: numberRange.optional().meta({ description: 'The increase per second between the two scrapes.' }),
      belowMemoryLimit: z
        .union([z.boolean(), z.number().gt(0).max(1)])
        .optional()
        .meta({
          description:
            "true: the sum, in bytes, stays below the memory limit the service's container effectively runs with (docker inspect) — a heap or cache sized for the container, whatever its limit was set to; a container without a limit fails. A fraction (0.85): below that share of the limit, leaving room for what is not counted.",
        }),
    }),
  })
  .refine(
    (value) =>
      (value.expect.increase === undefined && value.expect.rate === undefined) ||
      value.traffic !== undefined ||
      value.interval !== undefined,
    { message: 'increase and rate compare two scrapes: give `traffic` or `interval`', path: ['expect'] },
  );

/** Why `bytes` does not fit under the service's effective memory limit (undefined when it does). */
async function aboveMemoryLimit(
  ctx: CheckContext,
  service: string,
  bytes: number,
  share: number,
): Promise<string | undefined> {
  const state = await ctx.runtime.inspectContainer(ctx.service(service).container);
  const limit = state?.memoryBytes ?? 0;
  if (limit === 0) return `the container's memory limit, got ${formatNumber(bytes)} and a container without a limit`;
  if (bytes < limit * share) return undefined;
  const of = share === 1 ? '' : `${Math.round(share * 100)} % of `;
  return `${of}the container's memory limit (${formatBytes(limit)}), got ${formatNumber(bytes)} (${formatBytes(bytes)})`;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(4).replace(/\.?0+$/, '');
}

type Scrape = { ok: true; sum: number; series: number; at: number; text: string } | { ok: false; message: string };

async function scrape(ctx: CheckContext, url: string, what: string, name: string, labels: Record<string, string>) {
  let response: Response;
  try {
    response = await fetch(url, { signal: ctx.signal, redirect: 'manual' });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = ctx.signal.aborted ? 'no answer before the timeout' : (cause?.code ?? (error as Error).message);
    return { ok: false, message: `${what}: expected an HTTP answer, got ${reason}` } satisfies Scrape;
  }
  const text = await response.text();
  const at = performance.now();
  if (response.status !== 200)
    return { ok: false, message: `${what}: expected status 200, got ${response.status}` } satisfies Scrape;
  try {
    const matching = selectSamples(parseSamples(text), name, labels);
    const sum = matching.reduce((total, sample) => total + sample.value, 0);
    return { ok: true, sum, series: matching.length, at, text } satisfies Scrape;
  } catch (error) {
    if (!(error instanceof PrometheusParseError)) throw error;
    return {
      ok: false,
      message: `${what}: expected the Prometheus text format, got ${error.message}`,
    } satisfies Scrape;
  }
}

export const metricsCheck = defineCheck({
  type: 'metrics',
  summary:
    'Scrape a Prometheus endpoint through its published port: a sample, or its increase or rate between two scrapes.',
  params,
  services: (value) => [value.service, ...(value.traffic?.service ? [value.traffic.service] : [])],
  exclusive: (value) => value.traffic !== undefined,
  async run(ctx, p) {
    const target = await publishedUrl(ctx, p.service, p.port);
    if (!target.ok) return failed(target.message);
    const what = `GET ${target.label}${p.path}`;
    const selector = formatSelector(p.sample, p.labels);
    const twoScrapes = p.traffic !== undefined || p.interval !== undefined;

    const first = twoScrapes ? await scrape(ctx, `${target.base}${p.path}`, what, p.sample, p.labels) : undefined;
    if (first && !first.ok) return failed(first.message);
    let trafficNote = '';
    const evidenceLines: string[] = [];
    if (p.traffic) {
      const traffic = await driveTraffic(ctx, p.traffic, p.service);
      if (!traffic.ok) return failed(`traffic before the second scrape: ${traffic.message}`);
      trafficNote = ` while ${traffic.label} were sent`;
      evidenceLines.push(`traffic: ${traffic.label}: ${traffic.evidence}`);
    }
    if (p.interval !== undefined) {
      await new Promise((resolve) => setTimeout(resolve, p.interval));
      trafficNote += `${trafficNote ? ' and' : ''} over ${formatDuration(p.interval)}`;
    }
    const last = await scrape(ctx, `${target.base}${p.path}`, what, p.sample, p.labels);
    if (!last.ok) return failed(last.message, evidenceLines.join('\n') || undefined);

    const matching = parseSamples(last.text).filter((sample) => sample.name === p.sample);
    evidenceLines.push(
      `${selector}: ${last.series} matching series, sum ${formatNumber(last.sum)}` +
        (first?.ok ? ` (first scrape ${formatNumber(first.sum)})` : ''),
      ...matching.slice(0, 8).map((sample) => `  ${formatSelector(sample.name, sample.labels)} ${sample.value}`),
    );
    const evidence = evidenceLines.join('\n');
    const expect = p.expect;

    if (expect.exists !== undefined && last.series > 0 !== expect.exists) {
      return failed(
        expect.exists
          ? `${what}: expected a series ${selector}, got none (${excerpt(
              [...new Set(parseSamples(last.text).map((sample) => sample.name))].join(', '),
              200,
            )})`
          : `${what}: expected no series ${selector}, got ${last.series}`,
        evidence,
      );
    }
    // true is the whole limit, a number a share of it, false or nothing no comparison.
    const memoryShare = expect.belowMemoryLimit === true ? 1 : expect.belowMemoryLimit || undefined;
    const needsSeries =
      expect.value !== undefined ||
      expect.increase !== undefined ||
      expect.rate !== undefined ||
      memoryShare !== undefined;
    if (needsSeries && last.series === 0) return failed(`${what}: expected a series ${selector}, got none`, evidence);
    if (expect.value !== undefined && !inRange(last.sum, expect.value)) {
      return failed(
        `${what}: expected ${selector} ${describeRange(expect.value)}, got ${formatNumber(last.sum)}`,
        evidence,
      );
    }
    if (memoryShare !== undefined) {
      const why = await aboveMemoryLimit(ctx, p.service, last.sum, memoryShare);
      if (why) return failed(`${what}: expected ${selector} below ${why}`, evidence);
    }
    if (first?.ok && (expect.increase !== undefined || expect.rate !== undefined)) {
      const increase = last.sum - first.sum;
      if (increase < 0)
        return failed(
          `${what}: expected ${selector} to count up${trafficNote}, got it going down from ${formatNumber(first.sum)} to ${formatNumber(last.sum)} (did the process restart?)`,
          evidence,
        );
      if (expect.increase !== undefined && !inRange(increase, expect.increase)) {
        return failed(
          `${what}: expected ${selector} to increase by ${describeRange(expect.increase)}${trafficNote}, got +${formatNumber(increase)}`,
          evidence,
        );
      }
      const seconds = Math.max(0.001, (last.at - first.at) / 1000);
      const rate = increase / seconds;
      if (expect.rate !== undefined && !inRange(rate, expect.rate)) {
        return failed(
          `${what}: expected ${selector} to grow ${describeRange(expect.rate)} per second${trafficNote}, got ${formatNumber(rate)}/s`,
          evidence,
        );
      }
      return passed(`${what}: ${selector} +${formatNumber(increase)}${trafficNote}`, evidence);
    }
    return passed(`${what}: ${selector} = ${formatNumber(last.sum)}`, evidence);
  },
});
