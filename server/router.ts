/** Every route module builds its routes on one of these: zod validation failures answer 400 in the API's error shape. */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './context.js';
import { validationHook } from './middleware/error-mapping.js';
import { ErrorSchema } from './schemas.js';

export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
}

const errorContent = { 'application/json': { schema: ErrorSchema } };

/** Error responses for a route's OpenAPI description. */
export function errorResponses(...statuses: Array<400 | 401 | 404 | 409 | 413 | 415 | 422 | 429 | 503>) {
  const descriptions: Record<number, string> = {
    400: 'The request is malformed (see error.message).',
    401: 'No or a wrong bearer token.',
    404: 'No such session or scenario.',
    409: 'The session is busy, being deleted, or in a state that does not allow this.',
    413: 'The body is larger than the limit.',
    415: 'Unsupported Content-Type.',
    422: 'A scenario or workspace file is invalid.',
    429: 'Every lab slot (--max-sessions) is in use; see Retry-After.',
    503: 'Docker or an image is unavailable, or the server is shutting down.',
  };
  return Object.fromEntries(
    statuses.map((status) => [status, { description: descriptions[status]!, content: errorContent }]),
  ) as Record<(typeof statuses)[number], { description: string; content: typeof errorContent }>;
}

export const security = [{ bearer: [] as string[] }];
