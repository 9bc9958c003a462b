/**
 * What `breakfix validate` runs: each path a course folder (the whole course, see
 * validate-course.ts), a scenario folder or file; no path, the course the command sees. Every
 * scenario that loads also gets its edits simulated on its lab (simulate-edits.ts).
 */
import path from 'node:path';
import { loadScenarioFile } from '../scenario/load.js';
import {
  validateScenarioPaths,
  type DiscoverOptions,
  type ScenarioValidation,
  type ValidatePathsResult,
} from '../scenario/discover.js';
import { pathKind } from '../util/file-system.js';
import { homeCourse, type CourseSelectionInput } from './courses.js';
import { COURSE_FILE } from './manifest.js';
import { withSimulation } from './scenario-validation.js';
import { validateCourseDir } from './validate-course.js';

export async function validatePaths(
  paths: readonly string[],
  options: DiscoverOptions & CourseSelectionInput = {},
): Promise<ValidatePathsResult> {
  if (paths.length === 0 && options.scenariosDir === undefined)
    return { files: await validateCourseDir(homeCourse(options).dir), usageErrors: [] };
  const courses = paths.filter(
    (target) => pathKind(target) === 'dir' && pathKind(path.join(target, COURSE_FILE)) === 'file',
  );
  const others = paths.filter((target) => !courses.includes(target));
  const files: ScenarioValidation[] = [];
  for (const dir of courses) files.push(...(await validateCourseDir(path.resolve(dir))));
  const plain =
    others.length > 0 || courses.length === 0 ? validateScenarioPaths(others, options) : { files: [], usageErrors: [] };
  for (const result of plain.files) {
    if (!result.ok) {
      files.push({ ...result, kind: 'scenario' });
      continue;
    }
    const loaded = loadScenarioFile(result.file, options);
    files.push(
      loaded.ok
        ? await withSimulation({ ...result, kind: 'scenario' }, loaded.scenario)
        : { ...result, kind: 'scenario' },
    );
  }
  return { files, usageErrors: plain.usageErrors };
}
