/**
 * testcontainers' discovery of the Docker endpoint, remembered per user.
 *
 * Discovery (testcontainers' strategies: TESTCONTAINERS_HOST_OVERRIDE, DOCKER_HOST and
 * ~/.testcontainers.properties, the system socket, rootless sockets) costs a new process about
 * half a second — importing testcontainers, then a ping and an `info` per strategy tried — and a
 * learner's `status`, `hint` and `check` each run in a new process. Its answer only changes when
 * the environment or the sockets change, so it is kept in the user's cache directory with a key
 * made of exactly those inputs: DOCKER_HOST and the other variables discovery reads, the
 * properties file's mtime, and which candidate sockets exist (with their inode, which a
 * restarted dockerd renews). Any difference means discovery runs again; a cached endpoint that
 * does not answer a ping is forgotten and discovered again too.
 *
 * Only what can be rebuilt from the key is cached: a unix socket or a plain TCP endpoint. TLS
 * (certificates read from disk) and ssh endpoints go through discovery every time.
 */
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { userCacheDir } from '../util/cache-dir.js';

/** The dockerode options a cached endpoint is rebuilt from. */
export type CachedDockerOptions = { socketPath: string } | { host: string; port: string; protocol: 'http' };

interface CacheFile {
  version: 1;
  key: string;
  options: CachedDockerOptions;
}

const ENV_INPUTS = [
  'DOCKER_HOST',
  'DOCKER_TLS_VERIFY',
  'DOCKER_CERT_PATH',
  'DOCKER_CONTEXT',
  'TESTCONTAINERS_HOST_OVERRIDE',
  'TESTCONTAINERS_DOCKER_SOCKET_OVERRIDE',
  'XDG_RUNTIME_DIR',
] as const;

function cacheFile(env: NodeJS.ProcessEnv): string {
  return path.join(userCacheDir(env), 'docker-endpoint.json');
}

function fingerprint(file: string): string {
  try {
    const stat = statSync(file);
    return `${stat.ino}:${stat.mtimeMs}:${stat.size}`;
  } catch {
    return '-';
  }
}

/** Everything discovery depends on, as one string: equal keys mean discovery would answer the same. */
export function endpointKey(sockets: string[], env: NodeJS.ProcessEnv = process.env): string {
  const home = os.homedir();
  return JSON.stringify({
    uid: process.getuid?.() ?? -1,
    env: ENV_INPUTS.map((name) => env[name] ?? null),
    properties: fingerprint(path.join(home, '.testcontainers.properties')),
    sockets: sockets.map((socket) => [socket, fingerprint(socket)]),
  });
}

export function readCachedEndpoint(key: string, env: NodeJS.ProcessEnv = process.env): CachedDockerOptions | undefined {
  try {
    const parsed = JSON.parse(readFileSync(cacheFile(env), 'utf8')) as Partial<CacheFile>;
    if (parsed.version !== 1 || parsed.key !== key || typeof parsed.options !== 'object') return undefined;
    return parsed.options;
  } catch {
    return undefined;
  }
}

/** The options of a dockerode client worth caching, or undefined (TLS, ssh, anything unusual). */
export function cacheableOptions(modem: {
  socketPath?: unknown;
  host?: unknown;
  port?: unknown;
  protocol?: unknown;
  ca?: unknown;
  cert?: unknown;
  key?: unknown;
}): CachedDockerOptions | undefined {
  if (modem.ca || modem.cert || modem.key) return undefined;
  if (typeof modem.socketPath === 'string' && modem.socketPath !== '') return { socketPath: modem.socketPath };
  if (typeof modem.host === 'string' && modem.host !== '' && (modem.protocol ?? 'http') === 'http')
    return { host: modem.host, port: String(modem.port ?? 2375), protocol: 'http' };
  return undefined;
}

/** Remember an endpoint; a cache that cannot be written only costs the next process a discovery. */
export function writeCachedEndpoint(key: string, options: CachedDockerOptions, env: NodeJS.ProcessEnv = process.env) {
  try {
    mkdirSync(userCacheDir(env), { recursive: true, mode: 0o700 });
    const content: CacheFile = { version: 1, key, options };
    writeFileAtomic.sync(cacheFile(env), `${JSON.stringify(content)}\n`, { mode: 0o600 });
  } catch {
    // read-only home, full disk: discovery simply runs again next time
  }
}

export function forgetCachedEndpoint(env: NodeJS.ProcessEnv = process.env): void {
  rmSync(cacheFile(env), { force: true });
}
