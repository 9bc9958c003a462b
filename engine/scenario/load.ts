/**
 * Loading a scenario file — the pipeline: YAML with positions (engine/source/) → the validation
 * phases in validate/ (variables, template references, the lab, the scenario folder, overlay
 * files, then every variant of the document against the schema and the cross-field rules) → a
 * ScenarioDefinition, or a list of issues located at `file:line:col`. Never throws on
 * malformed input.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isDict } from '../source/dict.js';
import { fileIssue, IssueCollector, problem, type SourceIssue } from '../source/issues.js';
import { parseYamlSource } from '../source/yaml-source.js';
import { courseOfFile } from '../course/courses.js';
import { labsDir as builtinLabsDir } from '../paths.js';
import { kebabCase, type Difficulty, type ScenarioInput, type VarSpec } from './schema.js';
import { resolveLab } from './validate/lab-ref.js';
import { validateSolutionFiles } from './validate/solution-files.js';
import { templateProblems } from './validate/template-refs.js';
import { validateVariants } from './validate/variants.js';
import { validateVars } from './validate/vars.js';

/** A problem of a scenario file: the one issue type every loader uses. */
export type ScenarioIssue = SourceIssue;

export interface LoadScenarioOptions {
  /**
   * Where `lab:` folders are looked up. By default: the labs/ of the scenario's course (the
   * nearest breakfix-course.yaml above the file), then breakfix's built-in labs/.
   */
  labsDir?: string;
  /**
   * `all` (default) validates the document for every covering assignment of its variables.
   * `first` validates one: for a lab command on a session whose scenario was proven in full
   * when it started — each variant costs a schema parse and the document phases, most of what
   * `status` spends loading a scenario.
   */
  variants?: 'all' | 'first';
}

/** The course a scenario file belongs to, as a session records it. */
export interface ScenarioCourseRef {
  id: string;
  /** Absolute path of the course folder. */
  dir: string;
}

function labsRootsOf(file: string, options: LoadScenarioOptions): { roots: string[]; course?: ScenarioCourseRef } {
  if (options.labsDir !== undefined) return { roots: [path.resolve(options.labsDir)] };
  let course;
  try {
    course = courseOfFile(file);
  } catch {
    // A course file that does not load is reported by `validate` on that file; the scenario
    // still validates against the built-in labs.
    course = undefined;
  }
  if (!course) return { roots: [builtinLabsDir] };
  const roots = course.builtin ? [course.labsDir] : [course.labsDir, builtinLabsDir];
  return { roots, course: { id: course.id, dir: course.dir } };
}

/** A validated scenario file, templates not yet rendered: `instantiateScenario` makes it concrete. */
export interface ScenarioDefinition {
  id: string;
  title: string;
  difficulty: Difficulty;
  tags: string[];
  lab: string;
  estimatedMinutes?: number;
  /** Absolute path of the scenario.yaml. */
  file: string;
  /** Absolute path of the scenario folder. */
  dir: string;
  /** Absolute path of the lab folder (labs/<lab>), symlinks resolved. */
  labDir: string;
  /** The course the scenario belongs to, when its folder is inside one. */
  course?: ScenarioCourseRef;
  /** Absolute path of the solution files folder, when there is one. */
  solutionDir?: string;
  /** The seeded random parameters, as declared. */
  vars: Record<string, VarSpec>;
  /** The document as written (validated for every variable choice), templates unrendered. */
  document: ScenarioInput;
}

export type LoadScenarioResult =
  { ok: true; scenario: ScenarioDefinition; source: string } | { ok: false; errors: ScenarioIssue[] };

export function loadScenarioFile(file: string, options: LoadScenarioOptions = {}): LoadScenarioResult {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'EISDIR'
        ? 'is a folder, not a scenario file'
        : 'cannot be read (no such file?)';
    return { ok: false, errors: [fileIssue(absolute, `${path.basename(absolute)} ${reason}`)] };
  }
  return loadScenarioText(absolute, text, options);
}

/** Validate scenario text as if it were the file `file` (its folder is the scenario folder). Never throws. */
export function loadScenarioText(file: string, text: string, options: LoadScenarioOptions = {}): LoadScenarioResult {
  // A bug of the validator must not turn into a crash of `validate`: it is reported on the file.
  try {
    return validateText(path.resolve(file), text, options);
  } catch (error) {
    return {
      ok: false,
      errors: [
        fileIssue(
          path.resolve(file),
          `internal error while validating: ${error instanceof Error ? error.message : String(error)}`,
        ),
      ],
    };
  }
}

function validateText(absolute: string, text: string, options: LoadScenarioOptions): LoadScenarioResult {
  const dir = path.dirname(absolute);
  const { roots: labsRoots, course } = labsRootsOf(absolute, options);
  const source = parseYamlSource(text);
  const issues = new IssueCollector(absolute, source);
  const failed = (): LoadScenarioResult => ({ ok: false, errors: issues.sorted() });
  for (const item of source.problems) issues.errorAt(item, item.path, item.message);
  if (issues.errors.length > 0) return failed();

  const data = source.value;
  if (!isDict(data)) {
    issues.push(
      fileIssue(
        absolute,
        data === null
          ? 'the scenario file is empty'
          : `a scenario file is a mapping (id, title, lab, faults, …), got ${Array.isArray(data) ? 'a list' : 'a single value'}`,
      ),
    );
    return failed();
  }

  // Variables first: every other phase renders the document with them.
  const vars = validateVars(data);
  issues.add(vars.problems);
  issues.add(templateProblems(data, vars.declared));

  const { lab, problems: labProblems } = resolveLab(data, labsRoots);
  issues.add(labProblems);

  // The id names the folder, so `breakfix start <id>` finds it.
  if (
    path.basename(absolute) === 'scenario.yaml' &&
    typeof data.id === 'string' &&
    kebabCase.test(data.id) &&
    data.id !== path.basename(dir)
  )
    issues.add([
      problem(['id'], `id \`${data.id}\` must be the name of the scenario folder (\`${path.basename(dir)}\`)`),
    ]);

  const solutionDir = validateSolutionFiles(data, dir, vars.declared, issues);
  const output = validateVariants(data, vars.specs, lab, issues, options.variants ?? 'all');

  if (issues.errors.length > 0 || !output || !lab) {
    if (issues.errors.length === 0) issues.push(fileIssue(absolute, 'the scenario could not be validated'));
    return failed();
  }
  const scenario: ScenarioDefinition = {
    id: output.id,
    title: output.title,
    difficulty: output.difficulty,
    tags: output.tags,
    lab: output.lab,
    ...(output.estimatedMinutes !== undefined ? { estimatedMinutes: output.estimatedMinutes } : {}),
    file: absolute,
    dir,
    labDir: lab.dir,
    ...(course ? { course } : {}),
    ...(solutionDir ? { solutionDir } : {}),
    vars: vars.specs,
    document: data as ScenarioInput,
  };
  return { ok: true, scenario, source: text };
}
