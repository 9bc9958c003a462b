/**
 * Where the learner is: their progress through the course, the labs that are up (from the
 * workspaces progress remembers, and the folder they stand in), the last lab, and the next
 * scenario to work — what `breakfix` with no command and `breakfix progress` show. Reads files
 * only (no Docker): it answers at once.
 */
import { findWorkspace, hasSession, readSessionFile } from '../session/store.js';
import { isProcessAlive } from '../util/process-alive.js';
import { courseProgress, currentCourse, nextScenario, type CourseOrder } from './course.js';
import { progressFile, readProgress, type ProgressFile, type ScenarioProgress } from './store.js';

export interface JourneyScenario {
  id: string;
  title: string;
  difficulty: string;
  solved: boolean;
  bestScore?: number;
  maxScore?: number;
  bestFinalScore?: number;
  solvedAt?: string;
  timeToSolveMs?: number;
  checkRounds: number;
  hintsUsed: number;
  attempts: number;
  firstAttemptAt?: string;
  lastAttemptAt?: string;
}

export interface LabPlace {
  workspace: string;
  scenario: string;
  sessionId: string;
  /** The session's resting state, or what a living process is doing to it. */
  state: string;
  /** The current folder is (inside) this workspace. */
  here: boolean;
}

export interface NextStep {
  id: string;
  title: string;
  difficulty: string;
  /** The command that starts it (or opens its lab when one is up). */
  command: string;
}

export interface Journey {
  course: { id: string; title: string };
  /** Where progress is kept. */
  file: string;
  solved: number;
  total: number;
  scenarios: JourneyScenario[];
  /** Labs that are up (not stopped), most recent first. */
  labs: LabPlace[];
  /** The workspace the current folder belongs to, whatever its state. */
  here?: LabPlace;
  last?: ProgressFile['last'];
  next?: NextStep;
}

export function journeyScenario(
  summary: { id: string; title: string; difficulty: string },
  progress: ScenarioProgress | undefined,
): JourneyScenario {
  return {
    id: summary.id,
    title: summary.title,
    difficulty: summary.difficulty,
    solved: progress?.solved === true,
    ...(progress?.bestScore !== undefined ? { bestScore: progress.bestScore } : {}),
    ...(progress?.maxScore !== undefined ? { maxScore: progress.maxScore } : {}),
    ...(progress?.bestFinalScore !== undefined ? { bestFinalScore: progress.bestFinalScore } : {}),
    ...(progress?.solvedAt ? { solvedAt: progress.solvedAt } : {}),
    ...(progress?.timeToSolveMs !== undefined ? { timeToSolveMs: progress.timeToSolveMs } : {}),
    checkRounds: progress?.checkRounds ?? 0,
    hintsUsed: progress?.hintsUsed ?? 0,
    attempts: Object.keys(progress?.attempts ?? {}).length,
    ...(progress ? { firstAttemptAt: progress.firstAttemptAt, lastAttemptAt: progress.lastAttemptAt } : {}),
  };
}

async function labAt(workspace: string, here: string | undefined): Promise<LabPlace | undefined> {
  if (!hasSession(workspace)) return undefined;
  const file = await readSessionFile(workspace).catch(() => undefined);
  if (!file) return undefined;
  const working = file.progress && isProcessAlive(file.progress.pid) ? file.progress.state : undefined;
  return {
    workspace,
    scenario: file.scenarioId,
    sessionId: file.sessionId,
    state: working ?? file.state ?? (file.progress ? 'interrupted' : 'unknown'),
    here: workspace === here,
  };
}

/** Workspaces progress remembers, most recent attempt first. */
function rememberedWorkspaces(progress: ProgressFile): string[] {
  const attempts = Object.values(progress.courses).flatMap((course) =>
    Object.values(course.scenarios).flatMap((entry) => Object.values(entry.attempts)),
  );
  attempts.sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt));
  return [...new Set(attempts.map((attempt) => attempt.workspace))];
}

export interface JourneyOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  course?: CourseOrder;
}

export async function describeJourney(options: JourneyOptions = {}): Promise<Journey> {
  const file = progressFile(options.env);
  const [progress, course] = [
    await readProgress(file),
    options.course ?? currentCourse(options.cwd ? { cwd: options.cwd } : {}),
  ];
  const hereWorkspace = findWorkspace(options.cwd);
  const places = await Promise.all(
    [...new Set([...(hereWorkspace ? [hereWorkspace] : []), ...rememberedWorkspaces(progress)])].map((workspace) =>
      labAt(workspace, hereWorkspace),
    ),
  );
  const known = places.filter((place): place is LabPlace => place !== undefined);
  const labs = known.filter((place) => place.state !== 'stopped');
  const here = known.find((place) => place.here);
  const scenarios = courseProgress(course, progress).map((entry) => journeyScenario(entry.scenario, entry.progress));
  const upcoming = nextScenario(course, progress);
  const open = upcoming && labs.find((lab) => lab.scenario === upcoming.id);
  return {
    course: { id: course.id, title: course.title },
    file,
    solved: scenarios.filter((scenario) => scenario.solved).length,
    total: scenarios.length,
    scenarios,
    labs,
    ...(here ? { here } : {}),
    ...(progress.last ? { last: progress.last } : {}),
    ...(upcoming
      ? {
          next: {
            id: upcoming.id,
            title: upcoming.title,
            difficulty: upcoming.difficulty,
            command: open ? `cd ${open.workspace} && breakfix status` : `breakfix start ${upcoming.id}`,
          },
        }
      : {}),
  };
}

/** The scenario after `current` in the course's order that is not solved yet (a debrief's "next"). */
export async function nextAfter(
  current: string,
  options: { env?: NodeJS.ProcessEnv; course?: CourseOrder; courseDir?: string } = {},
): Promise<NextStep | undefined> {
  // The lab's own course (its folder), wherever the learner stands.
  const course =
    options.course ??
    currentCourse(options.courseDir ? { env: { ...process.env, BREAKFIX_COURSE: options.courseDir } } : {});
  const progress = await readProgress(progressFile(options.env)).catch(() => undefined);
  const upcoming = progress ? nextScenario(course, progress, current) : undefined;
  return upcoming
    ? {
        id: upcoming.id,
        title: upcoming.title,
        difficulty: upcoming.difficulty,
        command: `breakfix start ${upcoming.id}`,
      }
    : undefined;
}

/** Solved and best score of every scenario with progress, by `<course>/<scenario>` (what `list` marks). */
export async function learnerScores(
  options: { env?: NodeJS.ProcessEnv } = {},
): Promise<Record<string, { solved: boolean; bestScore?: number; maxScore?: number }>> {
  const progress = await readProgress(progressFile(options.env));
  const scores: Record<string, { solved: boolean; bestScore?: number; maxScore?: number }> = {};
  for (const [course, entry] of Object.entries(progress.courses))
    for (const [scenario, state] of Object.entries(entry.scenarios))
      scores[`${course}/${scenario}`] = {
        solved: state.solved,
        ...(state.bestScore !== undefined ? { bestScore: state.bestScore, maxScore: state.maxScore ?? 0 } : {}),
      };
  return scores;
}
