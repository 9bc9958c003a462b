/** Small value shapes several compose keys share. */
import { isDict } from '../source/dict.js';
import type { PathSegment } from '../source/yaml-source.js';
import type { PlanContext } from './context.js';
import { parseComposeDuration } from './duration.js';

/** A port number 1–65535 written as digits, or undefined. */
export const portNumber = (text: string): number | undefined =>
  /^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= 65535 ? Number(text) : undefined;

export function scalarString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/**
 * `environment`, `labels`, `build.args`: a map or a list of `KEY=value`. A key without a value
 * takes it from `.env` (`resolve`, as Compose does for environment and args) or is empty.
 */
export function listOrDict(
  value: unknown,
  at: PathSegment[],
  ctx: PlanContext,
  missing: 'resolve' | 'empty',
): Record<string, string> {
  const result: Record<string, string> = {};
  const unset = (key: string): string | undefined =>
    missing === 'empty' ? '' : Object.hasOwn(ctx.dotenv, key) ? ctx.dotenv[key] : undefined;
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      const text = String(item);
      const equals = text.indexOf('=');
      const key = equals < 0 ? text : text.slice(0, equals);
      if (key.trim() === '') {
        ctx.out.error([...at, index], `expected KEY=value, got ${JSON.stringify(text)}`);
        return;
      }
      const resolved = equals < 0 ? unset(key) : text.slice(equals + 1);
      if (resolved !== undefined) result[key] = resolved;
    });
  } else if (isDict(value)) {
    for (const [key, raw] of Object.entries(value)) {
      const resolved = raw === null || raw === undefined ? unset(key) : scalarString(raw);
      if (resolved !== undefined) result[key] = resolved;
    }
  }
  return result;
}

/** A Compose duration (`10s`, `1m30s`) in ms; reports it and returns `fallback` when it is not one. */
export function durationValue(value: unknown, at: PathSegment[], ctx: PlanContext, fallback: number): number {
  if (value === undefined) return fallback;
  const ms = typeof value === 'string' ? parseComposeDuration(value) : undefined;
  if (ms === undefined) {
    ctx.out.error(at, `expected a duration like "10s", "1m30s" or "500ms", got ${JSON.stringify(value)}`);
    return fallback;
  }
  return ms;
}
