/** Phase: every service an entry or a solution `exec` step names is a service of the lab. */
import { findCheck } from '../../checks/registry.js';
import { findFault } from '../../faults/registry.js';
import { isDict, type Dict } from '../../source/dict.js';
import { problem, type Problem } from '../../source/issues.js';
import { didYouMean } from '../../source/suggest.js';
import type { PathSegment } from '../../source/yaml-source.js';
import type { DocumentPhase } from './document-phase.js';

/** Which key of an entry names `service`, to point at it. */
function serviceKey(raw: Dict, service: string): string | undefined {
  for (const [key, value] of Object.entries(raw)) if (key !== 'type' && value === service) return key;
  for (const [key, value] of Object.entries(raw))
    if (key !== 'type' && typeof value === 'string' && value.includes(service)) return key;
  return undefined;
}

export const serviceReferences: DocumentPhase = ({ data, entries, lab }) => {
  if (!lab) return [];
  const problems: Problem[] = [];
  const known = lab.info.services;
  const servicesList = known.join(', ') || 'none';
  const unknownService = (service: string, at: PathSegment[]) =>
    problem(
      at,
      `service \`${service}\` is not defined in labs/${lab.lab}/compose.yaml${didYouMean(service, known)} (services: ${servicesList})`,
    );
  for (const entry of entries) {
    if (!entry.parsed) continue;
    const definition = entry.kind === 'fault' ? findFault(String(entry.raw.type)) : findCheck(String(entry.raw.type));
    const services = definition?.services?.(entry.parsed.params as never) ?? [];
    for (const service of services) {
      if (known.includes(service)) continue;
      const key = serviceKey(entry.raw, service);
      problems.push(
        key
          ? unknownService(service, [...entry.at, key])
          : problem(
              entry.at,
              `service \`${service}\` (the default) is not defined in labs/${lab.lab}/compose.yaml (services: ${servicesList})`,
            ),
      );
    }
  }
  // `exec` steps of the solution and of every wrong and right fix run in a service.
  const stepLists: Array<[unknown, PathSegment[]]> = [
    [isDict(data.solution) ? data.solution.then : undefined, ['solution', 'then']],
  ];
  for (const key of ['wrongFixes', 'rightFixes'] as const) {
    const fixes = data[key];
    if (Array.isArray(fixes))
      fixes.forEach((fix, index) => isDict(fix) && stepLists.push([fix.then, [key, index, 'then']]));
  }
  for (const [steps, at] of stepLists) {
    if (!Array.isArray(steps)) continue;
    steps.forEach((step, index) => {
      if (
        isDict(step) &&
        isDict(step.exec) &&
        typeof step.exec.service === 'string' &&
        !known.includes(step.exec.service)
      )
        problems.push(unknownService(step.exec.service, [...at, index, 'exec', 'service']));
    });
  }
  return problems;
};
