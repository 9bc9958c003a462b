/**
 * Top-level `networks`: the lab's own bridge networks besides `default`. Only `internal` is
 * deployed (no route out of the lab: a database network nothing else can reach); breakfix
 * creates and names every network itself (`bf-<session>-net-<name>`).
 */
import { isDict, type Dict } from '../source/dict.js';
import type { PlanContext } from './context.js';
import type { NetworkPlan } from './plan.js';

export function buildNetworks(file: Dict, ctx: PlanContext): Record<string, NetworkPlan> {
  const networks: Record<string, NetworkPlan> = {};
  if (!isDict(file.networks)) return networks;
  for (const [name, raw] of Object.entries(file.networks)) {
    const internal = isDict(raw) && (raw.internal === true || raw.internal === 'true');
    if (isDict(raw) && raw.internal !== undefined && typeof raw.internal !== 'boolean')
      ctx.out.error(['networks', name, 'internal'], `expected true or false, got ${JSON.stringify(raw.internal)}`);
    networks[name] = { internal };
  }
  return networks;
}
