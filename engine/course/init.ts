/**
 * `breakfix course init DIR`: a new course that validates and verifies as it is — one lab of its
 * own (an image built FROM breakfix/base, with apt), one scenario with a solution, a right fix
 * and wrong fixes of different kinds, a README, the scenario JSON Schema the modelines point at,
 * and a GitHub Actions workflow that proves the course with `verify --all --wrong-fixes`.
 *
 * The files are templates/course/ of the package; only breakfix-course.yaml and the README are
 * filled in (the course id and title, this breakfix's version).
 */
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { usageError } from '../errors.js';
import { breakfixVersion } from '../grading/provenance.js';
import { packageRoot } from '../paths.js';
import { COURSE_FILE, COURSE_ID } from './manifest.js';

export const COURSE_TEMPLATE_DIR = path.join(packageRoot, 'templates', 'course');

export interface CourseInitOptions {
  /** Defaults to the folder's name, made kebab-case. */
  id?: string;
  title?: string;
  /** The breakfix version the course starts from (its `breakfix: ">=…"` range); default: this one. */
  version?: string;
  /** The scenario JSON Schema, written to scenarios/scenario.schema.json for editors. */
  schema: string;
}

export interface CourseInitResult {
  dir: string;
  id: string;
  /** Files written, relative to `dir`, sorted. */
  files: string[];
}

/** A folder name as a course id: lowercase, words joined by single dashes. */
export function courseIdFrom(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function listFiles(root: string, dir = ''): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(root, relative) : [relative];
  });
}

const fill = (text: string, values: Record<string, string>): string =>
  text.replace(/\{\{(courseId|courseTitle|breakfixVersion)\}\}/g, (_match, key: string) => values[key] ?? '');

/**
 * Writes the course into `dir` (created when missing). Refuses, before writing anything, a
 * folder that already holds a course or any file the template would overwrite; a package.json
 * there is kept (the course then adds breakfix to it by hand, as the README says).
 */
export function initCourse(dir: string, options: CourseInitOptions): CourseInitResult {
  const target = path.resolve(dir);
  const id = options.id ?? courseIdFrom(path.basename(target));
  if (!COURSE_ID.test(id))
    throw usageError(
      `cannot make a course id of ${JSON.stringify(path.basename(target))}`,
      'pass one with --id (kebab-case: lowercase letters, digits and dashes)',
    );
  if (existsSync(path.join(target, COURSE_FILE)))
    throw usageError(`${target} already holds a course (${COURSE_FILE})`, 'pick an empty or new folder');
  const templateFiles = listFiles(COURSE_TEMPLATE_DIR);
  const generated = ['scenarios/scenario.schema.json', 'package.json'];
  const clashes = [...templateFiles, generated[0] as string].filter((file) => existsSync(path.join(target, file)));
  if (clashes.length > 0)
    throw usageError(
      `${target} already has ${clashes.slice(0, 3).join(', ')}${clashes.length > 3 ? ` (+${clashes.length - 3} more)` : ''}`,
      'pick an empty or new folder',
    );
  const title = options.title ?? `${id} — a breakfix course`;
  const version = options.version ?? breakfixVersion();
  const values = { courseId: id, courseTitle: JSON.stringify(title), breakfixVersion: version };

  cpSync(COURSE_TEMPLATE_DIR, target, { recursive: true, errorOnExist: true, force: false });
  for (const file of [COURSE_FILE, 'README.md']) {
    const at = path.join(target, file);
    writeFileSync(at, fill(readFileSync(at, 'utf8'), values));
  }
  writeFileSync(path.join(target, 'scenarios', 'scenario.schema.json'), options.schema);
  const written = [...templateFiles, 'scenarios/scenario.schema.json'];
  const packageFile = path.join(target, 'package.json');
  if (!existsSync(packageFile)) {
    // What `npx breakfix` in the workflow (and on an instructor's machine) installs.
    const manifest = {
      name: id,
      private: true,
      description: title,
      scripts: { verify: 'breakfix verify --all --wrong-fixes', validate: 'breakfix validate' },
      devDependencies: { breakfix: `^${version}` },
    };
    writeFileSync(packageFile, `${JSON.stringify(manifest, null, 2)}\n`);
    written.push('package.json');
  }
  return { dir: target, id, files: written.map((file) => file.split(path.sep).join('/')).sort() };
}
