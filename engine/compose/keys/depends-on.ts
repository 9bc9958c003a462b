/** `depends_on`: a list of services, or a map with start conditions. Cycles: engine/compose/graph.ts. */
import { isDict } from '../../source/dict.js';
import { didYouMean } from '../../source/suggest.js';
import type { PathSegment } from '../../source/yaml-source.js';
import type { DependsOnCondition, ServicePlan } from '../plan.js';
import type { ServiceKey } from './service-key.js';

export const dependsOnKey: ServiceKey = {
  keys: ['depends_on'],
  build({ name, raw, at, file, ctx }) {
    const services = isDict(file.services) ? Object.keys(file.services) : [];
    const dependsOn: ServicePlan['dependsOn'] = [];
    const add = (dependency: string, condition: DependsOnCondition, where: PathSegment[], part: 'key' | 'value') => {
      if (dependency === name) ctx.out.error(where, `${name} cannot depend on itself`, part);
      else if (!services.includes(dependency))
        ctx.out.error(where, `depends on unknown service \`${dependency}\`${didYouMean(dependency, services)}`, part);
      else dependsOn.push({ service: dependency, condition });
    };
    if (Array.isArray(raw.depends_on))
      raw.depends_on.forEach((dependency, index) =>
        add(String(dependency), 'service_started', [...at, 'depends_on', index], 'value'),
      );
    else if (isDict(raw.depends_on)) {
      for (const [dependency, entry] of Object.entries(raw.depends_on)) {
        // The spec validation allowed only Compose's three conditions.
        const condition = (
          isDict(entry) && typeof entry.condition === 'string' ? entry.condition : 'service_started'
        ) as DependsOnCondition;
        add(dependency, condition, [...at, 'depends_on', dependency], 'key');
      }
    }
    return { dependsOn };
  },
};
