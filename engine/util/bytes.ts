import { z } from 'zod';

const UNITS: Record<string, number> = {
  b: 1,
  k: 1024,
  kb: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
};

/** Compose-style sizes: `512m`, `1g`, `64mb`, or a number of bytes. */
export function parseBytes(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value : undefined;
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
  if (!match) return undefined;
  const unit = UNITS[(match[2] ?? '').toLowerCase() || 'b'];
  return unit === undefined ? undefined : Math.round(Number(match[1]) * unit);
}

export const byteSizeSchema = z
  .union([z.number().int().positive(), z.string()])
  .transform((value, ctx) => {
    const bytes = parseBytes(value);
    if (bytes === undefined) {
      ctx.addIssue({ code: 'custom', message: `expected a size like "64m" or "1g", got ${JSON.stringify(value)}` });
      return z.NEVER;
    }
    return bytes;
  })
  .meta({ description: 'Size: "64m", "1g", or a number of bytes.' });

/** `512 B`, `1.5 GiB`, `78 GiB`: one decimal below ten, none above. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 10 || unit === 0 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}
