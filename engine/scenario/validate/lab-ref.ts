/** Phase: `lab:` names a folder of labs/ with a compose file that loads. */
import path from 'node:path';
import type { Dict } from '../../source/dict.js';
import { problem, type Problem } from '../../source/issues.js';
import { didYouMean } from '../../source/suggest.js';
import { directoryExists, fileExists } from '../../util/file-system.js';
import { labInfo, listDirs, type LabRef } from './lab-info.js';

export function resolveLab(data: Dict, labsRoot: string): { lab?: LabRef; problems: Problem[] } {
  // An invalid name is reported by the schema.
  if (typeof data.lab !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/.test(data.lab)) return { problems: [] };
  const labDir = path.join(labsRoot, data.lab);
  if (!directoryExists(labDir)) {
    const available = listDirs(labsRoot).filter((name) => fileExists(path.join(labsRoot, name, 'compose.yaml')));
    return {
      problems: [
        problem(
          ['lab'],
          `no lab \`${data.lab}\` in ${labsRoot}${didYouMean(data.lab, available) || (available.length > 0 ? ` (labs: ${available.join(', ')})` : '')}`,
        ),
      ],
    };
  }
  if (!fileExists(path.join(labDir, 'compose.yaml')))
    return { problems: [problem(['lab'], `lab \`${data.lab}\` has no compose.yaml`)] };
  const info = labInfo(labDir);
  return {
    lab: { info, lab: data.lab, dir: labDir },
    problems: info.composeError ? [problem(['lab'], `the lab's compose file does not load: ${info.composeError}`)] : [],
  };
}
