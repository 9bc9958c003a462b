/** The services' dependency graph: cycles (an error in the file) and the order to start them. */
import { isDict, type Dict } from '../source/dict.js';
import type { IssueCollector } from '../source/issues.js';
import type { PathSegment } from '../source/yaml-source.js';
import type { DeployPlan } from './plan.js';

/** Each cycle once, as a list of services that starts and ends with the same one. */
export function findCycles(plan: DeployPlan): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string) => {
    state.set(name, 'active');
    stack.push(name);
    for (const { service } of plan.services[name]?.dependsOn ?? []) {
      if (state.get(service) === 'active') cycles.push([...stack.slice(stack.indexOf(service)), service]);
      else if (!state.has(service)) visit(service);
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of Object.keys(plan.services)) if (!state.has(name)) visit(name);
  return cycles;
}

/** Report every cycle at the `depends_on` entry that closes it. */
export function reportCycles(plan: DeployPlan, file: Dict, out: IssueCollector): void {
  const services = isDict(file.services) ? file.services : {};
  for (const cycle of findCycles(plan)) {
    const [first, second] = cycle;
    if (first === undefined || second === undefined) continue;
    const raw = services[first];
    const dependsOn = isDict(raw) ? raw.depends_on : undefined;
    const where: PathSegment[] = Array.isArray(dependsOn)
      ? ['services', first, 'depends_on', dependsOn.map(String).indexOf(second)]
      : ['services', first, 'depends_on', second];
    out.error(where, `dependency cycle: ${cycle.join(' → ')}`, Array.isArray(dependsOn) ? 'value' : 'key');
  }
}

/** Services in the order to start them: dependencies first, otherwise as declared. */
export function deployOrder(plan: DeployPlan): string[] {
  const names = Object.keys(plan.services);
  const done = new Set<string>();
  const order: string[] = [];
  while (order.length < names.length) {
    const next = names.find(
      (name) =>
        !done.has(name) &&
        (plan.services[name]?.dependsOn ?? []).every(
          (dependency) => done.has(dependency.service) || !(dependency.service in plan.services),
        ),
    );
    if (next === undefined)
      throw new Error(`dependency cycle among ${names.filter((name) => !done.has(name)).join(', ')}`);
    done.add(next);
    order.push(next);
  }
  return order;
}
