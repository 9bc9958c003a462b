/**
 * Phase: every service an entry or a solution `exec` step names is a service of the lab — or one
 * the scenario's workspace faults add, or (within one fix) one that fix's own edits add: a
 * learner may add a sidecar or rename a job, and a red team must be able to write that.
 */
import { findCheck } from '../../checks/registry.js';
import { findFault } from '../../faults/registry.js';
import { serviceOfComposePath } from '../../faults/service-of-path.js';
import { parseYamlPath } from '../../util/yaml-path.js';
import { isDict, type Dict } from '../../source/dict.js';
import { problem, type Problem } from '../../source/issues.js';
import { didYouMean } from '../../source/suggest.js';
import type { PathSegment } from '../../source/yaml-source.js';
import type { DocumentPhase } from './document-phase.js';
import type { EntryRef } from './entries.js';

/** Which key of an entry names `service`, to point at it. */
function serviceKey(raw: Dict, service: string): string | undefined {
  for (const [key, value] of Object.entries(raw)) if (key !== 'type' && value === service) return key;
  for (const [key, value] of Object.entries(raw))
    if (key !== 'type' && typeof value === 'string' && value.includes(service)) return key;
  return undefined;
}

/** The service a `compose.set` of a whole `services.<name>` creates (or replaces). */
function createdService(entry: EntryRef): string | undefined {
  if (entry.kind !== 'fault' || entry.raw.type !== 'compose.set' || !entry.parsed) return undefined;
  const target = entry.parsed.params.path;
  if (typeof target !== 'string') return undefined;
  // Only the whole service (`services.<name>`), not a key inside one.
  return parseYamlPath(target).length === 2 ? serviceOfComposePath(target)[0] : undefined;
}

/** Which edits an entry belongs to: one fix's (`wrongFixes.2`), the solution's, or the scenario's. */
function editGroup(at: PathSegment[]): string | undefined {
  if ((at[0] === 'wrongFixes' || at[0] === 'rightFixes') && at[2] === 'edits') return `${at[0]}.${at[1]}`;
  if (at[0] === 'solution') return 'solution';
  return undefined;
}

export const serviceReferences: DocumentPhase = ({ data, entries, lab }) => {
  if (!lab) return [];
  const problems: Problem[] = [];
  const addedBy = new Map<string | undefined, string[]>();
  for (const entry of entries) {
    const service = createdService(entry);
    if (!service) continue;
    // Only workspace edits create services: the scenario's own faults, or a fix's edits.
    const group = entry.at[0] === 'faults' ? 'faults' : editGroup(entry.at);
    if (group) addedBy.set(group, [...(addedBy.get(group) ?? []), service]);
  }
  const scenarioServices = [...lab.info.services, ...(addedBy.get('faults') ?? [])];
  const knownIn = (group: string | undefined) => [...scenarioServices, ...(group ? (addedBy.get(group) ?? []) : [])];
  const servicesList = scenarioServices.join(', ') || 'none';
  const unknownService = (service: string, at: PathSegment[]) =>
    problem(
      at,
      `service \`${service}\` is not defined in labs/${lab.lab}/compose.yaml${didYouMean(service, scenarioServices)} (services: ${servicesList})`,
    );
  for (const entry of entries) {
    if (!entry.parsed) continue;
    const definition = entry.kind === 'fault' ? findFault(String(entry.raw.type)) : findCheck(String(entry.raw.type));
    const services = definition?.services?.(entry.parsed.params as never) ?? [];
    for (const service of services) {
      if (knownIn(editGroup(entry.at)).includes(service)) continue;
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
  const groupOfSteps = (at: PathSegment[]) => (at[0] === 'solution' ? 'solution' : `${at[0]}.${at[1]}`);
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
        !knownIn(groupOfSteps(at)).includes(step.exec.service)
      )
        problems.push(unknownService(step.exec.service, [...at, index, 'exec', 'service']));
    });
  }
  return problems;
};
