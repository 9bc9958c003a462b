/**
 * Errors in the API's one shape, `{error: {code, message, hint?}}`: thrown errors (app.onError),
 * unknown routes (app.notFound) and failed zod validation (the routers' defaultHook).
 */
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { BreakfixError } from '../../engine/index.js';
import { ApiError, errorBody, toApiError } from '../errors.js';

export function errorResponse(c: Context, error: ApiError) {
  for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
  return c.json(errorBody(error), error.status);
}

export function onError(log: (message: string, fields?: Record<string, unknown>) => void): ErrorHandler {
  return (error, c) => {
    const api = toApiError(error);
    if (api.status >= 500 && !(error instanceof ApiError) && !(error instanceof BreakfixError)) {
      log('unexpected error', {
        method: c.req.method,
        path: c.req.path,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
    }
    return errorResponse(c, api);
  };
}

export const onNotFound: NotFoundHandler = (c) =>
  errorResponse(
    c,
    new ApiError(404, 'not_found', `no route ${c.req.method} ${c.req.path}`, 'GET /openapi.json describes the API'),
  );

interface ZodIssueLike {
  path: ReadonlyArray<PropertyKey>;
  message: string;
}

/** `seed: expected number, received string; scenario: required`. */
export function describeIssues(issues: readonly ZodIssueLike[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

/** The routers' defaultHook: a request that fails its schema gets 400 with what is wrong. */
export function validationHook(
  result: { success: boolean; error?: { issues: readonly ZodIssueLike[] }; target?: string },
  c: Context,
) {
  if (result.success) return undefined;
  const where = result.target === 'param' ? 'path' : result.target === 'json' ? 'body' : (result.target ?? 'request');
  return c.json(
    errorBody(
      new ApiError(
        400 as ContentfulStatusCode,
        'bad_request',
        `invalid ${where}: ${describeIssues(result.error?.issues ?? [])}`,
      ),
    ),
    400,
  );
}
