/**
 * The learner's TUI: header, briefing (debrief once solved), services, checks (or build and
 * deploy progress while the lab changes), hints, the log of one service, a status line and the
 * keys. Data comes from a LabSession (engine/index.ts), so tests drive it with the fake in
 * test/support/fake-lab-session.ts.
 */
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { Box, useApp, useInput, useWindowSize } from 'ink';
import type { LabSession, NoticeListener, SessionResult } from '../../engine/index.js';
import { nextHintRule } from '../render/status.js';
import { explainSessionError } from '../shared/explain.js';
import { useDebriefExtras, type NextLookup } from './hooks/use-debrief.js';
import { useLogFollow } from './hooks/use-log-follow.js';
import { logKeyEvents } from './log-keys.js';
import { logRows } from './log-view.js';
import { useSessionPoll } from './hooks/use-session-poll.js';
import { useTicker } from './hooks/use-ticker.js';
import { keyCommand, bindingOf, type KeyCommand } from './keys.js';
import { ACTING_EVENTS, errorParts, failureOf, useTrackedReducer, type RunOutcome } from './app-state.js';
import type { TuiOutcome } from './outcome.js';
import { columnWidths, planLayout, type TerminalSize } from './layout.js';
import { DEPLOYING_ACTIONS, describeResult, type ActionName } from './model.js';
import { briefingLines } from './panels/BriefingPanel.js';
import { failureSegments } from './panels/FailurePanel.js';
import { Footer } from './panels/Footer.js';
import { Header } from './panels/Header.js';
import { HelpPanel } from './panels/HelpPanel.js';
import { hintSegments } from './panels/HintsPanel.js';
import { ColorContext } from './panels/Line.js';
import { LogPanel } from './panels/LogPanel.js';
import { MainColumn } from './panels/MainColumn.js';
import { progressSegments } from './panels/ProgressPanel.js';
import { StatusLine } from './panels/StatusLine.js';

export interface AppProps {
  source: LabSession;
  /** `start` brings the lab up first; `attach` opens a running lab. */
  mode: 'start' | 'attach';
  onOutcome: (outcome: TuiOutcome) => void;
  pollMs?: number;
  /** Overrides the terminal's size (tests render at 80×24 and larger). */
  size?: TerminalSize;
  now?: () => number;
  color?: boolean;
  /** How long a first press of r, s or a busy Ctrl-C waits for the second. */
  confirmMs?: number;
  logRetryMs?: number;
  /** After a failed tick (another process held the session), wait this long before the next. */
  tickRetryMs?: number;
  /** Fires `interrupt` on SIGINT/SIGTERM from outside the terminal (raw mode turns Ctrl-C into a key). */
  interrupts?: EventTarget;
  /** The course's next unsolved scenario, named under the debrief (the learner's progress). */
  nextAfter?: NextLookup;
}

export function App(props: AppProps) {
  const { source, mode, onOutcome } = props;
  const pollMs = props.pollMs ?? 1_000;
  const confirmMs = props.confirmMs ?? 3_000;
  const tickRetryMs = props.tickRetryMs ?? 5_000;
  const clock = props.now ?? Date.now;
  const { exit } = useApp();
  const windowSize = useWindowSize();
  const size = props.size ?? { columns: windowSize.columns || 80, rows: windowSize.rows || 24 };

  const [model, dispatch, modelRef] = useTrackedReducer(mode);
  // The reducer's `activity` arrives a render late; two quick keys must not start two actions.
  const busyRef = useRef(false);
  const startAbort = useRef(new AbortController());
  const ended = useRef(false);

  const finish = useCallback(
    (outcome: TuiOutcome) => {
      if (ended.current) return;
      ended.current = true;
      onOutcome(outcome);
      exit();
    },
    [exit, onOutcome],
  );

  // A poll may fail once (Docker busy); several in a row mean the learner should know.
  const pollFailures = useRef(0);
  const refresh = useSessionPoll(
    source,
    pollMs,
    (view) => {
      pollFailures.current = 0;
      // A poll that began during our own action may land after it ended: its "busy" is stale.
      if (view.busy?.pid === process.pid && !busyRef.current) {
        const { busy: _stale, ...rest } = view;
        dispatch({ type: 'view', view: rest });
      } else dispatch({ type: 'view', view });
    },
    (error) => {
      pollFailures.current += 1;
      if (pollFailures.current === 3 && modelRef.current.phase !== 'starting')
        dispatch({
          type: 'message',
          message: { tone: 'error', text: `cannot read the lab: ${errorParts(error).reason}` },
        });
    },
  );

  const run = useCallback(
    async (action: ActionName, work: (onNotice: NoticeListener) => Promise<SessionResult>): Promise<RunOutcome> => {
      if (busyRef.current) return { ok: false, reason: 'busy' };
      busyRef.current = true;
      dispatch({ type: 'begin', action, now: clock() });
      const previous = modelRef.current.context;
      try {
        const result = await work((notice) => dispatch({ type: 'notice', notice }));
        const message = describeResult(action, result, previous, source.scenario);
        dispatch({ type: 'done', action, result, ...(message ? { message } : {}) });
        return { ok: true, result };
      } catch (error) {
        const parts = errorParts(error);
        dispatch({ type: 'action-error', action, text: parts.next ? `${parts.reason} (${parts.next})` : parts.reason });
        return { ok: false, ...parts };
      } finally {
        busyRef.current = false;
        refresh();
      }
    },
    [clock, refresh, source],
  );

  /** A lab that ended in `error` (start, reset): explain it with the next step. */
  const failWith = useCallback(
    async (result: SessionResult) => {
      const error = result.error ?? {
        during: result.state,
        kind: 'environment' as const,
        message: `the lab ended in state ${result.state}`,
      };
      const why = await explainSessionError(error, source.scenario.id);
      dispatch({ type: 'start-failed', reason: why.reason, next: why.next });
    },
    [source],
  );

  // Bring the lab up (start), or catch up with timers that fell due while nobody watched (attach).
  useEffect(() => {
    if (mode === 'attach') {
      void run('tick', (onNotice) => source.tick({ onNotice }));
      return;
    }
    void (async () => {
      const outcome = await run('start', (onNotice) => source.start({ onNotice, signal: startAbort.current.signal }));
      if (startAbort.current.signal.aborted) {
        // Aborted before the engine listened: stop what it built anyway.
        if (outcome.ok && outcome.result.state !== 'stopped') await source.send('STOP').catch(() => undefined);
        finish({ kind: 'interrupted' });
        return;
      }
      if (!outcome.ok)
        dispatch({
          type: 'start-failed',
          reason: outcome.reason,
          next: outcome.next ?? 'run `breakfix doctor` to check Docker and the images',
        });
      else if (outcome.result.state === 'error') await failWith(outcome.result);
      else if (outcome.result.state === 'stopped') finish({ kind: 'stopped' });
    })();
    // Runs once: the TUI is one start or one attach.
  }, []);

  // Hint and escalation deadlines: the engine only fires them when asked; the session's one
  // tick loop asks, through `run` so the status line shows it, and waits while a key's action runs.
  useEffect(() => {
    const schedule = source.scheduleTicks({
      busy: () => busyRef.current || modelRef.current.phase !== 'ready',
      retryMs: tickRetryMs,
      now: clock,
      tick: async () => {
        const outcome = await run('tick', (onNotice) => source.tick({ onNotice }));
        if (!outcome.ok) throw new Error(outcome.reason);
        return outcome.result;
      },
    });
    return () => schedule.stop();
  }, [source, run, clock, tickRetryMs]);

  const say = (tone: 'info' | 'warn', text: string) => dispatch({ type: 'message', message: { tone, text } });
  const failure = failureOf(model);

  const act = async (command: KeyCommand) => {
    const entry = ACTING_EVENTS[command];
    if (!entry) return;
    const outcome = await run(entry.action, (onNotice) => source.send(entry.event, { onNotice }));
    if (!outcome.ok) return;
    if (entry.action === 'stop' && outcome.result.state === 'stopped') finish({ kind: 'stopped' });
    else if (outcome.result.state === 'error') await failWith(outcome.result);
  };

  const handleKey = (command: KeyCommand) => {
    const current = modelRef.current;
    const failure = failureOf(current);
    const now = clock();
    switch (command) {
      case 'help':
        dispatch({ type: 'toggle-help' });
        return;
      case 'close':
        dispatch({ type: 'close-help' });
        return;
      case 'cycle-log':
        dispatch({ type: 'cycle-log' });
        return;
      case 'interrupt':
        if (current.phase === 'starting') {
          if (startAbort.current.signal.aborted) finish({ kind: 'interrupted' });
          else {
            startAbort.current.abort();
            say('warn', 'cancelling: removing what was created… (Ctrl-C again to leave at once)');
          }
          return;
        }
        if (busyRef.current) {
          if (current.leaveUntil !== undefined && current.leaveUntil > now) finish({ kind: 'left-running' });
          else {
            dispatch({ type: 'leave-armed', until: now + confirmMs });
            say('warn', 'Ctrl-C again to leave anyway (the lab keeps running)');
          }
          return;
        }
        finish(failure ? { kind: 'failed', ...failure } : { kind: 'left-running' });
        return;
      case 'quit':
        if (current.phase === 'starting')
          say('warn', 'the lab is still starting: Ctrl-C cancels it and removes what was created');
        else if (busyRef.current) say('warn', 'q works once it finishes');
        else finish(failure ? { kind: 'failed', ...failure } : { kind: 'left-running' });
        return;
      default:
        break;
    }
    // Keys that act on the lab.
    if (current.phase === 'starting' || busyRef.current) {
      // The status line already says what is running.
      say('warn', `${bindingOf(command)?.key ?? command} ignored until it finishes`);
      return;
    }
    if (failure && command !== 'reset' && command !== 'stop') {
      say('warn', 'the lab is not up: r starts over, s removes it, q quits');
      return;
    }
    if (command === 'hint') {
      const view = current.view;
      if (view && view.hints.unlocked <= view.hints.revealed.length) {
        const next = view.hints.unlocked < view.hints.total ? nextHintRule(view, now) : undefined;
        say(
          'info',
          view.hints.revealed.length >= view.hints.total
            ? 'no more hints: you have them all'
            : `no hint unlocked yet${next ? `: ${next}` : ''}`,
        );
        return;
      }
    }
    if (command === 'reset' || command === 'stop') {
      const armed = current.confirm && current.confirm.command === command && current.confirm.until > now;
      if (!armed) {
        dispatch({ type: 'confirm', command, until: now + confirmMs });
        return;
      }
    }
    void act(command);
  };

  const onInterrupt = useRef(() => handleKey('interrupt'));
  onInterrupt.current = () => handleKey('interrupt');
  useEffect(() => {
    const listener = () => onInterrupt.current();
    props.interrupts?.addEventListener('interrupt', listener);
    return () => props.interrupts?.removeEventListener('interrupt', listener);
  }, [props.interrupts]);

  // The log pane's size, as the last render laid it out: its keys scroll by it.
  const logPane = useRef({ pageRows: 1, maxScroll: 0 });
  useInput((input, key) => {
    const command = keyCommand(input, key);
    const current = modelRef.current;
    // The log pane first: while a filter is typed, every key is a character of it.
    const pane = logKeyEvents(current, input, key, command, logPane.current);
    for (const event of pane.events) dispatch(event);
    if (pane.consumed) return;
    // Any other key cancels a pending "press again" confirmation.
    if (current.confirm && command !== current.confirm.command) dispatch({ type: 'cancel-confirm' });
    if (command) handleKey(command);
  });

  const busy = model.activity !== undefined && model.activity.action !== 'tick';
  const now = clock();
  const frame = useTicker(100, busy);
  useTicker(1_000);
  const logs = useLogFollow(source, model.logService, props.logRetryMs);

  const view = model.view;
  const solved = view?.state === 'passed';
  const debriefExtras = useDebriefExtras(source, solved ? view?.lastReport?.startedAt : undefined, props.nextAfter);
  const briefText = solved
    ? `${source.scenario.debrief}${debriefExtras ? `\n\n${debriefExtras}` : ''}`
    : source.scenario.briefing;
  const showBoard =
    model.phase === 'starting' || (model.activity !== undefined && DEPLOYING_ACTIONS.has(model.activity.action));
  const { mainWidth } = columnWidths(size.columns);
  const report = view?.lastReport;
  const layout = planLayout(size, {
    briefing: failure
      ? failureSegments(failure.reason, failure.next, mainWidth).length
      : briefingLines(briefText, mainWidth).length,
    services: view?.services.length ?? 1,
    checks: showBoard ? progressSegments(model.board).length : (report?.checks.length ?? 1),
    hints: solved ? 0 : hintSegments(view, now, mainWidth).length,
    briefingFirst: solved,
  });
  const since = view ? Date.parse(view.activeSince ?? view.createdAt) : undefined;
  const state =
    view?.busy?.state ?? (model.phase === 'starting' ? (model.board.stage ?? 'starting') : (view?.state ?? 'starting'));

  const main = (
    <MainColumn
      layout={layout}
      failure={failure}
      briefText={briefText}
      solved={solved}
      view={view}
      host={source.host}
      logService={model.logService}
      showBoard={showBoard}
      board={model.board}
      now={now}
    />
  );
  const logWidth = layout.twoColumns ? layout.sideWidth : layout.mainWidth;
  const logRowCount = useMemo(
    () => logRows(logs.lines, logWidth, model.logFilter).rows.length,
    [logs.lines, logWidth, model.logFilter],
  );
  logPane.current = { pageRows: layout.logs, maxScroll: Math.max(0, logRowCount - layout.logs) };
  const logPanel = (
    <LogPanel
      service={model.logService}
      lines={logs.lines}
      note={logs.note}
      width={logWidth}
      maxLines={layout.logs}
      {...(model.logScroll ? { scroll: model.logScroll } : {})}
      {...(model.logFilter ? { filter: model.logFilter } : {})}
      {...(model.logFilterDraft !== undefined ? { draft: model.logFilterDraft } : {})}
    />
  );

  return (
    <ColorContext.Provider value={props.color ?? true}>
      <Box flexDirection="column" width={size.columns}>
        <Header
          title={source.scenario.title}
          state={state}
          elapsedMs={since === undefined ? undefined : now - since}
          report={report}
          width={size.columns}
        />
        {model.help ? (
          <HelpPanel
            width={size.columns}
            maxLines={Math.max(3, size.rows - 5)}
            workspace={source.workspace}
            briefing={briefText}
          />
        ) : layout.twoColumns ? (
          <Box flexDirection="row">
            <Box flexDirection="column" width={layout.mainWidth}>
              {main}
            </Box>
            <Box width={1} />
            <Box flexDirection="column" width={layout.sideWidth}>
              {logPanel}
            </Box>
          </Box>
        ) : (
          <>
            {main}
            {logPanel}
          </>
        )}
        <StatusLine model={model} frame={frame} now={now} width={size.columns} />
        <Footer busy={busy || model.phase === 'starting'} width={size.columns} />
      </Box>
    </ColorContext.Provider>
  );
}
