/**
 * The engine's operations as the CLI, the TUI and the HTTP API use them: each resolves
 * scenarios, connects to Docker (lazily: `list` and `validate` never load testcontainers) and
 * calls the session, verify and grade modules.
 */
import { randomInt } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import { BreakfixError, scenarioError, usageError } from './errors.js';
import type { GradeResult } from './grading/grade.js';
import type { Runtime } from './runtime/runtime.js';
import type { Scenario } from './scenario/instantiate.js';
import type { SessionNotice } from './session/drive.js';
import type { LearnerEvent } from './session/drive.js';
import type { ResolvedScenario, SessionDeps, SessionResult, SessionView, StartedSession } from './session/session.js';
import { findWorkspace, hasSession } from './session/store.js';
import type { VerifyOptions, VerifyResult } from './verify/verify.js';

// Instantiated scenarios by file, seed and file time: the TUI describes its lab every second.
const resolved = new Map<string, { mtimeMs: number; scenario: Scenario; variants: 'all' | 'first' }>();

/**
 * A scenario as the engine runs it for one seed (zod and the loader load on first use). `ref`
 * is anything a person types for a scenario: its id, `<course-id>/<id>`, a scenario folder or
 * its scenario.yaml (see engine/course/scenario-ref.ts). `variants: 'first'` is for a session
 * that exists: its scenario was validated for every variable choice when it started, and a
 * lab command only needs it loaded (scenario/load.ts).
 */
export async function resolveScenario(
  ref: string,
  seed: number,
  options: { variants?: 'all' | 'first' } = {},
): Promise<Scenario> {
  const variants = options.variants ?? 'all';
  const [{ locateScenario }, { loadScenarioFile }, { formatIssue }, { instantiateScenario }] = await Promise.all([
    import('./course/scenario-ref.js'),
    import('./scenario/load.js'),
    import('./source/issues.js'),
    import('./scenario/instantiate.js'),
  ]);
  const { file } = locateScenario(ref);
  const mtimeMs = statSync(file).mtimeMs;
  const key = `${file}#${seed}`;
  const cached = resolved.get(key);
  if (cached && cached.mtimeMs === mtimeMs && (variants === 'first' || cached.variants === 'all'))
    return cached.scenario;
  const loaded = loadScenarioFile(file, { variants });
  if (!loaded.ok)
    throw scenarioError(
      `scenario ${ref} is invalid:\n${loaded.errors.map((issue) => `  ${formatIssue(issue)}`).join('\n')}`,
      `run \`breakfix validate ${path.relative(process.cwd(), path.dirname(file)) || '.'}\``,
    );
  const scenario = instantiateScenario(loaded.scenario, seed);
  resolved.set(key, { mtimeMs, scenario, variants });
  return scenario;
}

async function resolveForSession(ref: string, seed: number): Promise<ResolvedScenario> {
  const scenario = await resolveScenario(ref, seed, { variants: 'first' });
  return { scenario, labSource: scenario.labDir };
}

/**
 * A resolver for the sessions `verify` and `grade` start around one scenario: its id means
 * that scenario's file, whichever courses the process sees.
 */
function pinnedResolver(pinned: Scenario): (ref: string, seed: number) => Promise<ResolvedScenario> {
  return (ref, seed) => resolveForSession(ref === pinned.id ? pinned.file : ref, seed);
}

/** `sha256:<hex>` of a scenario file's bytes, as a session and a grade record it. */
async function fileHash(file: string): Promise<string> {
  const { scenarioFileHash } = await import('./grading/provenance.js');
  return scenarioFileHash(file);
}

export interface EngineOptions {
  onNotice?: (notice: SessionNotice) => void;
  signal?: AbortSignal;
  /** Cancels the step in progress without stopping the lab (Ctrl-C during `check`). */
  interrupt?: AbortSignal;
  /** `rollback --to N`: the release a ROLLBACK returns to. */
  rollbackTo?: number;
  /** Wait this long for another process working on the same session. */
  waitMs?: number;
  runtime?: Runtime;
}

let connected = false;

export async function connect(): Promise<Runtime> {
  const { connectRuntime } = await import('./runtime/index.js');
  connected = true;
  return connectRuntime();
}

/**
 * Ends the Docker connection `connect` opened (a no-op when none was): a command calls it when
 * its work is done, so that nothing of the engine keeps the process alive.
 */
export async function disconnect(): Promise<void> {
  if (!connected) return;
  connected = false;
  const { disconnectRuntime } = await import('./runtime/index.js');
  await disconnectRuntime();
}

async function deps(options: EngineOptions, pinned?: Scenario): Promise<SessionDeps> {
  return {
    runtime: options.runtime ?? (await connect()),
    resolveScenario: pinned ? pinnedResolver(pinned) : resolveForSession,
    ...(options.onNotice ? { onNotice: options.onNotice } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.interrupt ? { interrupt: options.interrupt } : {}),
    ...(options.rollbackTo !== undefined ? { rollbackTo: options.rollbackTo } : {}),
    ...(options.waitMs !== undefined ? { waitMs: options.waitMs } : {}),
  };
}

/** Seeds are small positive integers, easy to read out to a classmate or put in a CI job. */
export function randomSeed(): number {
  return randomInt(1, 1_000_000);
}

export interface StartLabOptions extends EngineOptions {
  scenario: string;
  workspace?: string;
  seed?: number;
  /** In a workspace whose lab was stopped: back the learner's files up and start afresh (else resume on them). */
  fresh?: boolean;
  /** Called once the session exists on disk, before the (long) start: its id and workspace, resumed or backed up. */
  onSession?: (session: StartedSession) => void;
}

export async function startLabSession(options: StartLabOptions): Promise<SessionResult> {
  const seed = options.seed ?? randomSeed();
  // Validate the scenario before touching Docker: a typo in an id fails in milliseconds.
  const scenario = await resolveScenario(options.scenario, seed);
  const workspace = path.resolve(options.workspace ?? scenario.id);
  const { startSession } = await import('./session/session.js');
  return startSession(
    {
      scenarioId: scenario.id,
      workspace,
      seed,
      scenarioFile: scenario.file,
      scenarioHash: await fileHash(scenario.file),
      ...(scenario.course ? { course: scenario.course } : {}),
      ...(options.fresh ? { fresh: true } : {}),
      ...(options.onSession ? { onSession: options.onSession } : {}),
    },
    await deps(options, scenario),
  );
}

/** The workspace a command acts on: `--workspace`, else the nearest folder upward holding a session. */
export function locateWorkspace(explicit?: string): string {
  if (explicit !== undefined) {
    const resolved = path.resolve(explicit);
    // Usage errors (exit 2): the command was pointed at the wrong place.
    if (!hasSession(resolved))
      throw usageError(
        `${resolved} holds no breakfix session`,
        'start one with `breakfix start <scenario>`',
        'no-session',
      );
    return resolved;
  }
  const found = findWorkspace();
  if (!found)
    throw usageError(
      'not inside a breakfix workspace (no .breakfix/ here or above)',
      'start a lab with `breakfix start <scenario>`, or pass --workspace DIR',
    );
  return found;
}

export async function sendToLab(
  workspace: string,
  event: LearnerEvent,
  options: EngineOptions = {},
): Promise<SessionResult> {
  const { sendToSession } = await import('./session/session.js');
  return sendToSession(workspace, event, await deps(options));
}

/** `check --only ID...`: those checks on the running lab, from the scenario file as it is now; no attempt counted. */
export async function checkLabOnly(
  workspace: string,
  ids: readonly string[],
  options: EngineOptions = {},
): Promise<import('./grading/report.js').GradeReport> {
  const { checkOnly } = await import('./session/check-only.js');
  const engine = await deps(options);
  return checkOnly(workspace, ids, engine);
}

export async function tickLab(workspace: string, options: EngineOptions = {}): Promise<SessionResult> {
  const { tickSession } = await import('./session/session.js');
  return tickSession(workspace, await deps(options));
}

export async function describeLab(workspace: string, options: EngineOptions = {}): Promise<SessionView> {
  const { describeSession } = await import('./session/describe.js');
  return describeSession(workspace, await deps(options));
}

export interface LogOptions {
  follow?: boolean;
  tail?: number;
  signal?: AbortSignal;
  runtime?: Runtime;
}

/** `docker logs` of a lab service, by service name. */
export async function labLogs(
  workspace: string,
  service: string,
  onLine: (line: string) => void,
  options: LogOptions = {},
): Promise<void> {
  const { readSessionFile } = await import('./session/store.js');
  const { containerName } = await import('./deploy/lab.js');
  const file = await readSessionFile(workspace);
  const runtime = options.runtime ?? (await connect());
  const container = containerName({ sessionId: file.sessionId }, service);
  if (!(await runtime.inspectContainer(container))) {
    const view = await describeLab(workspace, { runtime });
    const names = view.services.map((entry) => entry.name);
    throw usageError(
      `the lab has no container for service ${service}`,
      names.length > 0 ? `services: ${names.join(', ')}` : undefined,
    );
  }
  if (options.follow) {
    await runtime.followLogs(
      container,
      onLine,
      options.signal ?? new AbortController().signal,
      options.tail !== undefined ? { tail: options.tail } : {},
    );
    return;
  }
  const text = await runtime.logs(container, options.tail !== undefined ? { tail: options.tail } : {});
  for (const line of text.replace(/\n$/, '').split('\n')) if (line.length > 0) onLine(line);
}

export interface VerifyScenarioOptions extends EngineOptions, VerifyOptions {
  seed?: number;
}

export async function verifyLab(id: string, options: VerifyScenarioOptions = {}): Promise<VerifyResult> {
  const { verifyScenario } = await import('./verify/verify.js');
  const scenario = await resolveScenario(id, options.seed ?? 1);
  return verifyScenario(scenario, await deps(options, scenario), options);
}

export interface GradeOptions extends EngineOptions {
  scenario: string;
  submission: string;
  seed?: number;
  /** Who is graded; recorded in the report (see engine/grading/learner.ts). */
  learner?: string;
}

/**
 * Grades with the caller's seed, else 1 — never the seed a submission's `.breakfix/` records:
 * that file is the learner's to edit. Checks are written so a correct fix passes whatever the
 * seed (they judge the fix, not the chosen values), so seed 1 is a safe default.
 */
export async function gradeLab(options: GradeOptions): Promise<GradeResult> {
  const [{ gradeSubmission }, { breakfixVersion }] = await Promise.all([
    import('./grading/grade.js'),
    import('./grading/provenance.js'),
  ]);
  const submission = path.resolve(options.submission);
  const seed = options.seed ?? 1;
  const scenario = await resolveScenario(options.scenario, seed);
  // Hashed before grading: the file graded against, even if someone edits it meanwhile.
  const scenarioHash = await fileHash(scenario.file);
  const result = await gradeSubmission(scenario, submission, await deps(options, scenario));
  const { report } = result;
  return {
    ...result,
    report: {
      ...report,
      seed,
      endedAt: new Date(Date.parse(report.startedAt) + report.durationMs).toISOString(),
      ...(options.learner !== undefined ? { learner: options.learner } : {}),
      scenarioHash,
      breakfixVersion: breakfixVersion(),
      ...(scenario.course ? { course: scenario.course.id } : {}),
    },
  };
}

export async function collectLabGarbage(options: { runtime?: Runtime } = {}) {
  const { collectGarbage } = await import('./session/gc.js');
  return collectGarbage(options.runtime ?? (await connect()));
}

// Instructor and environment tools, each loading its module on first use.

/**
 * `breakfix validate`: course folders, scenario folders and files; no path, the course the
 * command sees (or `scenariosDir`). Scenario edits are simulated on their labs.
 */
export async function validateScenarios(
  ...args: Parameters<typeof import('./course/validate-files.js').validatePaths>
) {
  return (await import('./course/validate-files.js')).validatePaths(...args);
}

export async function loadScenarioFile(...args: Parameters<typeof import('./scenario/load.js').loadScenarioFile>) {
  return (await import('./scenario/load.js')).loadScenarioFile(...args);
}

export async function scenarioJsonSchema() {
  return (await import('./scenario/json-schema.js')).scenarioJsonSchema();
}

export async function loadCompose(...args: Parameters<typeof import('./compose/index.js').loadCompose>) {
  return (await import('./compose/index.js')).loadCompose(...args);
}

export async function runDoctor(...args: Parameters<typeof import('./doctor/index.js').runDoctor>) {
  return (await import('./doctor/index.js')).runDoctor(...args);
}

export async function ensureImages(...args: Parameters<typeof import('./images/index.js').ensureImages>) {
  return (await import('./images/index.js')).ensureImages(...args);
}

/** breakfix's image catalogue plus the courses' recipes; loaded on demand (it reads Dockerfiles with the build code). */
export async function catalogueWithCourses(
  ...args: Parameters<typeof import('./images/course-images.js').catalogueWithCourses>
) {
  return (await import('./images/course-images.js')).catalogueWithCourses(...args);
}

export async function probeDocker(...args: Parameters<typeof import('./runtime/docker-client.js').probeDocker>) {
  return (await import('./runtime/docker-client.js')).probeDocker(...args);
}

/** The class roll-up of `breakfix report`: result files and a roster in, md/csv/json/classroom out. */
export function loadRollup() {
  return import('./grading/rollup/index.js');
}

/** The report renderers (JSON, JUnit XML, TAP, text); XML writing loads only when grading. */
export function loadReporters() {
  return import('./grading/reporters/index.js');
}

/** Where the learner is: progress through the course, labs that are up, the next scenario (no Docker). */
export async function describeLearnerJourney(
  ...args: Parameters<typeof import('./progress/journey.js').describeJourney>
) {
  return (await import('./progress/journey.js')).describeJourney(...args);
}

/** `list`: solved and best score of every scenario with progress, by `<course>/<scenario>` (no Docker). */
export async function readLearnerScores(...args: Parameters<typeof import('./progress/journey.js').learnerScores>) {
  return (await import('./progress/journey.js')).learnerScores(...args);
}

/** The next unsolved scenario after `current` in the course's order, for a debrief. */
export async function nextScenarioAfter(...args: Parameters<typeof import('./progress/journey.js').nextAfter>) {
  return (await import('./progress/journey.js')).nextAfter(...args);
}

/** `progress --reset [<id>]`: forgets one scenario's progress, or the whole course's. */
export async function resetLearnerProgress(...args: Parameters<typeof import('./progress/record.js').resetProgress>) {
  return (await import('./progress/record.js')).resetProgress(...args);
}

/** `breakfix releases`: every release of a lab, which one runs, where a rollback goes (no Docker). */
export async function readLabReleases(workspace: string) {
  return (await import('./session/release-history.js')).readReleaseHistory(workspace);
}

export { BreakfixError };
