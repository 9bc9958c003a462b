/**
 * One compose service key (or a pair that only make sense together, like `image` and `build`)
 * turned into its part of the ServicePlan. Adding a key breakfix deploys is one file here plus
 * one line in `registry.ts`; the subset then accepts it (engine/compose/subset.ts).
 */
import type { ServiceInput } from '../context.js';
import type { ServicePlan } from '../plan.js';

export interface ServiceKey {
  /** The service-level keys this builder reads; they become supported keys of the subset. */
  readonly keys: readonly string[];
  /** Its part of the plan; problems go to `input.ctx.out` (the service is dropped when there are any). */
  build(input: ServiceInput): Partial<ServicePlan>;
}
