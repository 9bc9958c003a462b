/**
 * Every error the API returns has one shape, `{error: {code, message, hint?}}`, and one place
 * that decides its status: here. Engine errors carry a kind (BreakfixError); the server adds
 * what only it knows (no such session, the session is busy, the cap is reached).
 */
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { BreakfixError } from '../engine/index.js';

export type ErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unprocessable'
  | 'too_many_sessions'
  | 'internal'
  | 'unavailable';

export interface ErrorBody {
  error: { code: ErrorCode; message: string; hint?: string };
}

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly hint?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const notFound = (message: string, hint?: string) => new ApiError(404, 'not_found', message, hint);
export const conflict = (message: string, hint?: string) => new ApiError(409, 'conflict', message, hint);
export const badRequest = (message: string, hint?: string) => new ApiError(400, 'bad_request', message, hint);

const CODE_OF_STATUS: Partial<Record<number, ErrorCode>> = {
  400: 'bad_request',
  401: 'unauthorized',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'too_many_sessions',
  503: 'unavailable',
};

/**
 * BreakfixError kinds: `usage` is the caller's mistake (400), `workspace` and `scenario` mean a
 * file is wrong (422: the request was understood, the content cannot be processed),
 * `environment` is Docker or an image (503: retry once the machine is fixed).
 */
export function statusOfKind(kind: BreakfixError['kind']): ContentfulStatusCode {
  switch (kind) {
    case 'usage':
      return 400;
    case 'workspace':
    case 'scenario':
      return 422;
    case 'environment':
      return 503;
  }
}

/** Any thrown value as an ApiError; unknown errors become a 500 whose message is kept generic. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof BreakfixError) {
    const status = statusOfKind(error.kind);
    return new ApiError(status, CODE_OF_STATUS[status] ?? 'internal', error.message, error.hint);
  }
  if (error instanceof HTTPException) {
    const status = error.status as ContentfulStatusCode;
    const code = CODE_OF_STATUS[status] ?? (status >= 500 ? 'internal' : 'bad_request');
    const message =
      status === 413
        ? 'the request body is too large'
        : status === 415
          ? 'unsupported Content-Type for this route'
          : error.message || 'request rejected';
    return new ApiError(status, code, message);
  }
  return new ApiError(500, 'internal', 'internal error', 'the server log has the details');
}

export function errorBody(error: ApiError): ErrorBody {
  return { error: { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) } };
}
