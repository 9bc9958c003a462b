/**
 * The cap on concurrent labs (`--max-sessions`): a request that would start one (a new session,
 * a grading round) takes a slot first, or gets 429 with Retry-After. The slot is released when
 * the request ends, unless the handler adopts it (a session holds its slot until deleted).
 */
import type { MiddlewareHandler } from 'hono';
import type { Capacity, Slot } from '../capacity.js';
import type { AppEnv } from '../context.js';
import { ApiError } from '../errors.js';

export function concurrencyCap(
  capacity: Capacity,
  kind: Slot['kind'],
  retryAfterSeconds = 30,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const slot = capacity.tryAcquire(kind);
    if (!slot) {
      throw new ApiError(
        429,
        'too_many_sessions',
        `this server runs at most ${capacity.max} labs at once (sessions and gradings) and all are in use`,
        'delete a session you no longer need, or try again later',
        {
          'Retry-After': String(retryAfterSeconds),
        },
      );
    }
    let adopted = false;
    c.set('slot', slot);
    c.set('adoptSlot', () => {
      adopted = true;
      return slot;
    });
    try {
      await next();
    } finally {
      if (!adopted) slot.release();
    }
  };
}
