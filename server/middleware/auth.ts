/**
 * Bearer-token authentication for everything but the paths in `open` (GET /healthz). The token
 * is compared in constant time (hashes of equal length); it is never logged or echoed.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

export function bearerAuth(
  token: string,
  open: ReadonlyArray<{ method: string; path: string }> = [],
): MiddlewareHandler {
  if (token.length === 0) throw new Error('bearerAuth needs a non-empty token');
  const expected = digest(token);
  return async (c, next) => {
    if (open.some((route) => route.method === c.req.method && route.path === c.req.path)) return next();
    const header = c.req.header('authorization');
    const match = header ? /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header) : null;
    if (!match || !timingSafeEqual(digest(match[1]!), expected)) {
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
