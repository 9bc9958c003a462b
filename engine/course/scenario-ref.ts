/**
 * What a learner or an instructor may type where a command wants a scenario: its id
 * (`wrong-port`), `<course-id>/<scenario-id>` (when two courses both have the id), a scenario
 * folder or its scenario.yaml, relative or absolute. All of them name one file.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { usageError } from '../errors.js';
import { closest } from '../source/suggest.js';
import { activeCourses, courseOfFile, type Course, type CourseSelectionInput } from './courses.js';
import { COURSE_ID } from './manifest.js';

export const SCENARIO_FILE = 'scenario.yaml';

export interface ScenarioLocation {
  /** The scenario's id: its folder's name. */
  id: string;
  /** Absolute path of its scenario.yaml. */
  file: string;
  /** The course it belongs to (the nearest breakfix-course.yaml above it), if any. */
  course?: Course;
}

const isFile = (file: string): boolean => {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
};

const isDir = (dir: string): boolean => {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
};

function located(file: string): ScenarioLocation {
  const course = courseOfFile(file);
  return { id: path.basename(path.dirname(file)), file, ...(course ? { course } : {}) };
}

/** The scenario.yaml a path names (the file itself, or a folder holding one), if it does. */
function byPath(ref: string, cwd: string): ScenarioLocation | undefined {
  const target = path.resolve(cwd, ref);
  if (isFile(target)) return located(target);
  if (isDir(target) && isFile(path.join(target, SCENARIO_FILE))) return located(path.join(target, SCENARIO_FILE));
  return undefined;
}

function inCourse(course: Course, id: string): ScenarioLocation | undefined {
  const file = path.join(course.scenariosDir, id, SCENARIO_FILE);
  return isFile(file) ? { id, file, course } : undefined;
}

/** `<course-id>/<scenario-id>` for every scenario of every course a command sees. */
export function qualifiedId(course: Pick<Course, 'id'>, id: string): string {
  return `${course.id}/${id}`;
}

/** Every scenario folder of a course (cheap: a readdir and a stat each). */
export function courseScenarioIds(course: Pick<Course, 'scenariosDir'>): string[] {
  try {
    return readdirNames(course.scenariosDir)
      .filter((name) => COURSE_ID.test(name) && isFile(path.join(course.scenariosDir, name, SCENARIO_FILE)))
      .sort();
  } catch {
    return [];
  }
}

function readdirNames(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() || entry.isSymbolicLink())
    .map((entry) => entry.name);
}

/**
 * The scenario `ref` names, among the courses the command sees. An id two courses share is
 * refused with both qualified forms; an unknown one gets "did you mean".
 */
export function locateScenario(ref: string, input: CourseSelectionInput = {}): ScenarioLocation {
  const cwd = input.cwd ?? process.cwd();
  const courses = activeCourses(input);
  if (COURSE_ID.test(ref)) {
    const matches = courses.map((course) => inCourse(course, ref)).filter((found) => found !== undefined);
    if (matches.length === 1) return matches[0] as ScenarioLocation;
    if (matches.length > 1)
      throw usageError(
        `scenario ${ref} is in more than one course: ${matches.map((found) => qualifiedId(found.course as Course, ref)).join(' or ')}`,
        `name it as ${qualifiedId(matches[0]?.course as Course, ref)}`,
        'unknown-scenario',
      );
  }
  const qualified = /^([a-z0-9]+(?:-[a-z0-9]+)*)\/([a-z0-9]+(?:-[a-z0-9]+)*)$/.exec(ref);
  if (qualified) {
    const course = courses.find((candidate) => candidate.id === qualified[1]);
    const found = course ? inCourse(course, qualified[2] as string) : undefined;
    if (found) return found;
  }
  const byFile = byPath(ref, cwd);
  if (byFile) return byFile;
  throw unknownScenario(ref, courses);
}

function unknownScenario(ref: string, courses: Course[]) {
  const ids = courses.flatMap((course) => courseScenarioIds(course));
  const qualifiedIds = courses.flatMap((course) => courseScenarioIds(course).map((id) => qualifiedId(course, id)));
  const suggestion = closest(ref, ref.includes('/') ? qualifiedIds : ids);
  const where = courses.map((course) => (course.builtin ? 'the built-in course' : `course ${course.id}`)).join(' and ');
  return usageError(
    `unknown scenario ${ref}${suggestion ? `; did you mean ${suggestion}?` : ` (not an id in ${where}, nor a scenario folder or file)`}`,
    'run `breakfix list` to see the scenarios',
    'unknown-scenario',
  );
}
