/**
 * What `status`, the TUI and `GET /v1/sessions/:id` show of a session: read without taking the
 * lock, and without loading what changes a lab (the state machine, deploys, checks and faults),
 * so that a short command loads only this.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { GradeReport } from '../grading/report.js';
import { containerName } from '../deploy/lab.js';
import { readReleases } from '../deploy/releases.js';
import { engineRestart } from './engine-restart.js';
import { loadCompose } from '../compose/index.js';
import type { PublishedPort, Runtime } from '../runtime/runtime.js';
import type { SessionContext } from './context.js';
import { nextDeadlineAt } from './deadlines.js';
import { isProcessAlive } from '../util/process-alive.js';
import type { ResolvedScenario } from './session.js';
import { readSessionFile, stateDir, type SessionFile } from './store.js';
import { scenarioTexts } from './scenario-summary.js';

export interface ServiceView {
  name: string;
  container: string;
  status: string;
  health: string;
  restarts: number;
  exitCode: number;
  ports: PublishedPort[];
  image: string;
}

export interface SessionView {
  sessionId: string;
  scenarioId: string;
  title: string;
  /** The course of the scenario, when it belongs to one. */
  course?: { id: string; dir: string };
  /** The scenario file the lab's rules come from now. */
  scenarioFile?: string;
  /** Its hash when the lab started, and whether the file has changed since (the authoring loop). */
  scenarioHash?: string;
  scenarioChanged?: boolean;
  workspace: string;
  seed: number;
  state: string;
  /** Set while another process works on the session. */
  busy?: { state: string; pid: number; since: string };
  createdAt: string;
  activeSince?: string;
  attempts: number;
  release: number;
  releases: number;
  lastReport?: GradeReport;
  /**
   * The last check round ran before the release that runs now (an apply or a rollback came
   * after it): its verdict is about a lab that is gone.
   */
  lastReportStale?: boolean;
  lastFailure?: SessionContext['lastFailure'];
  error?: SessionContext['error'];
  hints: { revealed: string[]; unlocked: number; total: number; nextRule?: { attempts?: number; elapsedMs?: number } };
  /** Epoch ms of the next hint or escalation deadline: a long-running front end calls `tickLab` then. */
  nextDeadlineAt?: number;
  services: ServiceView[];
  /**
   * The Docker engine restarted after the lab's last deploy: when, and what that did to the
   * lab (services without a restart policy stay stopped). `apply` brings the lab back.
   */
  engineRestart?: { at: string; deployedOn: string; message: string };
}

/** The recorded scenario file and hash, and whether the file differs now. */
function scenarioFileState(file: SessionFile): Pick<SessionView, 'scenarioFile' | 'scenarioHash' | 'scenarioChanged'> {
  if (!file.scenarioFile) return {};
  let current: string | undefined;
  try {
    current = `sha256:${createHash('sha256').update(readFileSync(file.scenarioFile)).digest('hex')}`;
  } catch {
    current = undefined;
  }
  return {
    scenarioFile: file.scenarioFile,
    ...(file.scenarioHash ? { scenarioHash: file.scenarioHash } : {}),
    ...(file.scenarioHash ? { scenarioChanged: current !== file.scenarioHash } : {}),
  };
}

/** Everything `status`, the TUI and `GET /v1/sessions/:id` show; reads without taking the lock. */
export async function describeSession(
  workspace: string,
  deps: { runtime: Runtime; resolveScenario: (ref: string, seed: number) => Promise<ResolvedScenario> },
): Promise<SessionView> {
  const file = await readSessionFile(workspace);
  const scenario = await scenarioTexts(workspace, file, deps.resolveScenario);
  const context = (file.snapshot as { context?: SessionContext } | undefined)?.context;
  const compose = loadCompose(workspace);
  const releases = await readReleases(stateDir(workspace));
  const serviceNames = compose.ok
    ? Object.keys(compose.plan.services)
    : Object.keys(releases.at(-1)?.plan.services ?? {});
  const lab = { sessionId: file.sessionId };
  const services = await Promise.all(
    serviceNames.map(async (name): Promise<ServiceView> => {
      const state =
        file.state === 'stopped' ? undefined : await deps.runtime.inspectContainer(containerName(lab, name));
      return {
        name,
        container: containerName(lab, name),
        status: state?.status ?? 'absent',
        health: state?.health ?? 'none',
        restarts: state?.restartCount ?? 0,
        exitCode: state?.exitCode ?? 0,
        ports: state?.ports ?? [],
        image: state?.image ?? '',
      };
    }),
  );
  const restart =
    file.state === 'stopped'
      ? undefined
      : engineRestart(file.engineBootedAt, (await deps.runtime.info()).bootedAt, services);
  const revealed = scenario.hints.slice(0, context?.hintsRevealed ?? 0).map((hint) => hint.text);
  const next = scenario.hints[context?.hintsUnlocked ?? 0]?.after;
  const busy = file.progress && isProcessAlive(file.progress.pid) ? file.progress : undefined;
  const running = releases.at(-1);
  const stale =
    context?.lastReport !== undefined &&
    running !== undefined &&
    Date.parse(context.lastReport.startedAt) < Date.parse(running.at);
  const nextDeadline = file.state === 'active' ? nextDeadlineAt(context) : undefined;
  return {
    sessionId: file.sessionId,
    scenarioId: file.scenarioId,
    title: scenario.title,
    ...(file.course ? { course: file.course } : {}),
    ...scenarioFileState(file),
    workspace: file.workspace,
    seed: file.seed,
    state: busy?.state ?? file.state ?? (file.progress ? 'interrupted' : 'unknown'),
    ...(busy ? { busy } : {}),
    createdAt: file.createdAt,
    ...(context?.activeSince ? { activeSince: new Date(context.activeSince).toISOString() } : {}),
    attempts: context?.attempts ?? 0,
    release: context?.release ?? 0,
    releases: releases.length,
    ...(context?.lastReport ? { lastReport: context.lastReport } : {}),
    ...(stale ? { lastReportStale: true } : {}),
    ...(context?.lastFailure ? { lastFailure: context.lastFailure } : {}),
    ...(context?.error ? { error: context.error } : {}),
    hints: {
      revealed,
      unlocked: context?.hintsUnlocked ?? 0,
      total: scenario.hints.length,
      ...(next ? { nextRule: next } : {}),
    },
    ...(nextDeadline !== undefined ? { nextDeadlineAt: nextDeadline } : {}),
    services,
    ...(restart ? { engineRestart: restart } : {}),
  };
}
