/**
 * Where a service answers from the host: the 127.0.0.1 (or DOCKER_HOST) port Docker published
 * for one of its container ports. Read from the running container, never from compose.yaml, so
 * whatever port a learner's fix publishes is the one a check uses.
 */
import type { CheckContext } from './check.js';

export type PublishedUrl =
  { ok: true; base: string; /** "api:8080", for messages */ label: string } | { ok: false; message: string };

export async function publishedUrl(
  ctx: Pick<CheckContext, 'runtime' | 'host' | 'service'>,
  service: string,
  containerPort?: number,
): Promise<PublishedUrl> {
  const state = await ctx.runtime.inspectContainer(ctx.service(service).container);
  if (!state) return { ok: false, message: `${service}: expected a container, got none (not deployed)` };
  const published =
    containerPort === undefined ? state.ports[0] : state.ports.find((port) => port.container === containerPort);
  if (!published) {
    const what = containerPort === undefined ? 'a published port' : `container port ${containerPort} published`;
    const got = state.ports.map((port) => `${port.container}`).join(', ') || 'none';
    return { ok: false, message: `${service}: expected ${what}, got ${got} (${state.status})` };
  }
  return { ok: true, base: `http://${ctx.host}:${published.host}`, label: `${service}:${published.container}` };
}
