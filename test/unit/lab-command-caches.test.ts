/**
 * The caches that make lab commands cheap in a new process must never make them wrong: the
 * compose-spec validity cache keeps only valid documents and misses on any change, and the
 * Docker endpoint cache misses whenever an input of discovery (environment, sockets) changes.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateComposeSpec } from '../../engine/compose/spec.js';
import {
  cacheableOptions,
  endpointKey,
  readCachedEndpoint,
  writeCachedEndpoint,
} from '../../engine/runtime/docker-endpoint-cache.js';

let cacheHome: string;
let previous: string | undefined;

beforeEach(() => {
  previous = process.env.XDG_CACHE_HOME;
  cacheHome = mkdtempSync(path.join(os.tmpdir(), 'breakfix-cache-'));
  process.env.XDG_CACHE_HOME = cacheHome;
});

afterEach(() => {
  if (previous === undefined) delete process.env.XDG_CACHE_HOME;
  else process.env.XDG_CACHE_HOME = previous;
  rmSync(cacheHome, { recursive: true, force: true });
});

const markers = () => {
  try {
    return readdirSync(path.join(cacheHome, 'breakfix', 'compose-valid'));
  } catch {
    return [];
  }
};

describe('compose-spec validity cache', () => {
  it('remembers a valid document, and validates a changed one again', () => {
    const valid = { services: { api: { image: 'breakfix/base:bookworm' } } };
    expect(validateComposeSpec(valid)).toEqual([]);
    expect(markers()).toHaveLength(1);
    expect(validateComposeSpec(structuredClone(valid))).toEqual([]);
    expect(markers()).toHaveLength(1);

    const changed = { services: { api: { image: 'breakfix/base:bookworm', restart: 'always' } } };
    expect(validateComposeSpec(changed)).toEqual([]);
    expect(markers()).toHaveLength(2);
  });

  it('never remembers an invalid document: its problems are reported every time', () => {
    const invalid = { services: { api: { image: 'x', restrat: 'always' } } };
    const first = validateComposeSpec(invalid);
    expect(first.map((problem) => problem.message)).toContain('unknown key `restrat`');
    expect(markers()).toHaveLength(0);
    expect(validateComposeSpec(invalid)).toEqual(first);
  });

  it('a cached valid document turned invalid is reported, not served from the cache', () => {
    const doc = { services: { api: { image: 'x', restart: 'always' } } };
    expect(validateComposeSpec(doc)).toEqual([]);
    (doc.services.api as Record<string, unknown>).restart = 42;
    expect(validateComposeSpec(doc)).not.toEqual([]);
  });
});

describe('Docker endpoint cache', () => {
  it('serves the endpoint only for the same environment and sockets', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'breakfix-sock-'));
    const socket = path.join(dir, 'docker.sock');
    writeFileSync(socket, '');
    const env = { XDG_CACHE_HOME: cacheHome };
    const key = endpointKey([socket], env);
    writeCachedEndpoint(key, { socketPath: socket }, env);
    expect(readCachedEndpoint(key, env)).toEqual({ socketPath: socket });

    // DOCKER_HOST set, or the socket replaced (a restarted dockerd makes a new one): a miss.
    expect(readCachedEndpoint(endpointKey([socket], { ...env, DOCKER_HOST: 'tcp://127.0.0.1:2375' }), env)).toBe(
      undefined,
    );
    rmSync(socket);
    expect(readCachedEndpoint(endpointKey([socket], env), env)).toBe(undefined);
    writeFileSync(socket, 'new');
    expect(readCachedEndpoint(endpointKey([socket], env), env)).toBe(undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('caches sockets and plain TCP, never TLS material or ssh', () => {
    expect(cacheableOptions({ socketPath: '/var/run/docker.sock' })).toEqual({ socketPath: '/var/run/docker.sock' });
    expect(cacheableOptions({ host: '10.0.0.5', port: '2375', protocol: 'http' })).toEqual({
      host: '10.0.0.5',
      port: '2375',
      protocol: 'http',
    });
    expect(cacheableOptions({ host: '10.0.0.5', port: '2376', ca: 'PEM', cert: 'PEM', key: 'PEM' })).toBe(undefined);
    expect(cacheableOptions({ host: 'box', port: '22', protocol: 'ssh' })).toBe(undefined);
  });
});
