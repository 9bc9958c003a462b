/**
 * Loading a scenario file: YAML with positions → validation (schema, every `vars` choice,
 * references to the lab) → a ScenarioDefinition, or a list of issues located at
 * `file:line:col`. Never throws on malformed input.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { findCheck } from '../checks/registry.js';
import { checkRegistry } from '../checks/registry.js';
import { formatComposeIssue, loadCompose } from '../compose/load.js';
import { closest, didYouMean } from '../compose/suggest.js';
import { formatPath, parseYamlSource, type PathSegment, type YamlSource } from '../compose/yaml-source.js';
import { faultRegistry, findFault } from '../faults/registry.js';
import { labsDir as defaultLabsDir } from '../paths.js';
import { parseDotenv } from '../util/dotenv.js';
import { hasYamlPath, parseYamlPath } from '../util/yaml-path.js';
import {
  problem,
  typeName,
  valueAt,
  withPath,
  zodProblems,
  type IssueContext,
  type Problem,
  type ScenarioIssue,
} from './issues.js';
import {
  entrySchemas,
  kebabCase,
  RESTORABLE_FAULT_TYPES,
  scenarioSchema,
  TEMPLATED_KEYS,
  varSpecSchema,
  type Difficulty,
  type ScenarioDocument,
  type ScenarioInput,
  type VarSpec,
  type VarValue,
} from './schema.js';
import { coveringAssignments, findTemplateRefs, renderValue } from './templates.js';

export interface LoadScenarioOptions {
  /** Where `lab:` folders are looked up; defaults to the package's labs/. */
  labsDir?: string;
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
  /** Absolute path of the lab folder (labs/<lab>). */
  labDir: string;
  /** Absolute path of the solution files folder, when there is one. */
  solutionDir?: string;
  /** The seeded random parameters, as declared. */
  vars: Record<string, VarSpec>;
  /** The document as written (validated for every variable choice), templates unrendered. */
  document: ScenarioInput;
}

export type LoadScenarioResult =
  { ok: true; scenario: ScenarioDefinition; source: string } | { ok: false; errors: ScenarioIssue[] };

type Dict = Record<string, unknown>;
const isDict = (value: unknown): value is Dict => value !== null && typeof value === 'object' && !Array.isArray(value);

const directoryExists = (dir: string) => {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
};
const fileExists = (file: string) => {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
};

function insideDir(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

// ---------------------------------------------------------------------------------------------
// The lab a scenario deploys: its services, cached per compose file version.

interface LabInfo {
  services: string[];
  /** The first problem of the lab's compose file, when it does not load. */
  composeError?: string;
}

const labCache = new Map<string, { stamp: string; info: LabInfo }>();

function stampOf(files: string[]): string {
  return files
    .map((file) => {
      try {
        const info = statSync(file);
        return `${info.mtimeMs}:${info.size}`;
      } catch {
        return '-';
      }
    })
    .join('|');
}

function labInfo(labDir: string): LabInfo {
  const compose = path.join(labDir, 'compose.yaml');
  const stamp = stampOf([compose, path.join(labDir, '.env')]);
  const cached = labCache.get(labDir);
  if (cached?.stamp === stamp) return cached.info;
  const result = loadCompose(labDir);
  let info: LabInfo;
  if (result.ok) info = { services: Object.keys(result.plan.services) };
  else {
    // Still check references against the services the file names.
    let services: string[] = [];
    try {
      const raw = parseYamlSource(readFileSync(compose, 'utf8')).value;
      if (isDict(raw) && isDict(raw.services)) services = Object.keys(raw.services);
    } catch {
      services = [];
    }
    const first = result.errors[0];
    info = {
      services,
      composeError: first
        ? formatComposeIssue({ ...first, file: path.relative(path.dirname(labDir), first.file) })
        : 'invalid',
    };
  }
  labCache.set(labDir, { stamp, info });
  return info;
}

function listDirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
}

// ---------------------------------------------------------------------------------------------

class Issues {
  readonly list: ScenarioIssue[] = [];
  private readonly seen = new Set<string>();
  constructor(
    readonly file: string,
    readonly source: YamlSource | undefined,
  ) {}

  add(problems: readonly Problem[], suffix = ''): void {
    for (const item of problems) {
      const at = this.source ? this.source.locate(item.path, item.part) : { line: 1, col: 1 };
      this.push({
        file: this.file,
        line: at.line,
        col: at.col,
        message: withPath(item.path, item.message) + suffix,
        path: formatPath(item.path),
      });
    }
  }

  push(issue: ScenarioIssue): void {
    const key = `${issue.file}|${issue.line}|${issue.col}|${issue.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push(issue);
  }

  /** Problems as they would be reported, for comparing variants. */
  keys(problems: readonly Problem[]): string[] {
    return problems.map((item) => `${formatPath(item.path)}|${item.part}|${item.message}`);
  }

  sorted(): ScenarioIssue[] {
    return [...this.list].sort((a, b) =>
      a.file === b.file ? a.line - b.line || a.col - b.col : a.file < b.file ? -1 : 1,
    );
  }
}

const FAULT_TYPES = faultRegistry.map((definition) => definition.type);
const CHECK_TYPES = checkRegistry.map((definition) => definition.type);

function typeKind(at: readonly PathSegment[]): { noun: string; types: string[] } | undefined {
  // checks[i].perturb[j]: only what can be undone may disturb a learner's lab.
  if (at[0] === 'checks' && at[2] === 'perturb')
    return { noun: 'restorable perturbation', types: RESTORABLE_FAULT_TYPES };
  if (at[0] === 'faults' || at[0] === 'escalation') return { noun: 'fault', types: FAULT_TYPES };
  if (at[0] === 'symptoms' || at[0] === 'checks') return { noun: 'check', types: CHECK_TYPES };
  return undefined;
}

/** Walk every string of a value with its path. */
function eachString(value: unknown, at: PathSegment[], visit: (text: string, at: PathSegment[]) => void): void {
  if (typeof value === 'string') visit(value, at);
  else if (Array.isArray(value)) value.forEach((item, index) => eachString(item, [...at, index], visit));
  else if (isDict(value)) for (const [key, item] of Object.entries(value)) eachString(item, [...at, key], visit);
}

function templateProblems(data: Dict, declared: string[]): Problem[] {
  const problems: Problem[] = [];
  const templated = new Set<string>(TEMPLATED_KEYS);
  for (const [key, value] of Object.entries(data)) {
    if (key === 'vars') continue;
    eachString(value, [key], (text, at) => {
      for (const ref of findTemplateRefs(text)) {
        if (ref.problem) problems.push(problem(at, ref.problem));
        else if (!templated.has(key))
          problems.push(problem(at, `templates are not rendered in \`${key}\` (only in ${TEMPLATED_KEYS.join(', ')})`));
        else if (!declared.includes(ref.name)) {
          const guess = closest(ref.name, declared);
          const hint = guess
            ? `; did you mean \`vars.${guess}\`?`
            : declared.length === 0
              ? ' (declare it under `vars:`)'
              : ` (defined: ${declared.map((name) => `vars.${name}`).join(', ')})`;
          problems.push(problem(at, `undefined variable \`vars.${ref.name}\`${hint}`));
        }
      }
    });
  }
  return problems;
}

interface EntryRef {
  kind: 'fault' | 'symptom' | 'check';
  at: PathSegment[];
  raw: Dict;
  /** Parsed entry when this entry alone is valid. */
  parsed?: { params: Record<string, unknown>; phase?: string };
}

function collectEntries(data: Dict): EntryRef[] {
  const entries: EntryRef[] = [];
  const add = (kind: EntryRef['kind'], list: unknown, at: PathSegment[]) => {
    if (!Array.isArray(list)) return;
    list.forEach((raw, index) => {
      if (!isDict(raw) || typeof raw.type !== 'string') return;
      const schema = entrySchemas[kind].get(raw.type);
      const result = schema?.safeParse(raw);
      const entry: EntryRef = { kind, at: [...at, index], raw };
      if (result?.success) entry.parsed = result.data as EntryRef['parsed'];
      entries.push(entry);
    });
  };
  add('fault', data.faults, ['faults']);
  add('symptom', data.symptoms, ['symptoms']);
  add('check', data.checks, ['checks']);
  if (Array.isArray(data.escalation))
    data.escalation.forEach(
      (stage, index) => isDict(stage) && add('fault', stage.faults, ['escalation', index, 'faults']),
    );
  if (isDict(data.solution)) add('fault', data.solution.edits, ['solution', 'edits']);
  for (const key of ['wrongFixes', 'rightFixes'] as const) {
    const fixes = data[key];
    if (Array.isArray(fixes))
      fixes.forEach((fix, index) => isDict(fix) && add('fault', fix.edits, [key, index, 'edits']));
  }
  // A probe's perturbations name services too; restorable faults parse as fault entries.
  if (Array.isArray(data.checks))
    data.checks.forEach((check, index) => isDict(check) && add('fault', check.perturb, ['checks', index, 'perturb']));
  if (Array.isArray(data.releases))
    data.releases.forEach(
      (release, index) => isDict(release) && add('fault', release.faults, ['releases', index, 'faults']),
    );
  return entries;
}

/** Which key of an entry names `service`, to point at it. */
function serviceKey(raw: Dict, service: string): string | undefined {
  for (const [key, value] of Object.entries(raw)) if (key !== 'type' && value === service) return key;
  for (const [key, value] of Object.entries(raw))
    if (key !== 'type' && typeof value === 'string' && value.includes(service)) return key;
  return undefined;
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Workspace faults that would find nothing to change in the lab (a key to remove that is not
 * there): the same error the fault would raise at injection time, found before any Docker work.
 * A file an earlier workspace fault changed is not judged.
 */
function labConsistencyProblems(data: Dict, entries: EntryRef[], labDir: string, lab: string): Problem[] {
  const problems: Problem[] = [];
  const touched = new Set<string>();
  for (const entry of entries) {
    if (entry.kind !== 'fault' || entry.at[0] !== 'faults' || !entry.parsed) continue;
    const type = String(entry.raw.type);
    const params = entry.parsed.params;
    const file = typeof params.file === 'string' ? params.file : undefined;
    if (!file || findFault(type)?.phase !== 'workspace') continue;
    if (touched.has(file)) continue;
    const text = readText(path.join(labDir, file));
    const where = `labs/${lab}/${file}`;
    const fileAt = entry.raw.file !== undefined ? [...entry.at, 'file'] : entry.at;
    switch (type) {
      case 'compose.unset': {
        if (text === undefined) {
          problems.push(problem(fileAt, `${where} does not exist`));
          break;
        }
        const doc = parseDocument(text);
        const segments = parseYamlPath(String(params.path));
        if (doc.errors.length === 0 && !hasYamlPath(doc, segments)) {
          const parent = doc.getIn(segments.slice(0, -1)) as unknown;
          const siblings: string[] = [];
          const json = (parent as { toJSON?: () => unknown } | undefined)?.toJSON?.();
          if (Array.isArray(json)) for (const item of json) siblings.push(String(item).split('=')[0] ?? '');
          else if (isDict(json)) siblings.push(...Object.keys(json));
          problems.push(
            problem(
              [...entry.at, 'path'],
              `${where} has no ${String(params.path)} to remove${didYouMean(String(segments.at(-1) ?? ''), siblings)}`,
            ),
          );
        }
        break;
      }
      case 'env.unset': {
        const names = text === undefined ? [] : parseDotenv(text).map((variable) => variable.key);
        if (text === undefined) problems.push(problem(fileAt, `${where} does not exist`));
        else if (!names.includes(String(params.name)))
          problems.push(
            problem(
              [...entry.at, 'name'],
              `${where} does not set ${String(params.name)}${didYouMean(String(params.name), names)}`,
            ),
          );
        break;
      }
      case 'file.remove':
        if (text === undefined && !directoryExists(path.join(labDir, file)))
          problems.push(problem(fileAt, `${where} does not exist`));
        break;
      case 'file.replace': {
        if (params.regex === true) {
          try {
            new RegExp(String(params.find));
          } catch (error) {
            problems.push(
              problem(
                [...entry.at, 'find'],
                `must be a valid regular expression (regex: true): ${error instanceof Error ? error.message : String(error)}`,
              ),
            );
            break;
          }
        }
        if (text === undefined) {
          problems.push(problem(fileAt, `${where} does not exist`));
          break;
        }
        const find = String(params.find);
        const found = params.regex === true ? new RegExp(find, 'm').test(text) : text.includes(find);
        if (!found)
          problems.push(
            problem(
              [...entry.at, 'find'],
              `${where} does not contain ${params.regex === true ? `a match for /${find}/` : JSON.stringify(find)}`,
            ),
          );
        break;
      }
      default:
        break;
    }
    touched.add(file);
  }
  return problems;
}

function semanticProblems(data: Dict, lab: { info: LabInfo; lab: string; dir: string } | undefined): Problem[] {
  const problems: Problem[] = [];
  const entries = collectEntries(data);

  if (lab) {
    const known = lab.info.services;
    const unknownService = (service: string, at: PathSegment[]) =>
      problem(
        at,
        `service \`${service}\` is not defined in labs/${lab.lab}/compose.yaml${didYouMean(service, known)} (services: ${known.join(', ') || 'none'})`,
      );
    for (const entry of entries) {
      if (!entry.parsed) continue;
      const definition = entry.kind === 'fault' ? findFault(String(entry.raw.type)) : findCheck(String(entry.raw.type));
      const services = definition?.services?.(entry.parsed.params as never) ?? [];
      for (const service of services) {
        if (known.includes(service)) continue;
        const key = serviceKey(entry.raw, service);
        problems.push(
          key
            ? unknownService(service, [...entry.at, key])
            : problem(
                entry.at,
                `service \`${service}\` (the default) is not defined in labs/${lab.lab}/compose.yaml (services: ${known.join(', ') || 'none'})`,
              ),
        );
      }
    }
    const stepLists: Array<[unknown, PathSegment[]]> = [
      [isDict(data.solution) ? data.solution.then : undefined, ['solution', 'then']],
    ];
    for (const key of ['wrongFixes', 'rightFixes'] as const) {
      const fixes = data[key];
      if (Array.isArray(fixes))
        fixes.forEach((fix, index) => isDict(fix) && stepLists.push([fix.then, [key, index, 'then']]));
    }
    for (const [steps, at] of stepLists) {
      if (!Array.isArray(steps)) continue;
      steps.forEach((step, index) => {
        if (
          isDict(step) &&
          isDict(step.exec) &&
          typeof step.exec.service === 'string' &&
          !known.includes(step.exec.service)
        ) {
          problems.push(unknownService(step.exec.service, [...at, index, 'exec', 'service']));
        }
      });
    }
    if (!lab.info.composeError) problems.push(...labConsistencyProblems(data, entries, lab.dir, lab.lab));
  }

  for (const entry of entries) {
    if (!entry.parsed) continue;
    const phase = entry.parsed.phase;
    const type = `\`${String(entry.raw.type)}\``;
    if (entry.at[0] === 'escalation' && phase === 'workspace') {
      problems.push(
        problem(
          [...entry.at, 'type'],
          `${type} is a workspace fault; escalation faults must act at runtime or on artifacts (the workspace belongs to the learner once the lab is active)`,
        ),
      );
    } else if (
      (entry.at[0] === 'solution' || entry.at[0] === 'wrongFixes' || entry.at[0] === 'rightFixes') &&
      phase !== 'workspace'
    ) {
      problems.push(
        problem(
          [...entry.at, 'type'],
          `${type} is a ${phase ?? 'non-workspace'} fault; edits change workspace files, so use a workspace type (compose.set, compose.unset, file.replace, file.write, file.remove, env.set, env.unset)`,
        ),
      );
    } else if (entry.at[0] === 'releases' && phase !== 'runtime') {
      problems.push(
        problem(
          [...entry.at, 'type'],
          `${type} is a ${phase ?? 'non-runtime'} fault; a release's faults act on its running containers (runtime faults only)`,
        ),
      );
    }
  }
  // Faults that build from a folder of the lab (image.retag, image.bake-secret): the folder and
  // its Dockerfile must be there.
  if (lab) {
    for (const entry of entries) {
      const params = entry.parsed?.params;
      if (entry.kind !== 'fault' || typeof params?.from !== 'string' || typeof params.dockerfile !== 'string') continue;
      const dockerfile = path.join(lab.dir, params.from, params.dockerfile);
      if (!fileExists(dockerfile)) {
        const at = entry.raw.from !== undefined ? [...entry.at, 'from'] : entry.at;
        problems.push(
          problem(
            at,
            `labs/${lab.lab}/${path.posix.join(params.from, params.dockerfile)} does not exist (the fault builds from it)`,
          ),
        );
      }
    }
  }
  if (lab && Array.isArray(data.releases)) {
    data.releases.forEach((release, index) => {
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

  // A fix with no files, no edits and only `apply` proves nothing: whatever rejects it would
  // reject the untouched broken lab too.
  for (const key of ['wrongFixes', 'rightFixes'] as const) {
    const fixes = data[key];
    if (!Array.isArray(fixes)) continue;
    fixes.forEach((fix, index) => {
      if (!isDict(fix) || fix.files !== undefined) return;
      const edits = Array.isArray(fix.edits) ? fix.edits : [];
      const steps = Array.isArray(fix.then) ? fix.then : ['apply'];
      if (edits.length === 0 && steps.every((step) => step === 'apply'))
        problems.push(
          problem(
            [key, index],
            'this fix changes no file and runs no step other than apply: give it files, edits, or a rollback/exec step',
          ),
        );
    });
  }

  if (Array.isArray(data.checks)) {
    const firstIndex = new Map<string, number>();
    let sum = 0;
    let countable = true;
    data.checks.forEach((check, index) => {
      if (!isDict(check)) {
        countable = false;
        return;
      }
      if (typeof check.id === 'string') {
        const previous = firstIndex.get(check.id);
        if (previous !== undefined)
          problems.push(
            problem(['checks', index, 'id'], `duplicate check id \`${check.id}\` (first used by checks[${previous}])`),
          );
        else firstIndex.set(check.id, index);
      }
      if (typeof check.points === 'number' && Number.isInteger(check.points) && check.points > 0) sum += check.points;
      else countable = false;
    });
    const maxScore = data.maxScore === undefined ? 100 : data.maxScore;
    if (
      countable &&
      typeof maxScore === 'number' &&
      Number.isInteger(maxScore) &&
      maxScore > 0 &&
      sum !== maxScore &&
      data.checks.length > 0
    ) {
      const gap = maxScore - sum;
      problems.push(
        problem(
          ['checks'],
          `the checks' points add up to ${sum}, but maxScore is ${maxScore}${data.maxScore === undefined ? ' (the default)' : ''}: ${gap > 0 ? `add ${gap}` : `remove ${-gap}`} points or set maxScore: ${sum}`,
          'key',
        ),
      );
    }
  }
  return problems;
}

/** Files under `dir` (no dot folders), for template checks of solution files. */
function walkFiles(dir: string, limit = 500): string[] {
  const files: string[] = [];
  const visit = (current: string) => {
    if (files.length >= limit) return;
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.isFile()) files.push(full);
    }
  };
  visit(dir);
  return files;
}

function solutionFileIssues(dir: string, declared: string[], issues: Issues): void {
  for (const file of walkFiles(dir)) {
    let text: string;
    try {
      if (statSync(file).size > 1_000_000) continue;
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    if (text.includes('\u0000')) continue;
    const refs = findTemplateRefs(text);
    if (refs.length === 0) continue;
    const lineStarts = [0];
    for (let index = 0; index < text.length; index += 1) if (text[index] === '\n') lineStarts.push(index + 1);
    for (const ref of refs) {
      let line = 0;
      while (line + 1 < lineStarts.length && (lineStarts[line + 1] as number) <= ref.index) line += 1;
      const col = ref.index - (lineStarts[line] as number) + 1;
      const guess = closest(ref.name, declared);
      const message =
        ref.problem ??
        (declared.includes(ref.name)
          ? undefined
          : `undefined variable \`vars.${ref.name}\` in a solution file${guess ? `; did you mean \`vars.${guess}\`?` : ''}`);
      if (message) issues.push({ file, line: line + 1, col, message, path: '' });
    }
  }
}

function holdsTemplate(value: unknown): boolean {
  return typeof value === 'string' && findTemplateRefs(value).length > 0;
}

function describeAssignment(assignment: Record<string, VarValue>): string {
  return Object.entries(assignment)
    .map(([name, value]) => `vars.${name} = ${JSON.stringify(value)}`)
    .join(', ');
}

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
    return {
      ok: false,
      errors: [{ file: absolute, line: 1, col: 1, message: `${path.basename(absolute)} ${reason}`, path: '' }],
    };
  }
  // A bug of the validator must not turn into a crash of `validate`: it is reported on the file.
  return loadScenarioText(absolute, text, options);
}

/** Validate scenario text as if it were the file `file` (its folder is the scenario folder). Never throws. */
export function loadScenarioText(file: string, text: string, options: LoadScenarioOptions = {}): LoadScenarioResult {
  try {
    return validateText(path.resolve(file), text, options);
  } catch (error) {
    return {
      ok: false,
      errors: [
        {
          file: path.resolve(file),
          line: 1,
          col: 1,
          message: `internal error while validating: ${error instanceof Error ? error.message : String(error)}`,
          path: '',
        },
      ],
    };
  }
}

function validateText(absolute: string, text: string, options: LoadScenarioOptions): LoadScenarioResult {
  const dir = path.dirname(absolute);
  const labsRoot = path.resolve(options.labsDir ?? defaultLabsDir);
  const source = parseYamlSource(text);
  const issues = new Issues(absolute, source);
  for (const item of source.problems)
    issues.push({
      file: absolute,
      line: item.line,
      col: item.col,
      message: withPath(item.path, item.message),
      path: formatPath(item.path),
    });
  if (issues.list.length > 0) return { ok: false, errors: issues.sorted() };

  const data = source.value;
  if (!isDict(data)) {
    issues.push({
      file: absolute,
      line: 1,
      col: 1,
      message:
        data === null
          ? 'the scenario file is empty'
          : `a scenario file is a mapping (id, title, lab, faults, …), got ${Array.isArray(data) ? 'a list' : 'a single value'}`,
      path: '',
    });
    return { ok: false, errors: issues.sorted() };
  }

  // Variables first: every other check renders the document with them. Each variable is
  // validated alone, so one bad variable does not make every use of the others an error too.
  const declared = isDict(data.vars) ? Object.keys(data.vars) : [];
  const varSpecs: Record<string, VarSpec> = {};
  if (data.vars !== undefined && !isDict(data.vars))
    issues.add([
      problem(
        ['vars'],
        `must be a mapping of variable names to { oneOf: [...] } or { int: { min, max } }, got ${typeName(data.vars)}`,
      ),
    ]);
  for (const name of declared) {
    const entry = (data.vars as Dict)[name];
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      issues.add([
        problem(['vars', name], 'a variable name is letters, digits and _, not starting with a digit', 'key'),
      ]);
      continue;
    }
    const parsed = varSpecSchema.safeParse(entry);
    if (parsed.success) varSpecs[name] = parsed.data;
    else {
      const sub = zodProblems(parsed.error.issues, { schema: varSpecSchema, data: entry, typeKind });
      issues.add(sub.map((item) => ({ ...item, path: ['vars', name, ...item.path] })));
    }
  }
  issues.add(templateProblems(data, declared));

  // The lab and its services.
  let lab: { info: LabInfo; lab: string; dir: string } | undefined;
  if (typeof data.lab === 'string' && /^[a-z0-9][a-z0-9._-]*$/.test(data.lab)) {
    const labDir = path.join(labsRoot, data.lab);
    if (!directoryExists(labDir)) {
      const available = listDirs(labsRoot).filter((name) => fileExists(path.join(labsRoot, name, 'compose.yaml')));
      issues.add([
        problem(
          ['lab'],
          `no lab \`${data.lab}\` in ${labsRoot}${didYouMean(data.lab, available) || (available.length > 0 ? ` (labs: ${available.join(', ')})` : '')}`,
        ),
      ]);
    } else if (!fileExists(path.join(labDir, 'compose.yaml'))) {
      issues.add([problem(['lab'], `lab \`${data.lab}\` has no compose.yaml`)]);
    } else {
      const info = labInfo(labDir);
      if (info.composeError)
        issues.add([problem(['lab'], `the lab's compose file does not load: ${info.composeError}`)]);
      lab = { info, lab: data.lab, dir: labDir };
    }
  }

  // The id names the folder, so `breakfix start <id>` finds it.
  if (
    path.basename(absolute) === 'scenario.yaml' &&
    typeof data.id === 'string' &&
    kebabCase.test(data.id) &&
    data.id !== path.basename(dir)
  ) {
    issues.add([
      problem(['id'], `id \`${data.id}\` must be the name of the scenario folder (\`${path.basename(dir)}\`)`),
    ]);
  }

  // Solution files.
  let solutionDir: string | undefined;
  const solution = isDict(data.solution) ? data.solution : undefined;
  if (solution && typeof solution.files === 'string') {
    const candidate = path.resolve(dir, solution.files);
    // A path that leaves the folder is refused by the schema already.
    if (!insideDir(dir, candidate)) solutionDir = undefined;
    else if (!directoryExists(candidate))
      issues.add([
        problem(
          ['solution', 'files'],
          `folder ${JSON.stringify(solution.files)} does not exist next to the scenario file`,
        ),
      ]);
    else solutionDir = candidate;
  } else if (directoryExists(path.join(dir, 'solution'))) solutionDir = path.join(dir, 'solution');
  if (solutionDir) solutionFileIssues(solutionDir, declared, issues);
  for (const key of ['wrongFixes', 'rightFixes'] as const) {
    const fixes = data[key];
    if (!Array.isArray(fixes)) continue;
    fixes.forEach((fix, index) => {
      if (!isDict(fix) || typeof fix.files !== 'string') return;
      const candidate = path.resolve(dir, fix.files);
      if (!insideDir(dir, candidate)) return; // refused by the schema
      if (!directoryExists(candidate))
        issues.add([
          problem(
            [key, index, 'files'],
            `folder ${JSON.stringify(fix.files)} does not exist next to the scenario file`,
          ),
        ]);
      else solutionFileIssues(candidate, declared, issues);
    });
  }

  // The document, once per covering assignment of the variables.
  const assignments = coveringAssignments(varSpecs);
  const ctxFor = (rendered: unknown): IssueContext => ({ schema: scenarioSchema, data: rendered, typeKind });
  let first: { keys: Set<string>; output?: ScenarioDocument } | undefined;
  for (const assignment of assignments) {
    const rendered: Dict = { ...data };
    for (const key of TEMPLATED_KEYS)
      if (key in rendered) rendered[key] = renderValue(rendered[key], assignment, 'keep');
    const result = scenarioSchema.safeParse(rendered);
    // A template left unrendered belongs to an undefined or invalid variable, reported above.
    const schemaProblems = result.success
      ? []
      : zodProblems(result.error.issues, ctxFor(rendered)).filter(
          (item) => item.path[0] !== 'vars' && !holdsTemplate(valueAt(rendered, item.path)),
        );
    const problems = [...schemaProblems, ...semanticProblems(rendered, lab)];
    const keys = issues.keys(problems);
    if (!first) {
      first = { keys: new Set(keys), ...(result.success ? { output: result.data } : {}) };
      issues.add(problems);
    } else {
      const own = problems.filter((_, index) => !first?.keys.has(keys[index] as string));
      issues.add(own, ` (with ${describeAssignment(assignment)})`);
    }
  }

  if (issues.list.length > 0 || !first?.output || !lab) {
    if (issues.list.length === 0)
      issues.push({ file: absolute, line: 1, col: 1, message: 'the scenario could not be validated', path: '' });
    return { ok: false, errors: issues.sorted() };
  }
  const output = first.output;
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
    ...(solutionDir ? { solutionDir } : {}),
    vars: varSpecs,
    document: data as ScenarioInput,
  };
  return { ok: true, scenario, source: text };
}
