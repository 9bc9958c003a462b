/**
 * The dashboard's static files (server/dashboard/assets/), read once from the package and kept
 * in memory: a handful of small files, served with their media type. Only these names exist.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { packageRoot } from '../../engine/index.js';

export const DASHBOARD_ASSETS: Readonly<Record<string, string>> = {
  'dashboard.js': 'text/javascript; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

const cache = new Map<string, Promise<Buffer>>();

export function readDashboardAsset(name: string): Promise<Buffer> | undefined {
  if (!Object.hasOwn(DASHBOARD_ASSETS, name)) return undefined;
  let body = cache.get(name);
  if (!body) {
    body = readFile(path.join(packageRoot, 'server', 'dashboard', 'assets', name));
    body.catch(() => cache.delete(name));
    cache.set(name, body);
  }
  return body;
}
