/**
 * What the server needs from the engine, as an interface: the real implementation is a thin
 * adapter over engine/index.ts; route tests inject a fake so they need no Docker.
 */
import {
  describeLab,
  gradeLab,
  hasSession,
  listScenarios,
  randomSeed,
  sendToLab,
  startLab,
  tickLab,
  type GradeResult,
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
  startLab(options: NoticeOptions & { scenario: string; workspace: string; seed: number }): Promise<SessionResult>;
  sendToLab(workspace: string, event: LearnerEvent, options?: NoticeOptions): Promise<SessionResult>;
  tickLab(workspace: string, options?: NoticeOptions): Promise<SessionResult>;
  describeLab(workspace: string): Promise<SessionView>;
  hasSession(workspace: string): boolean;
  gradeLab(
    options: NoticeOptions & { scenario: string; submission: string; seed?: number; learner?: string },
  ): Promise<GradeResult>;
}

export const realEngine: ServerEngine = {
  listScenarios: () => listScenarios().map(({ id, title, difficulty, tags }) => ({ id, title, difficulty, tags })),
  randomSeed,
  startLab: (options) => startLab(options),
  sendToLab: (workspace, event, options = {}) => sendToLab(workspace, event, options),
  tickLab: (workspace, options = {}) => tickLab(workspace, options),
  describeLab: (workspace) => describeLab(workspace),
  hasSession,
  gradeLab: (options) => gradeLab(options),
};

export type { GradeResult, LearnerEvent, SessionNotice, SessionResult, SessionView };
