/**
 * What the server needs from the engine, as an interface: the real implementation is a thin
 * adapter over engine/index.ts; route tests inject the fake in test/support/fake-engine.ts, whose
 * labs are the same FakeLabSession the TUI tests drive, so they need no Docker.
 */
import {
  createLab,
  gradeLab,
  hasSession,
  listScenarios,
  openLab,
  randomSeed,
  type GradeResult,
  type LabSession,
  type LearnerEvent,
  type SessionNotice,
  type SessionResult,
  type SessionView,
} from '../engine/index.js';

export interface ScenarioInfo {
  id: string;
  title: string;
  difficulty: string;
  tags: string[];
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
  gradeLab(options: NoticeOptions & { scenario: string; submission: string; seed?: number }): Promise<GradeResult>;
}

export const realEngine: ServerEngine = {
  listScenarios: () => listScenarios().map(({ id, title, difficulty, tags }) => ({ id, title, difficulty, tags })),
  randomSeed,
  createLab: (options) => createLab(options),
  openLab: (workspace) => openLab(workspace),
  hasSession,
  gradeLab: (options) => gradeLab(options),
};

export type { GradeResult, LabSession, LearnerEvent, SessionNotice, SessionResult, SessionView };
