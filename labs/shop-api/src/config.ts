// Configuration comes only from the environment (the twelve-factor way): compose sets it,
// per environment, from config/<environment>.env. Any problem is one fatal line and exit 1.
import { readFileSync } from 'fs';
import { isLevel, type Level } from './log';

export interface Config {
  nodeEnv: string;
  port: number;
  bindAddress: string;
  databaseUrl: string;
  databasePassword: string;
  poolMax: number;
  poolTimeoutMs: number;
  redisUrl: string;
  cacheTtlSeconds: number;
  logLevel: Level;
  dataDir: string;
  adminApiKey: string;
  shutdownTimeoutMs: number;
}

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new ConfigError(`${name} must be a whole number of at least ${min}, got ${JSON.stringify(raw)}`, `Fix ${name}.`);
  return value;
}

/** Reads a `*_FILE` secret; uid in the message because permissions are the usual culprit. */
export function readSecret(file: string, what: string): string {
  try {
    const value = readFileSync(file, 'utf8').replace(/[\r\n]+$/, '');
    if (value === '') throw new ConfigError(`${what} file ${file} is empty`, `Put the ${what} in ${file}.`);
    return value;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const uid = typeof process.getuid === 'function' ? process.getuid() : -1;
    if (code === 'EACCES')
      throw new ConfigError(
        `${what} file ${file} is not readable by uid ${uid} (permission denied)`,
        'The process must be able to read its secrets: check the file mode of the secret on the host.',
      );
    if (code === 'ENOENT')
      throw new ConfigError(`${what} file ${file} does not exist`, `Mount the secret at ${file} (compose: secrets:).`);
    throw new ConfigError(`cannot read ${what} file ${file}: ${String(error)}`, 'Check the secret mount.');
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const attempt = <T>(read: () => T, fallback: T): T => {
    try {
      return read();
    } catch (error) {
      problems.push((error as Error).message);
      return fallback;
    }
  };
  const databaseUrl = env.DATABASE_URL ?? '';
  if (databaseUrl === '') problems.push('DATABASE_URL is not set');
  else if (/^postgres(ql)?:\/\/[^/@]*:[^/@]*@/.test(databaseUrl))
    problems.push('DATABASE_URL contains a password: give the password in the file named by DATABASE_PASSWORD_FILE');
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!isLevel(logLevel)) problems.push(`LOG_LEVEL must be debug, info, warn or error, got ${JSON.stringify(logLevel)}`);
  const config: Config = {
    nodeEnv: env.NODE_ENV ?? 'development',
    port: attempt(() => integer(env, 'PORT', 8080, 1), 8080),
    bindAddress: env.BIND_ADDRESS ?? '0.0.0.0',
    databaseUrl,
    databasePassword: attempt(
      () => readSecret(env.DATABASE_PASSWORD_FILE ?? '/run/secrets/db_password', 'database password'),
      '',
    ),
    poolMax: attempt(() => integer(env, 'PG_POOL_MAX', 10, 1), 10),
    poolTimeoutMs: attempt(() => integer(env, 'PG_POOL_TIMEOUT_MS', 5000, 1), 5000),
    redisUrl: env.REDIS_URL ?? 'redis://cache:6379/0',
    cacheTtlSeconds: attempt(() => integer(env, 'CACHE_TTL_SECONDS', 60, 1), 60),
    logLevel: isLevel(logLevel) ? logLevel : 'info',
    dataDir: env.DATA_DIR ?? '/var/lib/shop',
    adminApiKey: attempt(
      () => readSecret(env.ADMIN_API_KEY_FILE ?? '/run/secrets/admin_api_key', 'admin API key'),
      '',
    ),
    shutdownTimeoutMs: attempt(() => integer(env, 'SHUTDOWN_TIMEOUT_MS', 10000, 0), 10000),
  };
  if (problems.length > 0) throw new ConfigError(problems.join('; '), 'Fix the environment (compose.yaml, config/*.env).');
  return config;
}

/**
 * node-postgres settings from DATABASE_URL plus the password from its file. Given both a
 * connection string and a password, node-postgres lets the URL's (absent) password win, so the
 * URL is taken apart here.
 */
export function pgSettings(databaseUrl: string, password: string) {
  const url = new URL(databaseUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    database: decodeURIComponent(url.pathname.slice(1)),
    user: decodeURIComponent(url.username),
    password,
  };
}

/** What the start-up line shows: never a secret. */
export function describeConfig(config: Config): Record<string, unknown> {
  const url = new URL(config.databaseUrl);
  return {
    nodeEnv: config.nodeEnv,
    port: config.port,
    database: { host: url.hostname, port: url.port || '5432', name: url.pathname.slice(1), user: url.username },
    poolMax: config.poolMax,
    redis: config.redisUrl,
    cacheTtlSeconds: config.cacheTtlSeconds,
    logLevel: config.logLevel,
    dataDir: config.dataDir,
  };
}
