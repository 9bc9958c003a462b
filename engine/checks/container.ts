import { z } from 'zod';
import { serviceParam } from '../faults/service-param.js';
import type { ContainerState } from '../runtime/runtime.js';
import { defineCheck, failed, passed } from './check.js';

const countRange = z.strictObject({ min: z.number().int().min(0).optional(), max: z.number().int().min(0).optional() });

function describe(state: ContainerState): string {
  const parts = [`status ${state.status}`];
  if (!state.running) parts.push(`exit code ${state.exitCode}`);
  if (state.health !== 'none') parts.push(`health ${state.health}`);
  if (state.restartCount > 0) parts.push(`${state.restartCount} restarts`);
  if (state.oomKilled) parts.push('OOM-killed');
  return parts.join(', ');
}

export const containerCheck = defineCheck({
  type: 'container',
  summary: "Inspect a service's container: running, health, restarts, exit code, OOM kill, user.",
  params: z.strictObject({
    service: serviceParam,
    expect: z.strictObject({
      running: z.boolean().optional(),
      healthy: z.boolean().optional().meta({ description: 'true: has a healthcheck that reports healthy. A missing healthcheck is not healthy.' }),
      exitCode: z.number().int().optional(),
      restarts: countRange.optional(),
      oomKilled: z.boolean().optional(),
      nonRootUser: z.boolean().optional().meta({ description: 'The container process does not run as root (uid 0).' }),
    }),
  }),
  services: (params) => [params.service],
  async run(ctx, params) {
    const name = params.service;
    const state = await ctx.runtime.inspectContainer(ctx.service(name).container);
    if (!state) return failed(`${name}: expected a container, got none (not deployed)`);
    const evidence = describe(state) + (state.healthLog.length > 0 ? `\nlast health probe: ${state.healthLog.at(-1)}` : '');
    const expect = params.expect;
    if (expect.running !== undefined && state.running !== expect.running) {
      return failed(`${name}: expected ${expect.running ? 'running' : 'not running'}, got ${describe(state)}`, evidence);
    }
    if (expect.healthy !== undefined) {
      const healthy = state.health === 'healthy';
      if (healthy !== expect.healthy) {
        const got = state.health === 'none' ? 'no healthcheck' : state.running ? state.health : `${state.status} (exit code ${state.exitCode})`;
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
      return failed(`${name}: expected ${expect.oomKilled ? 'an OOM kill' : 'no OOM kill'}, got ${describe(state)}`, evidence);
    }
    if (expect.nonRootUser !== undefined) {
      const probe = state.running ? await ctx.runtime.exec(state.id, ['id', '-u'], { timeoutMs: 5000 }) : undefined;
      const uid = probe?.exitCode === 0 ? probe.stdout.trim() : undefined;
      const root = uid === undefined ? state.user === '' || state.user === 'root' || state.user.startsWith('0') : uid === '0';
      if (root === expect.nonRootUser) {
        return failed(`${name}: expected ${expect.nonRootUser ? 'a non-root user' : 'root'}, got ${uid !== undefined ? `uid ${uid}` : `user "${state.user || 'root'}"`}`, evidence);
      }
    }
    return passed(`${name}: ${describe(state)}`, evidence);
  },
});
