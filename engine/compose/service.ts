/** One service of the compose file → its ServicePlan, assembled from the per-key builders. */
import type { ServiceInput } from './context.js';
import { serviceKeys } from './keys/registry.js';
import type { ServicePlan } from './plan.js';

export function buildService(input: ServiceInput): ServicePlan | undefined {
  const errorsBefore = input.ctx.out.errors.length;
  // What a service has when its compose entry says nothing about a key.
  const plan: ServicePlan = {
    name: input.name,
    image: '',
    environment: {},
    ports: [],
    secrets: [],
    volumes: [],
    dependsOn: [],
    restart: 'no',
    labels: {},
  };
  for (const key of serviceKeys) Object.assign(plan, key.build(input));
  return input.ctx.out.errors.length > errorsBefore ? undefined : plan;
}
