/**
 * Phase: the folders of the lab a scenario builds or deploys from exist — a fault that builds
 * from a folder (image.retag, image.bake-secret) needs its Dockerfile, an earlier release needs
 * a compose file that loads.
 */
import path from 'node:path';
import { isDict } from '../../source/dict.js';
import { problem, type Problem } from '../../source/issues.js';
import { fileExists } from '../../util/file-system.js';
import type { DocumentPhase } from './document-phase.js';
import { labInfo } from './lab-info.js';

export const labFiles: DocumentPhase = ({ data, entries, lab }) => {
  if (!lab) return [];
  const problems: Problem[] = [];
  for (const entry of entries) {
    const params = entry.parsed?.params;
    if (entry.kind !== 'fault' || typeof params?.from !== 'string' || typeof params.dockerfile !== 'string') continue;
    if (!fileExists(path.join(lab.dir, params.from, params.dockerfile))) {
      const at = entry.raw.from !== undefined ? [...entry.at, 'from'] : entry.at;
      problems.push(
        problem(
          at,
          `labs/${lab.lab}/${path.posix.join(params.from, params.dockerfile)} does not exist (the fault builds from it)`,
        ),
      );
    }
  }
  if (Array.isArray(data.releases)) {
    data.releases.forEach((release, index) => {
      // A path that leaves the lab is refused by the schema.
      if (
        !isDict(release) ||
        typeof release.from !== 'string' ||
        release.from.startsWith('/') ||
        release.from.split(/[\\/]/).includes('..')
      )
        return;
      const folder = path.join(lab.dir, release.from);
      if (!fileExists(path.join(folder, 'compose.yaml')))
        problems.push(problem(['releases', index, 'from'], `labs/${lab.lab}/${release.from} has no compose.yaml`));
      else {
        const error = labInfo(folder).composeError;
        if (error)
          problems.push(problem(['releases', index, 'from'], `the release's compose file does not load: ${error}`));
      }
    });
  }
  return problems;
};
