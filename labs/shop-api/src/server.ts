// The api process: configuration, pool, cache, HTTP server, and a graceful stop on SIGTERM.
import { configureLog, log } from './log';
import { ConfigError, describeConfig, loadConfig, type Config } from './config';
import { createApp, readBuildInfo } from './app';
import { createCache } from './cache';
import { createPool } from './db';

const started = Date.now();
const build = readBuildInfo();
configureLog('info', { service: 'shop-api', version: build.version });

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  const hint = error instanceof ConfigError ? error.hint : undefined;
  log('fatal', (error as Error).message, hint ? { hint } : {});
  process.exit(1);
}
configureLog(config.logLevel, {});
log('info', 'starting shop-api', {
  revision: build.revision,
  node: process.version,
  pid: process.pid,
  uid: typeof process.getuid === 'function' ? process.getuid() : undefined,
  config: describeConfig(config),
});

const pool = createPool(config);
const cache = createCache(config);
const state = { shuttingDown: false };
const app = createApp(config, pool, cache, state);
const server = app.listen(config.port, config.bindAddress, () => {
  log('info', 'listening', { address: `${config.bindAddress}:${config.port}`, startup_ms: Date.now() - started });
});
server.keepAliveTimeout = 5000;

let inFlight = 0;
server.on('request', (_req, res) => {
  inFlight += 1;
  res.on('close', () => (inFlight -= 1));
});

function shutdown(signal: NodeJS.Signals): void {
  if (state.shuttingDown) return;
  state.shuttingDown = true;
  log('info', 'shutting down', { signal, inFlight });
  // Stop accepting; requests in flight finish; idle keep-alive connections are closed now.
  server.close(async () => {
    await Promise.allSettled([pool.end(), cache.close()]);
    log('info', 'stopped', { drained: true, uptime_s: Math.round((Date.now() - started) / 100) / 10 });
    process.exit(0);
  });
  server.closeIdleConnections();
  setTimeout(() => {
    log('error', 'shutdown timed out, exiting', { inFlight });
    process.exit(1);
  }, config.shutdownTimeoutMs).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
