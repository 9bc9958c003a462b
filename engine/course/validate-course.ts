/**
 * `breakfix validate` with no path inside a course: the whole course, as `verify` and a learner
 * will meet it — breakfix-course.yaml (its keys, the breakfix versions it supports, modules that
 * name scenarios that exist, every scenario in a module, image recipes with a Dockerfile), each
 * lab's compose file (the subset breakfix deploys and the Compose Specification), and every
 * scenario with its edits simulated on its lab (scenario-validation.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import satisfies from 'semver/functions/satisfies.js';
import { loadCompose } from '../compose/load.js';
import { breakfixVersion } from '../grading/provenance.js';
import { findScenarioFiles, type ScenarioValidation } from '../scenario/discover.js';
import { listDirs } from '../scenario/validate/lab-info.js';
import { IssueCollector, type Problem } from '../source/issues.js';
import { parseYamlSource } from '../source/yaml-source.js';
import { fileExists } from '../util/file-system.js';
import { COURSE_FILE, readCourseManifest, type CourseManifest } from './manifest.js';
import { courseManifestIssues } from './manifest-issues.js';
import { courseScenarioIds } from './scenario-ref.js';
import { validateScenarioFiles } from './scenario-validation.js';

/** What the manifest says that the folder contradicts: missing scenarios, unlisted ones, recipes, the version. */
function courseProblems(dir: string, manifest: CourseManifest): Problem[] {
  const problems: Problem[] = [];
  const present = new Set(courseScenarioIds({ scenariosDir: path.join(dir, 'scenarios') }));
  const listed = new Set<string>();
  manifest.modules.forEach((module, index) =>
    module.scenarios.forEach((id, position) => {
      listed.add(id);
      if (!present.has(id))
        problems.push({
          path: ['modules', index, 'scenarios', position],
          part: 'value',
          message: `no scenario ${id}: scenarios/${id}/scenario.yaml does not exist`,
        });
    }),
  );
  const unlisted = [...present].filter((id) => !listed.has(id));
  if (unlisted.length > 0)
    problems.push({
      path: ['modules'],
      part: 'key',
      message: `${unlisted.join(', ')} ${unlisted.length === 1 ? 'is' : 'are'} in scenarios/ but in no module: a learner following the course never reaches ${unlisted.length === 1 ? 'it' : 'them'} (add ${unlisted.length === 1 ? 'it' : 'them'} to a module's scenarios)`,
    });
  const version = breakfixVersion();
  if (!satisfies(version, manifest.breakfix, { includePrerelease: true }))
    problems.push({
      path: ['breakfix'],
      part: 'value',
      message: `the course supports breakfix ${manifest.breakfix}, and this is breakfix ${version}`,
    });
  const tags = new Set<string>();
  manifest.images.forEach((image, index) => {
    if (tags.has(image.tag))
      problems.push({ path: ['images', index, 'tag'], part: 'value', message: `${image.tag} is declared twice` });
    tags.add(image.tag);
    if (!fileExists(path.join(image.recipeDir, 'Dockerfile')))
      problems.push({
        path: ['images', index, 'recipe'],
        part: 'value',
        message: `${image.recipe}/Dockerfile does not exist (a recipe is a folder with a Dockerfile)`,
      });
  });
  return problems;
}

function manifestValidation(dir: string): ScenarioValidation & { kind: 'course' } {
  const file = path.join(dir, COURSE_FILE);
  const errors = courseManifestIssues(file);
  if (errors.length === 0) {
    const read = readCourseManifest(file);
    if (read.ok) {
      const issues = new IssueCollector(file, parseYamlSource(readFileSync(file, 'utf8')));
      issues.add(courseProblems(dir, read.manifest));
      errors.push(...issues.sorted());
    }
  }
  return { kind: 'course', file, ok: errors.length === 0, errors };
}

/** Each lab's compose file, as `start` will load it. */
function labValidations(dir: string): Array<ScenarioValidation & { kind: 'lab' }> {
  const labsDir = path.join(dir, 'labs');
  return listDirs(labsDir)
    .sort()
    .filter((name) => fileExists(path.join(labsDir, name, 'compose.yaml')))
    .map((name) => {
      const labDir = path.join(labsDir, name);
      const result = loadCompose(labDir);
      const errors = result.ok ? [] : result.errors;
      return { kind: 'lab' as const, file: path.join(labDir, 'compose.yaml'), ok: errors.length === 0, errors };
    });
}

export async function validateCourseDir(dir: string): Promise<ScenarioValidation[]> {
  const course = manifestValidation(dir);
  const labs = labValidations(dir);
  const scenarios = await validateScenarioFiles(findScenarioFiles(path.join(dir, 'scenarios')));
  return [course, ...labs, ...scenarios];
}
