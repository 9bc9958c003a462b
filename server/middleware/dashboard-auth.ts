/**
 * Sign-in for the instructor dashboard. A browser cannot send a bearer header with a page load
 * or an EventSource, so the token is presented once — in the sign-in form, or as `?token=` in a
 * link — and exchanged for a cookie:
 *
 *   breakfix_dashboard=<expiry, HMAC-signed>; Path=/dashboard; HttpOnly; SameSite=Strict; Max-Age=43200
 *
 * HttpOnly keeps it from scripts, SameSite=Strict from other sites' requests, Path from the API
 * (which still wants the bearer header). The signing key is derived from the token, so changing
 * BREAKFIX_TOKEN signs everyone out; nothing is stored server-side. Dashboard data routes also
 * accept the bearer header (curl).
 */
import { createHash } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import { ApiError } from '../errors.js';
import { bearerTokenOf, tokenChecker } from './auth.js';

export const DASHBOARD_COOKIE = 'breakfix_dashboard';
export const DASHBOARD_PATH = '/dashboard';
/** How long a sign-in lasts (a teaching day). */
export const DASHBOARD_SIGN_IN_MS = 12 * 60 * 60 * 1000;

export interface DashboardAuth {
  /** Constant-time comparison with the server's token. */
  tokenMatches(candidate: string): boolean;
  /** Sets the signed cookie. */
  signIn(c: Context): Promise<void>;
  signOut(c: Context): void;
  /** A valid, unexpired cookie, or the bearer header. */
  isSignedIn(c: Context): Promise<boolean>;
  /** 401 (no data) unless signed in. */
  require: MiddlewareHandler;
}

export function dashboardAuth(token: string, now: () => number = Date.now): DashboardAuth {
  const tokenMatches = tokenChecker(token);
  const secret = createHash('sha256').update(`breakfix dashboard cookie\0${token}`).digest('hex');
  const cookieOptions = (c: Context) => ({
    path: DASHBOARD_PATH,
    httpOnly: true,
    sameSite: 'Strict' as const,
    secure: new URL(c.req.url).protocol === 'https:',
  });
  const isSignedIn = async (c: Context) => {
    const bearer = bearerTokenOf(c.req.header('authorization'));
    if (bearer !== undefined) return tokenMatches(bearer);
    const value = await getSignedCookie(c, secret, DASHBOARD_COOKIE);
    return typeof value === 'string' && /^\d+$/.test(value) && Number(value) > now();
  };
  return {
    tokenMatches,
    async signIn(c) {
      await setSignedCookie(c, DASHBOARD_COOKIE, String(now() + DASHBOARD_SIGN_IN_MS), secret, {
        ...cookieOptions(c),
        maxAge: DASHBOARD_SIGN_IN_MS / 1000,
      });
    },
    signOut(c) {
      deleteCookie(c, DASHBOARD_COOKIE, cookieOptions(c));
    },
    isSignedIn,
    require: async (c, next) => {
      if (!(await isSignedIn(c)))
        throw new ApiError(
          401,
          'unauthorized',
          'sign in to the dashboard first',
          `open ${DASHBOARD_PATH} and enter the token, or send \`Authorization: Bearer <token>\``,
        );
      await next();
    },
  };
}
