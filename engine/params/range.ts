/** Number ranges shared by fault and check params. */
import { z } from 'zod';

/** `{min, max}` of a count (restarts, rows), both optional, min ≤ max. */
export const countRange = z
  .strictObject({ min: z.number().int().min(0).optional(), max: z.number().int().min(0).optional() })
  .refine(
    (range) => range.min === undefined || range.max === undefined || range.min <= range.max,
    'min must not be greater than max',
  );

export type CountRange = z.output<typeof countRange>;

/** A TCP/UDP port number. */
export const portParam = z.number().int().min(1).max(65535);
