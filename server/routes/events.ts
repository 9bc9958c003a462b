/**
 * `GET /v1/sessions/{id}/events`: Server-Sent Events of one session.
 *
 *   event: session    the session as GET /v1/sessions/{id} shows it, sent first (current state)
 *   event: state      {id, state, attempts?, release?, hintsUnlocked?, lastFailure?, error?}
 *   event: progress   build steps and output lines, service status while deploying
 *   event: fault      {phase, fault, description} as the scenario breaks the lab
 *   event: symptom    {index, status, message, durationMs} while the symptoms are confirmed
 *   event: report     a check round's report (the Report schema)
 *   event: release    {number, kind, at, restores?, note?} after an apply or rollback
 *   event: end        {reason: deleted | shutdown, id}; the stream closes after it
 *   : heartbeat       a comment line every `heartbeatMs`, so proxies keep the stream open
 *
 * Every event has an `id:`; reconnecting with `Last-Event-ID` replays what was missed when it
 * is still buffered, and otherwise starts again with a `session` event.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import type { HubEvent } from '../events.js';
import { createRouter, errorResponses, security } from '../router.js';
import { SessionIdParams } from '../schemas.js';

export function eventRoutes() {
  const app = createRouter();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/sessions/{id}/events',
      summary: 'Follow a session (Server-Sent Events)',
      description:
        'Events: session (current state, first), state, progress, fault, symptom, report, release, end. Heartbeat comments keep the stream open. Supports Last-Event-ID.',
      security,
      request: {
        params: SessionIdParams,
        headers: z.object({ 'last-event-id': z.string().regex(/^\d+$/).optional() }),
      },
      responses: {
        200: { description: 'An event stream.', content: { 'text/event-stream': { schema: z.string() } } },
        ...errorResponses(400, 401, 404),
      },
    }),
    (c) => {
      const { id } = c.req.valid('param');
      const lastEventId = c.req.valid('header')['last-event-id'];
      const { registry, heartbeatMs, closing } = c.var.services;
      const entry = registry.get(id);
      const hub = entry.hub;

      return streamSSE(c, async (stream) => {
        const queue: HubEvent[] = [];
        let wake: (() => void) | undefined;
        const nudge = () => {
          const resolve = wake;
          wake = undefined;
          resolve?.();
        };
        const unsubscribe = hub.subscribe((event) => {
          queue.push(event);
          nudge();
        });
        let done = false;
        const finish = () => {
          done = true;
          nudge();
        };
        stream.onAbort(finish);
        closing.addEventListener('abort', finish, { once: true });
        const send = (event: HubEvent) =>
          stream.writeSSE({ event: event.event, id: String(event.id), data: JSON.stringify(event.data) });

        try {
          const missed = lastEventId !== undefined ? hub.since(Number(lastEventId)) : undefined;
          if (missed) {
            const last = missed.at(-1)?.id ?? Number(lastEventId);
            for (const event of missed) await send(event);
            queue.splice(0, queue.length, ...queue.filter((event) => event.id > last));
          } else {
            const snapshotId = hub.lastId;
            const session = await registry.describe(id).catch(() => undefined);
            await stream.writeSSE({
              event: 'session',
              id: String(snapshotId),
              data: JSON.stringify(
                session ?? { id, state: entry.state, ...(entry.error ? { error: { message: entry.error } } : {}) },
              ),
            });
            queue.splice(0, queue.length, ...queue.filter((event) => event.id > snapshotId));
          }
          if (hub.ended !== undefined && !queue.some((event) => event.event === 'end')) {
            await stream.writeSSE({
              event: 'end',
              id: String(hub.lastId),
              data: JSON.stringify({ reason: hub.ended, id }),
            });
            return;
          }
          while (!done) {
            const next = queue.shift();
            if (next) {
              await send(next);
              if (next.event === 'end') return;
              continue;
            }
            let timer: NodeJS.Timeout | undefined;
            const beat = await new Promise<boolean>((resolve) => {
              wake = () => resolve(false);
              timer = setTimeout(() => resolve(true), heartbeatMs);
            });
            clearTimeout(timer);
            if (beat && !done) await stream.write(`: heartbeat ${new Date().toISOString()}\n\n`);
          }
          if (closing.aborted)
            await stream
              .writeSSE({ event: 'end', id: String(hub.lastId), data: JSON.stringify({ reason: 'shutdown', id }) })
              .catch(() => undefined);
        } finally {
          unsubscribe();
          closing.removeEventListener('abort', finish);
        }
      });
    },
  );
  return app;
}
