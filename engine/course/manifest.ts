/**
 * `breakfix-course.yaml`: what a course is — its id, title, the breakfix versions it supports,
 * the order of its scenarios (modules), and image recipes of its own.
 *
 * Checked by hand rather than with zod, on plain YAML (no positions): every command — `list`
 * first of all — reads the file before doing anything, and must not pay for zod or for the
 * position-keeping parser. `validate` locates the same problems at `file:line:col`
 * (manifest-issues.ts).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import validRange from 'semver/ranges/valid.js';
import { typeName } from '../source/describe.js';
import { isDict, type Dict } from '../source/dict.js';
import type { Problem } from '../source/issues.js';
import { formatPath, type PathSegment } from '../source/path-format.js';
import { didYouMean } from '../source/suggest.js';

export const COURSE_FILE = 'breakfix-course.yaml';

/** Scenario ids, course ids and module ids: kebab-case, like folder names. */
export const COURSE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A Docker image reference a course may build: `name[:tag]`, lowercase, slashes allowed. */
const IMAGE_TAG =
  /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$/;

export interface CourseModule {
  /** Optional kebab-case id (progress and links may name a module by it). */
  id?: string;
  title: string;
  /** Scenario ids, in the order a learner works them. */
  scenarios: string[];
}

export interface CourseImageRecipe {
  /** The tag lab Dockerfiles build FROM, e.g. `net-basics/tools:1`. */
  tag: string;
  /** Absolute path of the recipe folder (a Dockerfile and what it copies). */
  recipeDir: string;
  /** As written in the file, relative to the course folder. */
  recipe: string;
  description: string;
}

export interface CourseManifest {
  id: string;
  title: string;
  description: string;
  /** A semver range of the breakfix versions the course supports, e.g. `>=0.1.0 <1`. */
  breakfix: string;
  modules: CourseModule[];
  images: CourseImageRecipe[];
}

export type ManifestResult =
  | { ok: true; manifest: CourseManifest }
  | {
      ok: false;
      /** Problems of the content, by path (validate locates them at their lines). */
      problems: Problem[];
      /** One line per problem, `path: message`, for commands that only need to refuse the file. */
      summary: string[];
    };

const TOP_KEYS = ['id', 'title', 'description', 'breakfix', 'modules', 'images'] as const;
const MODULE_KEYS = ['id', 'title', 'scenarios'] as const;
const IMAGE_KEYS = ['tag', 'recipe', 'description'] as const;

// The CommonJS build, loaded on first use, as the scenario list does: one YAML library per process.
let parseYaml: ((text: string) => unknown) | undefined;
function yamlParse(text: string): unknown {
  parseYaml ??= (createRequire(import.meta.url)('yaml') as { parse: (text: string) => unknown }).parse;
  return parseYaml(text);
}

const failed = (problems: Problem[]): ManifestResult => ({
  ok: false,
  problems,
  summary: problems.map((item) => (item.path.length > 0 ? `${formatPath(item.path)}: ${item.message}` : item.message)),
});

export function readCourseManifest(file: string): ManifestResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return failed([{ path: [], part: 'value', message: `${file} cannot be read` }]);
  }
  let data: unknown;
  try {
    data = yamlParse(text);
  } catch (error) {
    return failed([{ path: [], part: 'value', message: `not valid YAML: ${(error as Error).message.split('\n')[0]}` }]);
  }
  return checkCourseManifest(data, path.dirname(file));
}

/** The manifest's content, checked; `courseDir` anchors image recipe folders. */
export function checkCourseManifest(data: unknown, courseDir: string): ManifestResult {
  if (!isDict(data))
    return failed([
      {
        path: [],
        part: 'value',
        message: `${COURSE_FILE} is a mapping (id, title, breakfix, modules), got ${typeName(data)}`,
      },
    ]);
  const check = new Checker();
  check.keys([], data, TOP_KEYS);
  const id = check.string(['id'], data.id, { pattern: COURSE_ID, rule: 'kebab-case, e.g. net-basics' });
  const title = check.string(['title'], data.title);
  const description = data.description === undefined ? '' : check.string(['description'], data.description);
  const breakfix = check.string(['breakfix'], data.breakfix);
  if (breakfix !== undefined && validRange(breakfix) === null)
    check.error(['breakfix'], `must be a semver range of breakfix versions, e.g. ">=0.1.0 <1", got "${breakfix}"`);
  const modules = check.modules(data.modules);
  const images = check.images(courseDir, data.images);
  if (check.problems.length > 0 || id === undefined || title === undefined || breakfix === undefined)
    return failed(check.problems);
  return { ok: true, manifest: { id, title, description: description ?? '', breakfix, modules, images } };
}

class Checker {
  readonly problems: Problem[] = [];

  error(at: PathSegment[], message: string, part: 'key' | 'value' = 'value'): void {
    this.problems.push({ path: at, part, message });
  }

  keys(at: PathSegment[], dict: Dict, known: readonly string[]): void {
    for (const key of Object.keys(dict))
      if (!known.includes(key))
        this.error([...at, key], `unknown key${didYouMean(key, known) || ` (known keys: ${known.join(', ')})`}`, 'key');
  }

  string(at: PathSegment[], value: unknown, rule?: { pattern: RegExp; rule: string }): string | undefined {
    if (value === undefined) {
      this.error(at.slice(0, -1), `missing required key \`${String(at.at(-1))}\``);
      return undefined;
    }
    if (typeof value !== 'string' || value.trim() === '') {
      this.error(at, `must be a non-empty string, got ${typeName(value)}`);
      return undefined;
    }
    if (rule && !rule.pattern.test(value)) {
      this.error(at, `must be ${rule.rule}, got "${value}"`);
      return undefined;
    }
    return value;
  }

  modules(value: unknown): CourseModule[] {
    if (value === undefined) {
      this.error([], 'missing required key `modules` (the ordered scenario ids a learner works through)');
      return [];
    }
    if (!Array.isArray(value) || value.length === 0) {
      this.error(['modules'], `must be a non-empty list of { title, scenarios: [ids] }, got ${typeName(value)}`);
      return [];
    }
    const seen = new Map<string, string>();
    const modules: CourseModule[] = [];
    value.forEach((entry: unknown, index) => {
      const at: PathSegment[] = ['modules', index];
      if (!isDict(entry)) {
        this.error(at, `a module is { title, scenarios: [ids] }, got ${typeName(entry)}`);
        return;
      }
      this.keys(at, entry, MODULE_KEYS);
      const id =
        entry.id === undefined
          ? undefined
          : this.string([...at, 'id'], entry.id, { pattern: COURSE_ID, rule: 'kebab-case' });
      const title = this.string([...at, 'title'], entry.title);
      const scenarios: string[] = [];
      if (!Array.isArray(entry.scenarios) || entry.scenarios.length === 0)
        this.error(
          entry.scenarios === undefined ? at : [...at, 'scenarios'],
          entry.scenarios === undefined
            ? 'missing required key `scenarios`'
            : `must be a non-empty list of scenario ids, got ${typeName(entry.scenarios)}`,
        );
      else
        entry.scenarios.forEach((scenario: unknown, position) => {
          const where: PathSegment[] = [...at, 'scenarios', position];
          const scenarioId = this.string(where, scenario, { pattern: COURSE_ID, rule: 'a scenario id (kebab-case)' });
          if (scenarioId === undefined) return;
          const earlier = seen.get(scenarioId);
          if (earlier) this.error(where, `${scenarioId} is already listed (${earlier})`);
          else {
            seen.set(scenarioId, `modules[${index}]`);
            scenarios.push(scenarioId);
          }
        });
      if (title !== undefined) modules.push({ ...(id ? { id } : {}), title, scenarios });
    });
    return modules;
  }

  images(courseDir: string, value: unknown): CourseImageRecipe[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      this.error(['images'], `must be a list of { tag, recipe, description }, got ${typeName(value)}`);
      return [];
    }
    const images: CourseImageRecipe[] = [];
    value.forEach((entry: unknown, index) => {
      const at: PathSegment[] = ['images', index];
      if (!isDict(entry)) {
        this.error(at, `an image is { tag, recipe, description }, got ${typeName(entry)}`);
        return;
      }
      this.keys(at, entry, IMAGE_KEYS);
      const tag = this.string([...at, 'tag'], entry.tag, {
        pattern: IMAGE_TAG,
        rule: 'an image name with a tag, e.g. net-basics/tools:1',
      });
      if (tag?.startsWith('breakfix/'))
        this.error([...at, 'tag'], "breakfix/ is the namespace of breakfix's own images; use the course id");
      const recipe = this.string([...at, 'recipe'], entry.recipe);
      const description = entry.description === undefined ? '' : this.string([...at, 'description'], entry.description);
      if (recipe !== undefined && (path.isAbsolute(recipe) || recipe.split(/[\\/]/).includes('..'))) {
        this.error([...at, 'recipe'], 'must be a folder inside the course, without ".."');
        return;
      }
      if (tag && recipe)
        images.push({ tag, recipe, recipeDir: path.join(courseDir, recipe), description: description ?? '' });
    });
    return images;
  }
}
