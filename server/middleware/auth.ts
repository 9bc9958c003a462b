/**
 * Bearer-token authentication for everything but the paths in `open` (GET /healthz). The token
 * is compared in constant time (hashes of equal length); it is never logged or echoed.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** A constant-time check of a presented token (hashes of equal length), shared with the dashboard sign-in. */
export function tokenChecker(token: string): (candidate: string) => boolean {
  if (token.length === 0) throw new Error('a token check needs a non-empty token');
  const expected = digest(token);
  return (candidate) => timingSafeEqual(digest(candidate), expected);
}

/** The token of an `Authorization: Bearer <token>` header, if it has that form. */
export function bearerTokenOf(header: string | undefined): string | undefined {
  return header ? /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header)?.[1] : undefined;
}

export function bearerAuth(
  token: string,
  open: ReadonlyArray<{ method: string; path: string }> = [],
): MiddlewareHandler {
  const matches = tokenChecker(token);
  return async (c, next) => {
    if (open.some((route) => route.method === c.req.method && route.path === c.req.path)) return next();
    const header = c.req.header('authorization');
    const presented = bearerTokenOf(header);
    if (presented === undefined || !matches(presented)) {
      throw new ApiError(
        401,
        'unauthorized',
        header ? 'the bearer token is not valid' : 'this route needs a bearer token',
        'send `Authorization: Bearer <token>` with the token from BREAKFIX_TOKEN (or the one `breakfix serve` printed)',
        {
          'WWW-Authenticate': `Bearer realm="breakfix"${header ? ', error="invalid_token"' : ''}`,
        },
      );
    }
    return next();
  };
}
