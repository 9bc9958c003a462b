/**
 * Which courses a command sees: the one selected (`--course DIR`, which the CLI passes on as
 * BREAKFIX_COURSE, else the nearest `breakfix-course.yaml` upward from the working folder) and
 * breakfix's built-in course beside it. Inside breakfix's own checkout the two are one folder,
 * and it is listed once.
 */
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { usageError } from '../errors.js';
import { packageRoot } from '../paths.js';
import { COURSE_FILE, readCourseManifest, type CourseManifest } from './manifest.js';

export interface Course extends CourseManifest {
  /** Absolute (real) path of the course folder. */
  dir: string;
  /** Absolute path of its breakfix-course.yaml. */
  file: string;
  /** breakfix's own labs and scenarios. */
  builtin: boolean;
  labsDir: string;
  scenariosDir: string;
}

/** Where a course selection came from, for messages. */
export type CourseOrigin = 'BREAKFIX_COURSE' | 'working folder';

export interface CourseSelectionInput {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

const realpath = (dir: string): string => {
  try {
    return realpathSync(dir);
  } catch {
    return path.resolve(dir);
  }
};

/** The nearest folder at or above `start` holding breakfix-course.yaml. */
export function findCourseDir(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    if (existsSync(path.join(dir, COURSE_FILE))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The selected course folder, if any: BREAKFIX_COURSE (set by `--course`), else the nearest upward. */
export function selectedCourseDir(input: CourseSelectionInput = {}): { dir: string; origin: CourseOrigin } | undefined {
  const env = input.env ?? process.env;
  const cwd = input.cwd ?? process.cwd();
  const explicit = env.BREAKFIX_COURSE;
  if (explicit !== undefined && explicit !== '') {
    const dir = path.resolve(cwd, explicit);
    if (!existsSync(path.join(dir, COURSE_FILE)))
      throw usageError(
        `${dir} is not a course: it has no ${COURSE_FILE} (from --course or BREAKFIX_COURSE)`,
        'pass the folder that holds breakfix-course.yaml, or create one with `breakfix course init DIR`',
      );
    return { dir, origin: 'BREAKFIX_COURSE' };
  }
  const found = findCourseDir(cwd);
  return found ? { dir: found, origin: 'working folder' } : undefined;
}

const loaded = new Map<string, Course>();

/** The course in `dir`; a manifest that does not load is a usage error naming its first problems. */
export function loadCourse(dir: string): Course {
  const real = realpath(dir);
  const cached = loaded.get(real);
  if (cached) return cached;
  const file = path.join(real, COURSE_FILE);
  const result = readCourseManifest(file);
  if (!result.ok)
    throw usageError(
      `${file} is invalid: ${result.summary.slice(0, 3).join('; ')}${result.summary.length > 3 ? ` (+${result.summary.length - 3} more)` : ''}`,
      `\`breakfix validate --course ${real}\` shows each problem at its line`,
    );
  const course: Course = {
    ...result.manifest,
    dir: real,
    file,
    builtin: real === builtinDir(),
    labsDir: path.join(real, 'labs'),
    scenariosDir: path.join(real, 'scenarios'),
  };
  loaded.set(real, course);
  return course;
}

function builtinDir(): string {
  return realpath(packageRoot);
}

/** breakfix's own course (labs/ and scenarios/ of the package). */
export function builtinCourse(): Course {
  return loadCourse(builtinDir());
}

/** The course the working folder or --course selects, when it is not the built-in one. */
export function selectedCourse(input: CourseSelectionInput = {}): Course | undefined {
  const selected = selectedCourseDir(input);
  if (!selected) return undefined;
  const course = loadCourse(selected.dir);
  return course.builtin ? undefined : course;
}

/** The course `validate` and `verify --all` work on: the selected one, else the built-in one. */
export function homeCourse(input: CourseSelectionInput = {}): Course {
  return selectedCourse(input) ?? builtinCourse();
}

/** Every course a command sees, the selected one first; the built-in one always. */
export function activeCourses(input: CourseSelectionInput = {}): Course[] {
  const selected = selectedCourse(input);
  return selected ? [selected, builtinCourse()] : [builtinCourse()];
}

/** The course a file (a scenario.yaml, a lab) belongs to: the nearest breakfix-course.yaml above it. */
export function courseOfFile(file: string): Course | undefined {
  const dir = findCourseDir(path.dirname(path.resolve(file)));
  return dir ? loadCourse(dir) : undefined;
}

/** A course's scenario ids in the order a learner works them (its modules, in order). */
export function courseOrder(course: Pick<CourseManifest, 'modules'>): string[] {
  return course.modules.flatMap((module) => module.scenarios);
}
