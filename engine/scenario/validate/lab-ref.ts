/**
 * Phase: `lab:` names a lab — a folder of the course's labs/ or, failing that, of breakfix's
 * built-in labs/ — with a compose file that loads. A symlinked lab folder is followed: the lab is
 * its real folder, so copying it into a workspace copies files, not a link.
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { Dict } from '../../source/dict.js';
import { problem, type Problem } from '../../source/issues.js';
import { didYouMean } from '../../source/suggest.js';
import { directoryExists, fileExists } from '../../util/file-system.js';
import { labInfo, listDirs, type LabRef } from './lab-info.js';

/** `labsRoots`: where labs are looked up, first match wins (the course's labs/, then the built-in ones). */
export function resolveLab(data: Dict, labsRoots: readonly string[]): { lab?: LabRef; problems: Problem[] } {
  // An invalid name is reported by the schema.
  if (typeof data.lab !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/.test(data.lab)) return { problems: [] };
  const name = data.lab;
  const root = labsRoots.find((candidate) => directoryExists(path.join(candidate, name)));
  if (root === undefined) {
    const available = [
      ...new Set(
        labsRoots.flatMap((candidate) =>
          listDirs(candidate).filter((entry) => fileExists(path.join(candidate, entry, 'compose.yaml'))),
        ),
      ),
    ];
    return {
      problems: [
        problem(
          ['lab'],
          `no lab \`${name}\` in ${labsRoots.join(' or ')}${didYouMean(name, available) || (available.length > 0 ? ` (labs: ${available.join(', ')})` : '')}`,
        ),
      ],
    };
  }
  const labDir = realpathSync(path.join(root, name));
  if (!fileExists(path.join(labDir, 'compose.yaml')))
    return { problems: [problem(['lab'], `lab \`${name}\` has no compose.yaml (${labDir})`)] };
  const info = labInfo(labDir);
  return {
    lab: { info, lab: name, dir: labDir },
    problems: info.composeError ? [problem(['lab'], `the lab's compose file does not load: ${info.composeError}`)] : [],
  };
}
