// Cache-aside in Redis. The cache is an optimisation: when Redis cannot be reached, requests are
// answered from the database and the shop keeps selling (the cache errors are counted).
import { createClient } from 'redis';
import type { Config } from './config';
import { log } from './log';
import { cacheErrors, cacheHits, cacheMisses } from './metrics';

export interface Cache {
  getJson<T>(key: string): Promise<T | undefined>;
  setJson(key: string, value: unknown): Promise<void>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export function createCache(config: Config): Cache {
  const client = createClient({
    url: config.redisUrl,
    // Commands fail at once while disconnected instead of queueing behind a dead connection.
    disableOfflineQueue: true,
    socket: { connectTimeout: 1000, reconnectStrategy: (retries: number) => Math.min(250 * (retries + 1), 5000) },
  });
  let warned = false;
  client.on('error', (error: Error) => {
    if (!warned) log('warn', 'cache unavailable, serving from the database', { error: error.message });
    warned = true;
  });
  client.on('ready', () => {
    warned = false;
    log('info', 'cache connected');
  });
  client.connect().catch(() => undefined);

  return {
    async getJson<T>(key: string): Promise<T | undefined> {
      try {
        const text = await client.get(key);
        if (text === null) {
          cacheMisses.inc();
          return undefined;
        }
        cacheHits.inc();
        return JSON.parse(text) as T;
      } catch {
        cacheErrors.inc();
        cacheMisses.inc();
        return undefined;
      }
    },
    async setJson(key: string, value: unknown): Promise<void> {
      try {
        await client.set(key, JSON.stringify(value), { EX: config.cacheTtlSeconds });
      } catch {
        cacheErrors.inc();
      }
    },
    async ping(): Promise<boolean> {
      try {
        return (await client.ping()) === 'PONG';
      } catch {
        return false;
      }
    },
    async close(): Promise<void> {
      await client.quit().catch(() => undefined);
    },
  };
}
