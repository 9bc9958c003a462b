/**
 * The instructor dashboard (`GET /dashboard`): who is working on what, live. A page for people,
 * not part of the JSON API, so not in /openapi.json.
 *
 *   GET  /dashboard               signed in: the live view; otherwise the sign-in form (no data).
 *                                 `?token=` signs in and redirects (303) to /dashboard, so the
 *                                 token leaves the address bar and the history
 *   POST /dashboard/login         the form: a valid token sets the cookie and redirects; else 401
 *   POST /dashboard/logout        clears the cookie
 *   GET  /dashboard/events        Server-Sent Events: `snapshot` first ({serverTime, sessions,
 *                                 gradings}), then `session`, `removed`, `grading`; 401 unless signed in
 *   GET  /dashboard/state         the snapshot as JSON (scripts, curl with the bearer header)
 *   GET  /dashboard/assets/NAME   the page's own script, stylesheet and icon (no data, no sign-in)
 *
 * Every response carries the strict CSP of middleware/secure-page.ts; form posts are checked
 * for a same-origin Origin (hono's csrf middleware) on top of the SameSite=Strict cookie.
 */
import type { MiddlewareHandler } from 'hono';
import { csrf } from 'hono/csrf';
import { streamSSE } from 'hono/streaming';
import type { AppEnv } from '../context.js';
import { DASHBOARD_ASSETS, readDashboardAsset } from '../dashboard/assets.js';
import { dashboardPage, signInPage } from '../dashboard/page.js';
import type { HubEvent } from '../events.js';
import { securePage } from '../middleware/secure-page.js';
import { createRouter } from '../router.js';

const signedIn: MiddlewareHandler<AppEnv> = (c, next) => c.var.services.dashboard.auth.require(c, next);

export function dashboardRoutes() {
  const app = createRouter();
  app.use('/dashboard', securePage());
  app.use('/dashboard/*', securePage());
  app.use('/dashboard/*', csrf());

  app.get('/dashboard', async (c) => {
    const { dashboard, version } = c.var.services;
    const token = c.req.query('token');
    if (token !== undefined) {
      if (!dashboard.auth.tokenMatches(token))
        return c.html(signInPage({ error: 'That token is not valid for this server.', version }), 401);
      await dashboard.auth.signIn(c);
      return c.redirect('/dashboard', 303);
    }
    if (!(await dashboard.auth.isSignedIn(c))) return c.html(signInPage({ version }), 200);
    return c.html(dashboardPage({ version }), 200);
  });

  app.post('/dashboard/login', async (c) => {
    const { dashboard, version } = c.var.services;
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const token = typeof form.token === 'string' ? form.token.trim() : '';
    if (token === '' || !dashboard.auth.tokenMatches(token))
      return c.html(signInPage({ error: 'That token is not valid for this server.', version }), 401);
    await dashboard.auth.signIn(c);
    return c.redirect('/dashboard', 303);
  });

  app.post('/dashboard/logout', (c) => {
    c.var.services.dashboard.auth.signOut(c);
    return c.redirect('/dashboard', 303);
  });

  app.get('/dashboard/assets/:name', async (c) => {
    const name = c.req.param('name');
    const body = await readDashboardAsset(name)?.catch(() => undefined);
    if (!body) return c.text('not found', 404);
    return c.body(new Uint8Array(body), 200, {
      'Content-Type': DASHBOARD_ASSETS[name]!,
      'Cache-Control': 'no-cache',
    });
  });

  app.get('/dashboard/state', signedIn, (c) => c.json(c.var.services.dashboard.feed.snapshot(), 200));

  app.get('/dashboard/events', signedIn, (c) => {
    const { dashboard, heartbeatMs, closing } = c.var.services;
    const { feed } = dashboard;
    return streamSSE(c, async (stream) => {
      const queue: HubEvent[] = [];
      let wake: (() => void) | undefined;
      const nudge = () => {
        const resolve = wake;
        wake = undefined;
        resolve?.();
      };
      const unsubscribe = feed.hub.subscribe((event) => {
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
      dashboard.viewers += 1;
      try {
        // The snapshot is the state as of its id; only later events follow it.
        const snapshotId = feed.hub.lastId;
        await stream.writeSSE({ event: 'snapshot', id: String(snapshotId), data: JSON.stringify(feed.snapshot()) });
        queue.splice(0, queue.length, ...queue.filter((event) => event.id > snapshotId));
        while (!done) {
          const next = queue.shift();
          if (next) {
            await stream.writeSSE({ event: next.event, id: String(next.id), data: JSON.stringify(next.data) });
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
          await stream.writeSSE({ event: 'end', data: JSON.stringify({ reason: 'shutdown' }) }).catch(() => undefined);
      } finally {
        dashboard.viewers -= 1;
        unsubscribe();
        closing.removeEventListener('abort', finish);
      }
    });
  });

  return app;
}
