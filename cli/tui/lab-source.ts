/**
 * Everything the TUI asks of a lab, as one interface: the engine provides it in the real
 * command (engine-lab-source.ts), tests provide a fake. The TUI never imports the engine.
 */
import type { LearnerEvent, SessionNotice, SessionResult, SessionView } from '../../engine/index.js';

/** What the learner reads: rendered for the session's seed. */
export interface ScenarioInfo {
  id: string;
  title: string;
  briefing: string;
  debrief: string;
  /** Titles of the escalation stages, in order ("the database now runs out of connections"). */
  escalations: string[];
}

export type NoticeListener = (notice: SessionNotice) => void;

export interface LabSource {
  readonly workspace: string;
  readonly scenario: ScenarioInfo;
  /** Where published ports answer (127.0.0.1, or the DOCKER_HOST machine). */
  readonly host: string;
  /** Brings the lab up; aborting tears down what was created. Only for a TUI opened by `start`. */
  start(onNotice: NoticeListener, signal: AbortSignal): Promise<SessionResult>;
  /** Cheap and lock-free: polled about once a second. */
  describe(): Promise<SessionView>;
  send(event: LearnerEvent, onNotice: NoticeListener): Promise<SessionResult>;
  /** Fires hint and escalation deadlines that have come due. */
  tick(onNotice: NoticeListener): Promise<SessionResult>;
  /** Follows a service's output until `signal` aborts or the container goes away. */
  followLogs(service: string, onLine: (line: string) => void, signal: AbortSignal): Promise<void>;
}

/** How the TUI ended, which decides the exit code and the line printed after it. */
export type TuiOutcome =
  | { kind: 'left-running' }
  | { kind: 'stopped' }
  | { kind: 'interrupted' }
  | { kind: 'failed'; reason: string; next: string };
