/**
 * Request body limits, on top of hono's bodyLimit (which trusts Content-Length when it is
 * given and counts the bytes of a chunked body): over the limit is a 413 in the API's error
 * shape, naming the limit.
 */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError } from '../errors.js';

export function limitBody(maxBytes: number, what: string, hint?: string): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiError(413, 'payload_too_large', `${what} is larger than the limit of ${maxBytes} bytes`, hint);
    },
  });
}
