/**
 * Runs the API on a socket (@hono/node-server) and shuts it down cleanly.
 *
 * Token: the caller passes BREAKFIX_TOKEN. Without one the server refuses a non-loopback host;
 * on loopback it generates one, which the caller prints once (it is never logged).
 *
 * Shutdown (`close()`, on SIGTERM/SIGINT in `breakfix serve`):
 *   1. stop accepting connections; SSE streams get `event: end` (reason shutdown) and close;
 *      requests that still arrive on open keep-alive connections get 503;
 *   2. wait for requests in flight (a check, an apply, a grading round) for up to
 *      `shutdownGraceMs`, then abort the gradings still running;
 *   3. stop every lab this server started (the engine tears each down by label) and remove the
 *      server-owned workspaces, so nothing is left running or labelled;
 *   4. remove the data dir if the server created it (a temporary one).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { BreakfixError } from '../engine/index.js';
import { createApp, type AppOptions } from './app.js';
import type { Services } from './context.js';
import { realEngine, type ServerEngine } from './engine.js';

export interface ServeOptions extends Omit<AppOptions, 'token' | 'closing' | 'dataDir' | 'engine'> {
  /** Default: the real engine (Docker). */
  engine?: ServerEngine;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** BREAKFIX_TOKEN; generated when absent (loopback only). */
  token?: string;
  /** Default: a new temporary folder, removed at shutdown. */
  dataDir?: string;
  /** How long shutdown waits for requests in flight before stopping the labs (default 120 s). */
  shutdownGraceMs?: number;
}

export interface RunningServer {
  url: string;
  host: string;
  port: number;
  token: string;
  generatedToken: boolean;
  dataDir: string;
  services: Services;
  server: Server;
  /** Graceful shutdown (idempotent). */
  close(): Promise<void>;
}

/** localhost, 127.0.0.0/8, ::1 (and its IPv4-mapped form). */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || /^::ffff:127\./.test(bare) || bare === '0:0:0:0:0:0:0:1';
  return false;
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const token = options.token && options.token.length > 0 ? options.token : undefined;
  if (!token && !isLoopback(options.host)) {
    throw new BreakfixError(
      'usage',
      `refusing to listen on ${options.host} without a token`,
      'set BREAKFIX_TOKEN (a long random string) or listen on 127.0.0.1',
    );
  }
  if (token !== undefined && token.length < 16)
    throw new BreakfixError(
      'usage',
      'BREAKFIX_TOKEN is too short (at least 16 characters)',
      'e.g. BREAKFIX_TOKEN=$(openssl rand -hex 24)',
    );
  const finalToken = token ?? randomBytes(24).toString('base64url');

  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir
    ? path.resolve(options.dataDir)
    : await mkdtemp(path.join(tmpdir(), 'breakfix-serve-'));
  await mkdir(dataDir, { recursive: true, mode: 0o700 });

  const closing = new AbortController();
  const { app, services } = createApp({
    ...options,
    engine: options.engine ?? realEngine,
    token: finalToken,
    dataDir,
    closing: closing.signal,
    processMetrics: true,
  });
  await services.registry.adopt();

  const server = await new Promise<Server>((resolve, reject) => {
    const created = serve({ fetch: app.fetch, hostname: options.host, port: options.port }) as Server;
    created.once('listening', () => resolve(created));
    created.once('error', (error: NodeJS.ErrnoException) => {
      const reason =
        error.code === 'EADDRINUSE'
          ? `port ${options.port} on ${options.host} is in use`
          : error.code === 'EADDRNOTAVAIL'
            ? `${options.host} is not an address of this machine`
            : error.message;
      reject(
        new BreakfixError(
          'environment',
          `cannot listen: ${reason}`,
          error.code === 'EADDRINUSE' ? 'choose another --port' : undefined,
        ),
      );
    });
  }).catch(async (error: unknown) => {
    if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
    throw error;
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= (async () => {
      closing.abort();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, options.shutdownGraceMs ?? 120_000);
      });
      await Promise.race([services.inflight.idle(), grace]);
      clearTimeout(timer);
      await services.grader.shutdown();
      await services.registry.shutdown();
      server.closeAllConnections();
      await stopped;
      if (ownsDataDir) await rm(dataDir, { recursive: true, force: true }).catch(() => undefined);
    })();
    return closed;
  };

  return {
    url: `http://${host}:${address.port}`,
    host,
    port: address.port,
    token: finalToken,
    generatedToken: token === undefined,
    dataDir,
    services,
    server,
    close,
  };
}
