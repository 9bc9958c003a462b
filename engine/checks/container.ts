import { z } from 'zod';
import { countRange } from '../params/range.js';
import { isRootUser } from '../params/root-user.js';
import { serviceParam } from '../params/service.js';
import type { ContainerState } from '../runtime/runtime.js';
import { defineCheck, failed, passed, type CheckContext } from './check.js';
import { regexSource, stringOrList } from './text-match.js';

function describe(state: ContainerState): string {
  const parts = [`status ${state.status}`];
  if (!state.running) parts.push(`exit code ${state.exitCode}`);
  if (state.health !== 'none') parts.push(`health ${state.health}`);
  if (state.restartCount > 0) parts.push(`${state.restartCount} restarts`);
  if (state.oomKilled) parts.push('OOM-killed');
  return parts.join(', ');
}

const seconds = (ms: number) => `${(Math.abs(ms) / 1000).toFixed(1)} s`;

/** Undefined when `name` started after `other` exited (or started); else why not. */
async function startedAfter(
  ctx: CheckContext,
  name: string,
  state: ContainerState,
  order: { service: string; event: 'exited' | 'started' },
): Promise<string | undefined> {
  const other = await ctx.runtime.inspectContainer(ctx.service(order.service).container);
  if (!other)
    return `${name}: expected to start after ${order.service} ${order.event}, got no ${order.service} container`;
  const startedAt = Date.parse(state.startedAt);
  if (order.event === 'started') {
    const gap = startedAt - Date.parse(other.startedAt);
    return gap >= 0
      ? undefined
      : `${name}: expected to start after ${order.service} started, got ${seconds(gap)} before it`;
  }
  if (other.running)
    return `${name}: expected to start after ${order.service} exited, got ${order.service} still ${other.status}`;
  if (other.exitCode !== 0)
    return `${name}: expected to start after ${order.service} succeeded, got ${order.service} exit code ${other.exitCode}`;
  const gap = startedAt - Date.parse(other.finishedAt);
  return gap >= 0
    ? undefined
    : `${name}: expected to start after ${order.service} exited, got it started ${seconds(gap)} before ${order.service} finished`;
}

export const containerCheck = defineCheck({
  type: 'container',
  summary: "Inspect a service's container: running, health, restarts, exit code, OOM kill, user.",
  params: z.strictObject({
    service: serviceParam,
    expect: z.strictObject({
      running: z.boolean().optional(),
      healthy: z
        .boolean()
        .optional()
        .meta({ description: 'true: has a healthcheck that reports healthy. A missing healthcheck is not healthy.' }),
      exitCode: z.number().int().optional(),
      restarts: countRange.optional(),
      oomKilled: z.boolean().optional(),
      nonRootUser: z.boolean().optional().meta({ description: 'The container process does not run as root (uid 0).' }),
      versionedImage: z.boolean().optional().meta({
        description:
          'true: the container runs an image reference with an explicit tag other than `latest` (read from the container, so any valid name or tag passes).',
      }),
      startedAfter: z
        .strictObject({
          service: serviceParam,
          event: z
            .enum(['exited', 'started'])
            .default('exited')
            .meta({ description: 'exited: the other service finished (exit code 0) before this one started.' }),
        })
        .optional()
        .meta({
          description:
            "This service's container started after another service's container exited successfully (or started), read from Docker's own timestamps. With a `deploy.hold` probe, proves a startup order instead of assuming it.",
        }),
      healthcheck: z
        .strictObject({
          contains: stringOrList
            .optional()
            .meta({ description: 'The healthcheck command must contain these, e.g. the path it should probe.' }),
          excludes: z.array(regexSource).optional().meta({
            description: 'Patterns the command must not match, e.g. a probe short-circuited with "|| exit 0".',
          }),
        })
        .optional()
        .meta({ description: 'Judge the healthcheck command itself: a probe that cannot fail watches nothing.' }),
    }),
  }),
  services: (params) => [params.service, ...(params.expect.startedAfter ? [params.expect.startedAfter.service] : [])],
  async run(ctx, params) {
    const name = params.service;
    const state = await ctx.runtime.inspectContainer(ctx.service(name).container);
    if (!state) return failed(`${name}: expected a container, got none (not deployed)`);
    const evidence =
      describe(state) + (state.healthLog.length > 0 ? `\nlast health probe: ${state.healthLog.at(-1)}` : '');
    const expect = params.expect;
    if (expect.running !== undefined && state.running !== expect.running) {
      return failed(
        `${name}: expected ${expect.running ? 'running' : 'not running'}, got ${describe(state)}`,
        evidence,
      );
    }
    if (expect.healthy !== undefined) {
      const healthy = state.health === 'healthy';
      if (healthy !== expect.healthy) {
        const got =
          state.health === 'none'
            ? 'no healthcheck'
            : state.running
              ? state.health
              : `${state.status} (exit code ${state.exitCode})`;
        return failed(`${name}: expected ${expect.healthy ? 'healthy' : 'not healthy'}, got ${got}`, evidence);
      }
    }
    if (expect.exitCode !== undefined && (state.running || state.exitCode !== expect.exitCode)) {
      return failed(`${name}: expected to have exited with code ${expect.exitCode}, got ${describe(state)}`, evidence);
    }
    if (expect.restarts?.max !== undefined && state.restartCount > expect.restarts.max) {
      return failed(`${name}: expected at most ${expect.restarts.max} restarts, got ${state.restartCount}`, evidence);
    }
    if (expect.restarts?.min !== undefined && state.restartCount < expect.restarts.min) {
      return failed(`${name}: expected at least ${expect.restarts.min} restarts, got ${state.restartCount}`, evidence);
    }
    if (expect.oomKilled !== undefined && state.oomKilled !== expect.oomKilled) {
      return failed(
        `${name}: expected ${expect.oomKilled ? 'an OOM kill' : 'no OOM kill'}, got ${describe(state)}`,
        evidence,
      );
    }
    if (expect.nonRootUser !== undefined) {
      const probe = state.running ? await ctx.runtime.exec(state.id, ['id', '-u'], { timeoutMs: 5000 }) : undefined;
      const uid = probe?.exitCode === 0 ? probe.stdout.trim() : undefined;
      // The uid the process really has; without a running container, what its config says.
      const root = uid === undefined ? isRootUser(state.user) : uid === '0';
      if (root === expect.nonRootUser) {
        return failed(
          `${name}: expected ${expect.nonRootUser ? 'a non-root user' : 'root'}, got ${uid !== undefined ? `uid ${uid}` : `user "${state.user || 'root'}"`}`,
          evidence,
        );
      }
    }
    if (expect.versionedImage !== undefined) {
      const tag = /:([^/:]+)$/.exec(state.image)?.[1];
      const versioned = tag !== undefined && tag !== 'latest';
      if (versioned !== expect.versionedImage)
        return failed(
          `${name}: expected ${expect.versionedImage ? 'an image with a version tag' : 'an unversioned image'}, got ${tag === undefined ? 'no tag (latest)' : `tag ${tag}`}`,
          evidence,
        );
    }
    if (expect.startedAfter) {
      const ordering = await startedAfter(ctx, name, state, expect.startedAfter);
      if (ordering) return failed(ordering, evidence);
    }
    if (expect.healthcheck) {
      const command = state.healthcheck.join(' ');
      if (command === '') return failed(`${name}: expected a healthcheck, got none`, evidence);
      for (const needle of expect.healthcheck.contains ?? []) {
        if (!command.includes(needle))
          return failed(
            `${name}: expected the healthcheck to contain ${JSON.stringify(needle)}, got ${JSON.stringify(command)}`,
            evidence,
          );
      }
      for (const pattern of expect.healthcheck.excludes ?? []) {
        if (new RegExp(pattern).test(command))
          return failed(
            `${name}: expected a healthcheck that can fail, got ${JSON.stringify(command)} (matches /${pattern}/)`,
            evidence,
          );
      }
    }
    return passed(`${name}: ${describe(state)}`, evidence);
  },
});
