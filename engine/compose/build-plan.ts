/** The whole file → DeployPlan: top-level secrets and volumes, every service, then the graph. */
import { isDict, type Dict } from '../source/dict.js';
import { resolvePath, type PlanContext } from './context.js';
import { reportCycles } from './graph.js';
import { buildNetworks } from './networks.js';
import type { DeployPlan, ServicePlan } from './plan.js';
import { buildService } from './service.js';
import { buildVolumeDrivers } from './volume-options.js';

export function buildPlan(file: Dict, ctx: PlanContext): DeployPlan | undefined {
  if (!isDict(file.services) || Object.keys(file.services).length === 0) {
    ctx.out.error(
      file.services === undefined ? [] : ['services'],
      'a lab needs at least one service under `services`',
      file.services === undefined ? 'value' : 'key',
    );
    return undefined;
  }
  if (isDict(file.secrets)) {
    for (const [name, secret] of Object.entries(file.secrets)) {
      if (!isDict(secret) || typeof secret.file !== 'string') {
        if (isDict(secret) && secret.environment === undefined && secret.external === undefined)
          ctx.out.error(['secrets', name], 'missing required key `file`: breakfix supports file secrets only', 'key');
        continue;
      }
      resolvePath(ctx, secret.file, ['secrets', name, 'file'], 'secret file', 'file');
    }
  }
  const services: Record<string, ServicePlan> = {};
  for (const [name, raw] of Object.entries(file.services)) {
    if (!isDict(raw)) continue;
    const service = buildService({ name, raw, at: ['services', name], file, ctx });
    if (service) services[name] = service;
  }
  const volumeDrivers = buildVolumeDrivers(file, ctx);
  const networks = buildNetworks(file, ctx);
  if (ctx.out.errors.length > 0) return undefined;
  const plan: DeployPlan = {
    services,
    volumes: isDict(file.volumes) ? Object.keys(file.volumes) : [],
    ...(Object.keys(volumeDrivers).length > 0 ? { volumeDrivers } : {}),
    ...(Object.keys(networks).length > 0 ? { networks } : {}),
  };
  reportPublishedInternal(plan, ctx);
  reportCycles(plan, file, ctx.out);
  return ctx.out.errors.length > 0 ? undefined : plan;
}

/** Docker publishes no port of a container that is on internal networks only. */
function reportPublishedInternal(plan: DeployPlan, ctx: PlanContext): void {
  for (const service of Object.values(plan.services)) {
    const joined = service.networks ?? [{ name: 'default', aliases: [] }];
    const routable = joined.some((network) => !plan.networks?.[network.name]?.internal);
    if (service.ports.length > 0 && !routable)
      ctx.out.error(
        ['services', service.name, 'ports'],
        `${service.name} publishes ports but joins internal networks only, which Docker cannot publish from: add a network that is not internal`,
      );
  }
}
