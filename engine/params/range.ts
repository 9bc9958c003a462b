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

/** `{min, max}` of any number (a metric, a ratio), both optional, min ≤ max. */
export const numberRange = z
  .strictObject({ min: z.number().optional(), max: z.number().optional() })
  .refine(
    (range) => range.min === undefined || range.max === undefined || range.min <= range.max,
    'min must not be greater than max',
  );

/** Any `{min?, max?}`: what the checks compare a figure with. */
export interface Bounds {
  min?: number | undefined;
  max?: number | undefined;
}

export function inRange(value: number, range: Bounds): boolean {
  return (range.min === undefined || value >= range.min) && (range.max === undefined || value <= range.max);
}

/** "between 1 and 3", "at least 1", "at most 3": the bounds as a failure message states them. */
export function describeRange(range: Bounds, format: (value: number) => string = String): string {
  if (range.min !== undefined && range.max !== undefined)
    return `between ${format(range.min)} and ${format(range.max)}`;
  return range.min !== undefined ? `at least ${format(range.min)}` : `at most ${format(range.max ?? 0)}`;
}

/** A TCP/UDP port number. */
export const portParam = z.number().int().min(1).max(65535);
