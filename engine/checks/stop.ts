/**
 * Stops a service the way a deploy does — its stop signal (SIGTERM unless the image or compose
 * says otherwise), then SIGKILL once the grace period runs out — while requests are in flight,
 * and judges what users saw: did every request in flight get its answer, did the process exit
 * by itself (exit code), and how long did the stop take. Then it starts the container again and
 * waits for it to be back (running, and healthy when it has a healthcheck), so the lab is left as
 * it was found: the check restores what it perturbs.
 *
 * A request is "in flight" by construction, not by luck: its body is sent in two halves, the
 * second one `sendFor` after the first, and the stop comes in between.
 */
import http from 'node:http';
import { z } from 'zod';
import { portParam, serviceParam } from '../params/index.js';
import { durationSchema, formatDuration } from '../util/duration.js';
import { defineCheck, failed, passed, type CheckContext } from './check.js';
import { publishedUrl } from './published-url.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Answer = { status: number } | { error: string };

/** One request whose body takes `sendForMs` to arrive. */
function slowRequest(url: string, method: string, body: string, sendForMs: number, timeoutMs: number): Promise<Answer> {
  return new Promise((resolve) => {
    const half = Math.max(1, Math.floor(body.length / 2));
    const request = http.request(url, {
      method,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), connection: 'close' },
      timeout: timeoutMs,
    });
    request.on('response', (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0 }));
      response.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    });
    request.on('timeout', () => request.destroy(Object.assign(new Error('timeout'), { code: 'timeout' })));
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    request.write(body.slice(0, half));
    setTimeout(() => request.end(body.slice(half)), sendForMs);
  });
}

async function waitUntilBack(ctx: CheckContext, container: string, withinMs: number): Promise<string | undefined> {
  const deadline = Date.now() + withinMs;
  let last = 'not inspected';
  while (Date.now() < deadline) {
    const state = await ctx.runtime.inspectContainer(container);
    if (state?.running && (state.health === 'none' || state.health === 'healthy')) return undefined;
    last = state ? `${state.status}${state.health !== 'none' ? `, ${state.health}` : ''}` : 'gone';
    await sleep(250);
  }
  return last;
}

export const stopCheck = defineCheck({
  type: 'stop',
  summary:
    'Stop a service as a deploy does (stop signal, SIGKILL after the grace period) while requests are in flight: answers, exit code, stop time; then start it again.',
  params: z.strictObject({
    service: serviceParam,
    port: portParam.optional().meta({ description: 'Container port; defaults to the first published one.' }),
    inFlight: z
      .strictObject({
        path: z.string().startsWith('/'),
        method: z.enum(['POST', 'PUT', 'PATCH']).default('POST'),
        body: z.union([z.string(), z.record(z.string(), z.unknown())]),
        requests: z.number().int().min(1).max(20).default(3),
        sendFor: durationSchema
          .default(1500)
          .meta({ description: 'The body arrives in two halves this far apart; the stop comes in between.' }),
      })
      .meta({ description: 'Requests in flight when the stop signal arrives.' }),
    grace: durationSchema.optional().meta({
      description:
        "How long the stop waits for the process before SIGKILL, like `docker stop -t`. Default: the service's own grace period (`stop_grace_period`), as a deploy stops it, else Docker's 10 s.",
    }),
    backWithin: durationSchema
      .default(60_000)
      .meta({ description: 'The container is started again and must be running (and healthy) within this.' }),
    expect: z
      .strictObject({
        exitCode: z.number().int().optional().meta({ description: 'e.g. 0: the process exited by itself.' }),
        within: durationSchema.optional().meta({ description: 'The stop took at most this long.' }),
        answered: z
          .boolean()
          .default(true)
          .meta({ description: 'Every request in flight got a success answer (2xx), none was cut off.' }),
      })
      .default({ answered: true }),
  }),
  services: (params) => [params.service],
  exclusive: true,
  async run(ctx, params) {
    const name = params.service;
    const container = ctx.service(name).container;
    const before = await ctx.runtime.inspectContainer(container);
    if (!before?.running)
      return failed(`${name}: expected a running container to stop, got ${before?.status ?? 'none'}`);
    // A deploy stops the service with its own grace period, so a fix that shortens it is judged
    // with the SIGKILL it would really get.
    const grace = params.grace ?? (before.stopTimeoutSeconds ?? 10) * 1000;
    const target = await publishedUrl(ctx, name, params.port);
    if (!target.ok) return failed(target.message);
    const body = typeof params.inFlight.body === 'string' ? params.inFlight.body : JSON.stringify(params.inFlight.body);
    const url = `${target.base}${params.inFlight.path}`;
    const answers = Array.from({ length: params.inFlight.requests }, () =>
      slowRequest(url, params.inFlight.method, body, params.inFlight.sendFor, grace + params.inFlight.sendFor + 5000),
    );
    // Let the connections be accepted and the first halves arrive before the signal.
    await sleep(Math.min(400, params.inFlight.sendFor / 3));
    const started = performance.now();
    let stopError: string | undefined;
    try {
      await ctx.runtime.stopContainer(container, Math.ceil(grace / 1000));
    } catch (error) {
      stopError = error instanceof Error ? error.message : String(error);
    }
    const stopMs = performance.now() - started;
    const results = await Promise.all(answers);
    const after = await ctx.runtime.inspectContainer(container);
    const stillDown = await (async () => {
      await ctx.runtime.startContainer(container);
      return waitUntilBack(ctx, container, params.backWithin);
    })().catch((error: unknown) => (error instanceof Error ? error.message : String(error)));

    const summary = results.map((answer) => ('status' in answer ? String(answer.status) : answer.error)).join(', ');
    const exit = after && !after.running ? after.exitCode : undefined;
    const evidence =
      `stop took ${formatDuration(stopMs)}, exit code ${exit ?? 'none'}${after?.oomKilled ? ' (OOM-killed)' : ''}; ` +
      `in-flight ${params.inFlight.method} ${target.label}${params.inFlight.path}: ${summary}` +
      (stillDown ? `\nnot back after ${formatDuration(params.backWithin)}: ${stillDown}` : '');
    if (stopError) return failed(`${name}: expected to stop, got ${stopError}`, evidence);
    const what = `${name} stopped with ${params.inFlight.requests} request(s) in flight`;
    const cut = results.filter((answer) => !('status' in answer) || answer.status < 200 || answer.status > 299);
    if (params.expect.exitCode !== undefined && exit !== params.expect.exitCode) {
      const killed = exit === 137 ? ' (killed when the grace period ran out)' : '';
      return failed(
        `${what}: expected exit code ${params.expect.exitCode}, got ${exit ?? 'still running'}${killed} after ${formatDuration(stopMs)}`,
        evidence,
      );
    }
    if (params.expect.answered && cut.length > 0)
      return failed(
        `${what}: expected every request answered, got ${cut.length} cut off or failed (${summary})`,
        evidence,
      );
    if (params.expect.within !== undefined && stopMs > params.expect.within)
      return failed(
        `${what}: expected the stop within ${formatDuration(params.expect.within)}, got ${formatDuration(stopMs)}`,
        evidence,
      );
    if (stillDown) return failed(`${name}: expected to come back after the stop, got ${stillDown}`, evidence);
    return passed(`${what}: stopped in ${formatDuration(stopMs)}, exit code ${exit}, answers ${summary}`, evidence);
  },
});
