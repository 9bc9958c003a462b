/**
 * The TUI's state and how events change it: a reducer, so every transition is a pure function
 * the unit tests drive without rendering.
 */
import type {
  LabProgress,
  LabScenarioInfo,
  SessionContext,
  SessionNotice,
  SessionResult,
  SessionView,
} from '../../engine/index.js';
import { newEscalation } from '../../engine/index.js';
import { reportSummary } from '../render/check-report.js';
import { STATE_LABELS } from '../render/progress.js';

import { firstLine } from '../shared/explain.js';

export type ActionName = 'start' | 'check' | 'apply' | 'rollback' | 'hint' | 'reset' | 'stop' | 'tick';

export const ACTION_LABELS: Readonly<Record<ActionName, string>> = {
  start: 'starting the lab',
  check: 'running the checks',
  apply: 'applying your files',
  rollback: 'rolling back',
  hint: 'revealing a hint',
  reset: 'resetting the lab',
  stop: 'removing the lab',
  tick: 'updating timers',
};

/** Actions that build or deploy: the progress board replaces the checks panel while they run. */
export const DEPLOYING_ACTIONS: ReadonlySet<ActionName> = new Set(['start', 'apply', 'rollback', 'reset', 'stop']);

export interface Activity {
  action: ActionName;
  since: number;
}

export interface ServiceProgress {
  status?: Extract<LabProgress, { phase: 'service' }>['status'];
  detail?: string;
  /** `step 3/7 RUN apt-get install…` */
  step?: string;
  /** The build's latest output line. */
  output?: string;
}

export interface ProgressBoard {
  /** The session state being worked on, e.g. `building`. */
  stage?: string;
  services: Record<string, ServiceProgress>;
  symptoms: { observed: number; missing: number };
}

export type MessageTone = 'info' | 'ok' | 'warn' | 'error';

export interface TuiMessage {
  tone: MessageTone;
  text: string;
}

export type Phase = 'starting' | 'ready' | 'failed';

export interface TuiModel {
  phase: Phase;
  view?: SessionView;
  /** From the last result this process got: deadlines live here, not in the view. */
  context?: SessionContext;
  activity?: Activity;
  board: ProgressBoard;
  message?: TuiMessage;
  failure?: { reason: string; next: string };
  logService?: string;
  /** The learner picked the log service with `l`: stop choosing it for them. */
  logChosen?: boolean;
  /** Rows the log pane is scrolled up from the newest line (0 or absent: following). */
  logScroll?: number;
  /** Only log lines containing this text. */
  logFilter?: string;
  /** The filter being typed after `/` (keys type into it until Enter or Esc). */
  logFilterDraft?: string;
  help: boolean;
  /** A destructive key pressed once, waiting for its second press. */
  confirm?: { command: 'reset' | 'stop'; until: number };
  /** Ctrl-C pressed once while busy: a second one within the window leaves. */
  leaveUntil?: number;
}

export type TuiEvent =
  | { type: 'view'; view: SessionView }
  | { type: 'begin'; action: ActionName; now: number }
  | { type: 'notice'; notice: SessionNotice }
  | { type: 'done'; action: ActionName; result: SessionResult; message?: TuiMessage }
  | { type: 'action-error'; action: ActionName; text: string }
  | { type: 'start-failed'; reason: string; next: string }
  | { type: 'message'; message: TuiMessage | undefined }
  | { type: 'toggle-help' }
  | { type: 'close-help' }
  | { type: 'cycle-log' }
  /** Scroll the log pane by `by` rows (positive: up, to older lines), within `max`. */
  | { type: 'log-scroll'; by: number; max: number }
  | { type: 'log-follow' }
  /** Start (a string), change, or cancel (undefined) typing a filter. */
  | { type: 'log-filter-draft'; draft: string | undefined }
  /** Apply a filter (an empty one clears it). */
  | { type: 'log-filter'; filter: string }
  | { type: 'confirm'; command: 'reset' | 'stop'; until: number }
  | { type: 'cancel-confirm' }
  | { type: 'leave-armed'; until: number };

export const emptyBoard = (): ProgressBoard => ({ services: {}, symptoms: { observed: 0, missing: 0 } });

export function initialModel(mode: 'start' | 'attach'): TuiModel {
  return { phase: mode === 'start' ? 'starting' : 'ready', board: emptyBoard(), help: false };
}

export function applyNotice(board: ProgressBoard, notice: SessionNotice): ProgressBoard {
  switch (notice.type) {
    case 'state':
      return STATE_LABELS[notice.state] ? { ...board, stage: notice.state } : board;
    case 'progress': {
      const { progress } = notice;
      // A build shared by several services ("api, migrate") reports under each of them.
      const names = progress.service.split(', ');
      const services = { ...board.services };
      for (const name of names) {
        const current = services[name] ?? {};
        if (progress.phase === 'service') {
          const next: ServiceProgress = { ...current, status: progress.status };
          if (progress.detail) next.detail = progress.detail;
          else delete next.detail;
          services[name] = next;
        } else if (progress.event.kind === 'step') {
          services[name] = {
            ...current,
            step: `step ${progress.event.step}/${progress.event.total} ${progress.event.instruction}`,
          };
        } else {
          services[name] = { ...current, output: progress.event.line };
        }
      }
      return { ...board, services };
    }
    case 'symptom': {
      const observed = notice.outcome.status === 'passed';
      return {
        ...board,
        symptoms: {
          observed: board.symptoms.observed + (observed ? 1 : 0),
          missing: board.symptoms.missing + (observed ? 0 : 1),
        },
      };
    }
    default:
      return board;
  }
}

function patchView(view: SessionView, result: SessionResult): SessionView {
  const { context } = result;
  const next: SessionView = {
    ...view,
    state: result.state,
    attempts: context.attempts ?? view.attempts,
    release: context.release ?? view.release,
  };
  if (context.lastReport) next.lastReport = context.lastReport;
  // A new round is about the release that runs; a new release makes the round before it stale.
  if (context.lastReport && context.lastReport.startedAt !== view.lastReport?.startedAt) delete next.lastReportStale;
  else if (next.lastReport && next.release !== view.release) next.lastReportStale = true;
  // The work a poll saw in progress was this action, and it is over.
  delete next.busy;
  return next;
}

/** Services of the lab, in compose order; the log panel starts on the one with a published port. */
function defaultLogService(view: SessionView): string | undefined {
  return (view.services.find((service) => service.ports.length > 0) ?? view.services[0])?.name;
}

export function reduce(model: TuiModel, event: TuiEvent): TuiModel {
  switch (event.type) {
    case 'view': {
      const names = event.view.services.map((service) => service.name);
      const logService =
        model.logChosen && model.logService && names.includes(model.logService)
          ? model.logService
          : defaultLogService(event.view);
      const next: TuiModel = { ...model, view: event.view };
      if (logService) next.logService = logService;
      return next;
    }
    case 'begin': {
      const next: TuiModel = { ...model, activity: { action: event.action, since: event.now } };
      delete next.confirm;
      if (event.action !== 'tick') delete next.message;
      if (DEPLOYING_ACTIONS.has(event.action)) next.board = emptyBoard();
      return next;
    }
    case 'notice': {
      const next = { ...model, board: applyNotice(model.board, event.notice) };
      if (event.notice.type === 'state') next.context = event.notice.context;
      return next;
    }
    case 'done': {
      const next: TuiModel = { ...model, context: event.result.context };
      // Show the outcome at once; the next poll brings the rest (containers, hint texts).
      if (model.view) next.view = patchView(model.view, event.result);
      delete next.activity;
      delete next.leaveUntil;
      if (event.message) next.message = event.message;
      if (event.result.state === 'active' || event.result.state === 'passed') {
        next.phase = 'ready';
        delete next.failure;
      }
      return next;
    }
    case 'action-error': {
      const next: TuiModel = { ...model, message: { tone: 'error', text: event.text } };
      delete next.activity;
      delete next.leaveUntil;
      return next;
    }
    case 'start-failed': {
      const next: TuiModel = { ...model, phase: 'failed', failure: { reason: event.reason, next: event.next } };
      delete next.activity;
      return next;
    }
    case 'message': {
      const next = { ...model };
      if (event.message) next.message = event.message;
      else delete next.message;
      return next;
    }
    case 'toggle-help':
      return { ...model, help: !model.help };
    case 'close-help':
      return { ...model, help: false };
    case 'cycle-log': {
      const names = model.view?.services.map((service) => service.name) ?? [];
      if (names.length === 0) return model;
      const index = model.logService ? names.indexOf(model.logService) : -1;
      const next: TuiModel = { ...model, logService: names[(index + 1) % names.length] as string, logChosen: true };
      delete next.logScroll;
      return next;
    }
    case 'log-scroll': {
      const next: TuiModel = {
        ...model,
        logScroll: Math.min(Math.max(0, (model.logScroll ?? 0) + event.by), event.max),
      };
      if (next.logScroll === 0) delete next.logScroll;
      return next;
    }
    case 'log-follow': {
      const next = { ...model };
      delete next.logScroll;
      return next;
    }
    case 'log-filter-draft': {
      const next = { ...model };
      if (event.draft === undefined) delete next.logFilterDraft;
      else next.logFilterDraft = event.draft;
      return next;
    }
    case 'log-filter': {
      const next = { ...model };
      delete next.logFilterDraft;
      delete next.logScroll;
      if (event.filter.trim() === '') delete next.logFilter;
      else next.logFilter = event.filter.trim();
      return next;
    }
    case 'confirm':
      return { ...model, confirm: { command: event.command, until: event.until } };
    case 'cancel-confirm': {
      const next = { ...model };
      delete next.confirm;
      return next;
    }
    case 'leave-armed':
      return { ...model, leaveUntil: event.until };
  }
}

/** What the status line says once an action is done. */
export function describeResult(
  action: ActionName,
  result: SessionResult,
  previous: SessionContext | undefined,
  scenario: LabScenarioInfo,
): TuiMessage | undefined {
  const { context } = result;
  switch (action) {
    case 'check': {
      if (context.lastFailure || !context.lastReport)
        return {
          tone: 'error',
          text: `the checks could not run: ${firstLine(context.lastFailure?.message ?? 'no report')}`,
        };
      if (context.lastReport.passed)
        return {
          tone: 'ok',
          text: `solved: ${reportSummary(context.lastReport)}. Read the debrief; s removes the lab`,
        };
      const unlocked =
        context.hintsUnlocked > (previous?.hintsUnlocked ?? context.hintsUnlocked)
          ? ' · a new hint is unlocked: press h'
          : '';
      return { tone: 'warn', text: `${reportSummary(context.lastReport)}${unlocked}` };
    }
    case 'apply':
    case 'rollback':
      if (context.lastFailure)
        return { tone: 'error', text: `${action} failed: ${firstLine(context.lastFailure.message)}` };
      return { tone: 'ok', text: `release ${context.release} is running · press c to check` };
    case 'hint':
      return { tone: 'info', text: `hint ${context.hintsRevealed} of ${context.hintRules.length} revealed` };
    case 'reset':
      return result.state === 'active'
        ? { tone: 'ok', text: 'the lab is back to its broken start; your old files are in .breakfix/backups/' }
        : undefined;
    case 'tick': {
      const escalated = newEscalation(previous, context);
      if (escalated !== undefined)
        return { tone: 'warn', text: `the incident got worse: ${scenario.escalations[escalated] ?? 'a new fault'}` };
      if (previous && context.hintsUnlocked > previous.hintsUnlocked)
        return { tone: 'info', text: 'a new hint is unlocked: press h' };
      return undefined;
    }
    case 'start':
    case 'stop':
      return undefined;
  }
}
