import { z } from 'zod';
import { serviceParam } from '../params/service.js';
import { byteSizeSchema, formatBytes } from '../util/bytes.js';
import { defineFault, FaultError, type FaultContext } from './fault.js';
import { faultKey, runningTarget } from './fault-helper.js';

const params = z
  .strictObject({
    service: serviceParam,
    cpu: z
      .number()
      .int()
      .min(1)
      .max(4)
      .optional()
      .meta({ description: 'Busy-looping processes (each wants a whole CPU).' }),
    memory: byteSizeSchema.optional().meta({ description: 'Memory held by one process until the fault is undone.' }),
  })
  .refine((p) => p.cpu !== undefined || p.memory !== undefined, {
    message: 'give `cpu`, `memory` or both',
    path: ['cpu'],
  });
type Params = z.infer<typeof params>;

/** Marks every stress process (children inherit it), so undo finds exactly those. */
const MARK = 'BREAKFIX_STRESS';
const keyOf = (p: Params) => faultKey('process.stress', p);

function stressScript(p: Params): string {
  const lines: string[] = [];
  if (p.cpu) lines.push(`i=0; while [ $i -lt ${p.cpu} ]; do ( while :; do :; done ) & i=$((i+1)); done`);
  // `tail` keeps a line it has not seen the end of: one line of zeros, never finished, held in memory.
  if (p.memory) lines.push(`( head -c ${p.memory} /dev/zero; exec sleep 2147483647 ) | tail > /dev/null &`);
  lines.push('wait');
  return lines.join('\n');
}

const findScript = (key: string, action: string) =>
  `n=0; for d in /proc/[0-9]*; do if grep -qsxz '${MARK}=${key}' "$d/environ"; then n=$((n+1)); ${action}; fi; done; echo $n`;

async function countStress(ctx: FaultContext, container: string, key: string, action = ':'): Promise<number> {
  const result = await ctx.runtime.exec(container, ['sh', '-c', findScript(key, action)], {
    user: '0',
    timeoutMs: 15_000,
  });
  return Number.parseInt(result.stdout.trim(), 10) || 0;
}

/**
 * CPU or memory pressure inside one service's own limits: busy loops or a held allocation
 * started in the service's container (a runaway job beside the app, as `docker top` shows it).
 * Its CPU limit (compose `cpus`) is required for `cpu`, so the stress never competes for the
 * host's CPUs, only for the service's share; memory beyond its limit ends in the OOM killer.
 */
export const processStress = defineFault({
  type: 'process.stress',
  phase: 'runtime',
  summary:
    "Run busy loops (`cpu`) or hold memory (`memory`) inside a service's container, within its limits. Restorable.",
  params,
  services: (p) => [p.service],
  async inject(ctx, p) {
    const container = await runningTarget(ctx, p.service, 'process.stress runs inside the running container');
    const state = await ctx.runtime.inspectContainer(container);
    if (p.cpu && !state?.cpus)
      throw new FaultError(
        `process.stress: ${p.service} has no CPU limit (compose \`cpus\`): the stress must compete for the service's share, not the host's CPUs`,
      );
    const key = keyOf(p);
    await ctx.runtime.execDetached(container, ['sh', '-c', stressScript(p)], { user: '0', env: { [MARK]: key } });
    const deadline = Date.now() + 10_000;
    while ((await countStress(ctx, container, key)) < 1 + (p.cpu ?? 0)) {
      if (Date.now() > deadline)
        throw new FaultError(`process.stress: the stress processes did not start in ${p.service}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const what = [
      p.cpu ? `${p.cpu} busy CPU loop${p.cpu > 1 ? 's' : ''}` : '',
      p.memory ? `${formatBytes(p.memory)} held` : '',
    ]
      .filter(Boolean)
      .join(' and ');
    return `${what} in ${p.service}`;
  },
  restore: {
    async undo(ctx, p) {
      const container = ctx.service(p.service).container;
      const state = await ctx.runtime.inspectContainer(container);
      // A stopped or recreated container took its processes with it.
      if (state?.status !== 'running') return;
      await countStress(ctx, container, keyOf(p), 'kill -9 "${d#/proc/}" 2>/dev/null || true');
    },
  },
});
