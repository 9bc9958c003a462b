/**
 * Traffic a check drives while it watches something else: `metrics` between two scrapes,
 * `redis-info` between two INFO readings. The same request shape as the `load` check.
 */
import { z } from 'zod';
import { portParam, serviceParam } from '../params/index.js';
import { durationSchema } from '../util/duration.js';
import type { CheckContext } from './check.js';
import { describeLoad, generateLoad } from './load-generator.js';
import { publishedUrl } from './published-url.js';

export const httpMethod = z.enum(['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'PATCH']);

/** The request a load is made of; `load` spreads these fields, `traffic` wraps them. */
export const loadShape = {
  port: portParam.optional().meta({ description: 'Container port; defaults to the first published one.' }),
  path: z.string().startsWith('/').default('/').meta({
    description:
      "`{n}` in it is replaced by each request's number (1, 2, …): a different URL per request, e.g. `/orders/9000{n}`.",
  }),
  method: httpMethod.default('GET'),
  headers: z.record(z.string(), z.string()).default({}),
  body: z.union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())]).optional(),
  requests: z.number().int().min(1).max(20_000).meta({ description: 'How many requests in all (N).' }),
  concurrency: z
    .number()
    .int()
    .min(1)
    .max(256)
    .default(4)
    .meta({ description: 'How many requests at once (C), over keep-alive connections.' }),
  requestTimeout: durationSchema
    // The load generator (autocannon) times requests out at one second or more.
    .refine((ms) => ms >= 1000, 'must be at least 1s')
    .default(5000)
    .meta({ description: 'A request without a complete answer within this long counts as a timeout.' }),
};

export const trafficParam = z
  .strictObject({
    service: serviceParam.optional().meta({ description: "The service to send requests to; default: the check's." }),
    ...loadShape,
  })
  .meta({ description: 'Requests sent between the two readings, through the published port.' });

export type TrafficParam = z.output<typeof trafficParam>;

/** The body as sent, and the content type a JSON body implies. */
export function encodeBody(body: unknown): { body?: string; headers: Record<string, string> } {
  if (body === undefined) return { headers: {} };
  if (typeof body === 'string') return { body, headers: {} };
  return { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
}

/** Sends the traffic through the service's published port; its label and load summary for the report. */
export async function driveTraffic(ctx: CheckContext, traffic: TrafficParam, fallbackService: string) {
  const service = traffic.service ?? fallbackService;
  const target = await publishedUrl(ctx, service, traffic.port);
  if (!target.ok) return { ok: false as const, message: target.message };
  const encoded = encodeBody(traffic.body);
  const stats = await generateLoad({
    url: `${target.base}${traffic.path}`,
    method: traffic.method,
    headers: { ...encoded.headers, ...traffic.headers },
    ...(encoded.body !== undefined ? { body: encoded.body } : {}),
    requests: traffic.requests,
    concurrency: traffic.concurrency,
    requestTimeoutMs: traffic.requestTimeout,
    signal: ctx.signal,
  });
  return {
    ok: true as const,
    label: `${traffic.requests} × ${traffic.method} ${target.label}${traffic.path}`,
    evidence: describeLoad(stats),
  };
}
