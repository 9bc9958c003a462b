/**
 * What the server needs from the engine, as an interface: the real implementation is a thin
 * adapter over engine/index.ts; route tests inject the fake in test/support/fake-engine.ts, whose
 * labs are the same FakeLabSession the TUI tests drive, so they need no Docker.
 */
import {
  connect,
  createLab,
  deployQueue,
  gradeLab,
  hasSession,
  listCourseScenarios,
  openLab,
  randomSeed,
  resolveScenario,
  type GradeResult,
  type LabSession,
  type LearnerEvent,
  type Runtime,
  type SessionNotice,
  type SessionResult,
  type SessionView,
} from '../engine/index.js';

export interface ScenarioInfo {
  id: string;
  title: string;
  difficulty: string;
  tags: string[];
  /** The course it belongs to, and what to send as `scenario` (`<course-id>/<id>` when two courses share the id). */
  course?: string;
  ref?: string;
}

export interface NoticeOptions {
  onNotice?: (notice: SessionNotice) => void;
  signal?: AbortSignal;
}

export interface ServerEngine {
  listScenarios(): ScenarioInfo[];
  randomSeed(): number;
  /** A handle on a lab to start in `workspace` (an unknown scenario or no Docker fails here). */
  createLab(options: { scenario: string; workspace: string; seed: number }): Promise<LabSession>;
  /** A handle on the session in `workspace` (adopted after a restart). */
  openLab(workspace: string): Promise<LabSession>;
  hasSession(workspace: string): boolean;
  gradeLab(
    options: NoticeOptions & { scenario: string; submission: string; seed?: number; learner?: string },
  ): Promise<GradeResult>;
  /** Lab deploys of this process: running, waiting their turn (BREAKFIX_DEPLOYS_AT_ONCE), the limit. */
  deployQueue?(): { running: number; waiting: number; limit: number };
}

/** One Docker connection for every lab this server runs (connected on first use). */
let runtime: Promise<Runtime> | undefined;
const sharedRuntime = (): Promise<Runtime> => {
  runtime ??= connect().catch((error: unknown) => {
    runtime = undefined; // Docker may come back: the next request tries again
    throw error;
  });
  return runtime;
};

export const realEngine: ServerEngine = {
  listScenarios: () =>
    listCourseScenarios().map(({ id, title, difficulty, tags, course, ref }) => ({
      id,
      title,
      difficulty,
      tags,
      course,
      ref,
    })),
  randomSeed,
  createLab: async (options) => {
    // Connecting and loading the scenario side by side; createLab then finds the scenario cached.
    const [docker] = await Promise.all([sharedRuntime(), resolveScenario(options.scenario, options.seed)]);
    return createLab({ ...options, runtime: docker });
  },
  openLab: async (workspace) => openLab(workspace, { runtime: await sharedRuntime() }),
  hasSession,
  gradeLab: (options) => gradeLab(options),
  deployQueue,
};

export type { GradeResult, LabSession, LearnerEvent, SessionNotice, SessionResult, SessionView };
