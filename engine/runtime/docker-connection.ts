/**
 * One connection to the Docker Engine API whose dockerode client is made on first use.
 *
 * Why not dockerode from the start: importing it loads docker-modem, ssh2, @grpc/grpc-js and
 * protobufjs — 60–90 ms of a new process on 2 cores, a fifth of a `breakfix status` — while the
 * short commands only read a few documents (a ping, the engine's version, a container's
 * inspect, its logs). Those reads are plain GETs over node:http on the same endpoint and the same
 * keep-alive agent; every other call (create, exec, logs, build) loads dockerode then. When
 * the endpoint needs more than node:http offers here (TLS client certificates, ssh), every
 * read goes through dockerode's own modem instead, as before.
 */
import http from 'node:http';
import https from 'node:https';
import { createRequire } from 'node:module';
import type Dockerode from 'dockerode';
import type { CachedDockerOptions } from './docker-endpoint-cache.js';

// dockerode is CommonJS: required synchronously where it is first needed, so the runtime's
// many `this.docker.…` calls stay as they are.
const require = createRequire(import.meta.url);

export function loadDockerode(): typeof Dockerode {
  return require('dockerode') as typeof Dockerode;
}

/** An Engine API error, shaped like docker-modem's (`statusCode`) so isNotFound & co. hold. */
export class DockerApiError extends Error {
  constructor(
    message: string,
    readonly statusCode: number,
  ) {
    super(message);
  }
}

export class DockerConnection {
  private client: Dockerode | undefined;
  private readonly agent: http.Agent;

  /**
   * @param options the plain endpoint (a unix socket or http host:port) the light reads use;
   *   undefined when only dockerode knows how to reach the engine.
   * @param existing a dockerode client already made (testcontainers' discovery).
   */
  constructor(
    private readonly options: CachedDockerOptions | undefined,
    existing?: Dockerode,
  ) {
    const modem = existing?.modem as { agent?: http.Agent; protocol?: string } | undefined;
    this.agent =
      modem?.agent ??
      (modem?.protocol === 'https' ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true }));
    if (existing) this.adopt(existing);
  }

  /** The dockerode client, created (and dockerode loaded) on first use. */
  get dockerode(): Dockerode {
    if (!this.client) {
      const Client = loadDockerode();
      this.adopt(new Client({ ...(this.options ?? {}) }));
    }
    return this.client as Dockerode;
  }

  private adopt(client: Dockerode): void {
    // One agent for both paths, so that close() ends every connection; ssh keeps docker-modem's.
    const modem = client.modem as { agent?: unknown; protocol?: string };
    if (modem.agent === undefined && modem.protocol !== 'ssh') modem.agent = this.agent;
    this.client = client;
  }

  /** GET an Engine API path; the body as text. Non-2xx answers throw a DockerApiError. */
  async get(apiPath: string, timeoutMs?: number): Promise<string> {
    return (await this.getBuffer(apiPath, timeoutMs)).toString('utf8');
  }

  /** GET an Engine API path; the body's bytes (a finished log answer is binary frames). */
  getBuffer(apiPath: string, timeoutMs?: number): Promise<Buffer> {
    if (!this.options) return this.dialGet(apiPath, timeoutMs);
    const options = this.options;
    return new Promise((resolve, reject) => {
      const request = http.get(
        {
          agent: this.agent,
          path: apiPath,
          ...('socketPath' in options
            ? { socketPath: options.socketPath }
            : { host: options.host, port: options.port }),
          ...(timeoutMs !== undefined ? { timeout: timeoutMs } : {}),
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const body = Buffer.concat(chunks);
            const status = response.statusCode ?? 0;
            if (status >= 200 && status < 300) resolve(body);
            else reject(new DockerApiError(apiErrorMessage(status, body.toString('utf8')), status));
          });
        },
      );
      request.on('timeout', () =>
        request.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })),
      );
      request.on('error', reject);
    });
  }

  async getJson<T>(apiPath: string, timeoutMs?: number): Promise<T> {
    return JSON.parse(await this.get(apiPath, timeoutMs)) as T;
  }

  /** Through dockerode's modem: TLS client certificates, ssh — whatever the endpoint needs. */
  private dialGet(apiPath: string, timeoutMs?: number): Promise<Buffer> {
    const modem = this.dockerode.modem as unknown as {
      dial(options: object, callback: (error: unknown, body: unknown) => void): void;
    };
    return new Promise((resolve, reject) => {
      modem.dial(
        {
          path: `${apiPath}${apiPath.includes('?') ? '&' : '?'}`,
          method: 'GET',
          options: {},
          statusCodes: { 200: true, 404: 'not found', 500: 'server error' },
          ...(timeoutMs !== undefined ? { timeout: timeoutMs } : {}),
        },
        (error, body) => {
          if (error) reject(error);
          else if (Buffer.isBuffer(body)) resolve(body);
          else resolve(Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)));
        },
      );
    });
  }

  /** Ends every connection this holds, so the process can exit once its work is done. */
  close(): void {
    this.agent.destroy();
    const modem = this.client?.modem as { agent?: { destroy(): void } } | undefined;
    if (modem?.agent && modem.agent !== this.agent) modem.agent.destroy();
  }
}

function apiErrorMessage(status: number, body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    if (typeof parsed.message === 'string') return `(HTTP code ${status}) ${parsed.message}`;
  } catch {
    // not JSON: the body itself
  }
  return `(HTTP code ${status}) ${body.trim()}`;
}
