/**
 * The interruption campaign: rounds of shots at every lifecycle phase, with SIGINT and SIGKILL,
 * each followed by what a learner would do next, and an audit.
 *
 * A round: every start phase × both signals, each on a fresh workspace, then `gc`; then one lab
 * brought up and fixed (healthcheck-wrong-path, so that a check round reaches its probe), shot
 * in checking, probing, applying and rolling back with both signals — after each, `status` must
 * answer and the learner's files must be intact, and `apply` repairs the lab for the next shot;
 * then one reset and one teardown (their signal alternates between rounds), `stop`, `gc`. After
 * every shot that should have removed a session, nothing labelled with it may remain.
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type Dockerode from 'dockerode';
import { leaksOf, leaksUnder, lostFiles, sessionIn, startFinished, type Leak, type LearnerFile } from './audit.js';
import { interruptAt, runCommand, type Interruption, type Shot } from './interrupt.js';
import { bumpApiVersion, CAMPAIGN_SCENARIO, fixHealthcheck, writeNotes } from './lab-edits.js';
import { START_PHASES, type Phase } from './phases.js';

export interface CampaignOptions {
  bin: string;
  /** The campaign's folder: workspaces and (TMPDIR) the grader's sandboxes live under it. */
  root: string;
  /** Stop after this many shots that landed (the round in progress is finished first). */
  count: number;
  /** Stop after this many rounds even when fewer shots landed (the short run in CI). */
  maxRounds?: number;
  /** Only these phases (default: all). */
  phases: readonly Phase[];
  signals: readonly Interruption[];
  /**
   * `every`: each phase gets every signal in each round (the long run); `alternate`: each phase
   * gets one, the signals taking turns between phases and rounds (the short run in CI).
   */
  signalsPerPhase?: 'every' | 'alternate';
  maxDelayMs: number;
  docker: Dockerode;
  random: () => number;
  log: (line: string) => void;
  /** Called after every shot with the tally so far (the long run writes it to disk). */
  onProgress?: (tally: Tally) => void;
  /**
   * Aborted when the campaign is asked to stop (SIGTERM, Ctrl-C): the shot in flight finishes,
   * then the round's lab is stopped and collected as at a round's end — no live lab is left.
   */
  stop?: AbortSignal;
}

export interface Tally {
  shots: number;
  /** Shots by the phase they landed in, per signal. */
  landed: Record<string, Record<Interruption, number>>;
  /** Aimed at a phase the command went through too fast (or never reached): not counted. */
  missed: number;
  leaks: Leak[];
  lost: string[];
  /** The session did not answer `status` after a shot. */
  unusable: string[];
  /** Outcomes that are not failures but are worth reading (an unexpected exit code). */
  notes: string[];
  /**
   * Sessions whose leftovers the first `gc` after a shot did not remove and a second one did
   * (not a leak in the end, but gc should have done it at once: each is also in `notes`).
   */
  secondGc: number;
  rounds: number;
  startedAt: string;
  seconds: number;
  /** Asked to stop before `count` shots landed (the tally is what was reached). */
  stoppedEarly: boolean;
}

function pairs(
  phases: readonly Phase[],
  signals: readonly Interruption[],
  mode: 'every' | 'alternate',
  round: number,
): Array<{ phase: Phase; signal: Interruption }> {
  if (mode === 'alternate')
    return phases.map((phase, index) => ({ phase, signal: signals[(index + round) % signals.length]! }));
  return phases.flatMap((phase) => signals.map((signal) => ({ phase, signal })));
}

const shuffle = <T>(items: readonly T[], random: () => number): T[] =>
  items
    .map((item) => ({ item, key: random() }))
    .sort((a, b) => a.key - b.key)
    .map(({ item }) => item);

/**
 * How long to wait inside a phase before the signal: random up to a budget that adapts to the
 * phase — halved when a shot overshoots into the next phase (confirming lasts 40 ms when the
 * symptoms show at once, a build a minute), grown again when shots land.
 */
function aiming(maxDelayMs: number, random: () => number) {
  const budgets = new Map<Phase, number>();
  return {
    delay: (phase: Phase) => Math.floor(random() * (budgets.get(phase) ?? maxDelayMs)),
    landed: (shot: Shot) => {
      if (shot.landed === undefined) return;
      const budget = budgets.get(shot.aimed) ?? maxDelayMs;
      budgets.set(
        shot.aimed,
        shot.landed === shot.aimed ? Math.min(maxDelayMs, budget * 1.25 + 10) : Math.max(5, budget / 2),
      );
    },
  };
}

export async function runCampaign(options: CampaignOptions): Promise<Tally> {
  const aim = aiming(options.maxDelayMs, options.random);
  const started = Date.now();
  const tally: Tally = {
    shots: 0,
    landed: {},
    missed: 0,
    leaks: [],
    lost: [],
    unusable: [],
    notes: [],
    secondGc: 0,
    rounds: 0,
    startedAt: new Date(started).toISOString(),
    seconds: 0,
    stoppedEarly: false,
  };
  const stopping = () => options.stop?.aborted === true;
  const env = { ...process.env, NO_COLOR: '1', TMPDIR: path.join(options.root, 'tmp') };
  mkdirSync(env.TMPDIR, { recursive: true });
  const sessions = new Set<string>();
  let workspaces = 0;
  const freshWorkspace = () => path.join(options.root, `ws-${(workspaces += 1)}`);
  const cli = (args: string[]) => runCommand(options.bin, args, env);
  const wants = (phase: Phase) => options.phases.includes(phase);
  const mode = options.signalsPerPhase ?? 'every';

  const record = (shot: Shot, context: string) => {
    aim.landed(shot);
    tally.seconds = Math.round((Date.now() - started) / 1000);
    if (shot.landed === undefined || shot.landed === 'resting') {
      tally.missed += 1;
      options.log(
        `miss  ${shot.aimed} ${shot.signal}: the command ended first (exit ${shot.exitCode ?? shot.exitSignal}) ${context}`,
      );
      // A command that failed on its own (not a finished start, not our signal) is worth reading.
      if (shot.exitCode !== 0 && shot.exitCode !== null) {
        tally.notes.push(`${context} exited ${shot.exitCode} before the shot: ${shot.tail}`);
        options.log(`  its last lines: ${shot.tail.replace(/\n/g, ' | ')}`);
      }
      return false;
    }
    tally.shots += 1;
    const phase = (tally.landed[shot.landed] ??= { SIGINT: 0, SIGKILL: 0 });
    phase[shot.signal] += 1;
    options.log(
      `shot ${tally.shots} ${shot.signal} in ${shot.landed} (aimed ${shot.aimed}) after ${shot.ms} ms → exit ${shot.exitCode ?? shot.exitSignal} ${context}`,
    );
    options.onProgress?.(tally);
    return true;
  };

  /** After `gc` (and stop when needed), nothing of `session` may remain. */
  /** `gc` as the learner runs it; a failure is logged with what it printed. */
  const gc = async (when: string) => {
    const result = await cli(['gc', '--json']);
    if (result.code !== 0) {
      tally.notes.push(`gc after ${when} exited ${result.code}: ${result.output.slice(-300)}`);
      options.log(`gc after ${when} exited ${result.code}: ${result.output.slice(-300).replace(/\n/g, ' | ')}`);
    }
    return result;
  };

  /**
   * After `gc`, nothing of `session` may remain. What remains is given a second `gc` (the
   * learner would run it again); what survives that too is a leak.
   */
  const audit = async (session: string | undefined, when: string, first?: { output: string }) => {
    if (!session) return;
    const leaks = await leaksOf(options.docker, [session]);
    if (leaks.length === 0) return;
    const names = leaks.map((leak) => `${leak.kind} ${leak.name}`).join(', ');
    const report = first ? gcSaid(first.output, session) : '';
    await gc(`a second try after ${when}`);
    const left = await leaksOf(options.docker, [session]);
    if (left.length === 0) {
      tally.secondGc += 1;
      tally.notes.push(`${session} after ${when}: only a second gc removed ${names} ${report}`);
      options.log(`SECOND GC needed after ${when}: ${names} ${report}`);
      return;
    }
    tally.leaks.push(...left);
    options.log(`LEAK after ${when}: ${left.map((leak) => `${leak.kind} ${leak.name}`).join(', ')}`);
  };

  while (tally.shots < options.count && tally.rounds < (options.maxRounds ?? Infinity) && !stopping()) {
    tally.rounds += 1;
    const round = tally.rounds;
    options.log(`— round ${round} (${tally.shots} shots so far)`);

    // Start phases: a fresh workspace per shot.
    for (const { phase, signal } of shuffle(
      pairs(START_PHASES.filter(wants), options.signals, mode, round),
      options.random,
    )) {
      if (stopping()) break;
      const workspace = freshWorkspace();
      const shot = await interruptAt(
        ['start', CAMPAIGN_SCENARIO, '--workspace', workspace, '--seed', String(round), '--json'],
        workspace,
        phase,
        signal,
        { bin: options.bin, env, delayMs: aim.delay(phase), timeoutMs: 600_000 },
      );
      const session = sessionIn(workspace);
      if (session) sessions.add(session);
      // The last progress line can be `confirming` while the start has already saved its
      // resting state (confirming often lasts milliseconds): a signal after that hit a
      // finished start, whose lab is a learner's live one. Such a shot missed its phase.
      if (shot.landed !== undefined && startFinished(workspace)) delete shot.landed;
      const landed = record(shot, `[start ${session ?? '?'}]`);
      if (landed && signal === 'SIGINT' && shot.exitCode !== 130)
        tally.notes.push(`start interrupted with SIGINT in ${shot.landed} exited ${shot.exitCode}: ${shot.tail}`);
      // A start that finished before the shot is a live lab: the learner stops it.
      if (!landed) await cli(['stop', '--workspace', workspace]);
      const collected = await gc(`${signal} in ${shot.landed ?? 'nothing'}`);
      await audit(session, `${signal} in ${shot.landed ?? 'nothing'} + gc`, collected);
      rmSync(workspace, { recursive: true, force: true });
    }

    // Active phases on one lab.
    const active = ACTIVE_SEQUENCE.filter(wants);
    const ending = (['resetting', 'tearingDown'] as const).filter(wants);
    if (active.length + ending.length === 0 || stopping()) continue;
    const workspace = freshWorkspace();
    const files: LearnerFile[] = [];
    let version = 1;
    const setUp = async () => {
      const up = await cli(['start', CAMPAIGN_SCENARIO, '--workspace', workspace, '--seed', String(round), '--json']);
      if (up.code !== 0) throw new Error(`the campaign lab did not start: ${up.output.slice(-800)}`);
      files.push(writeNotes(workspace));
      fixHealthcheck(workspace);
      await cli(['apply', '--workspace', workspace]);
    };
    try {
      await setUp();
    } catch (error) {
      tally.notes.push(`round ${round}: ${(error as Error).message}`);
      const session = sessionIn(workspace);
      await cli(['stop', '--workspace', workspace]);
      await cli(['gc', '--json']);
      await audit(session, 'a lab that did not start');
      continue;
    }
    const session = sessionIn(workspace);
    if (session) sessions.add(session);

    const shotOnLab = async (phase: Phase, signal: Interruption, args: string[]) => {
      const shot = await interruptAt([...args, '--workspace', workspace], workspace, phase, signal, {
        bin: options.bin,
        env,
        delayMs: aim.delay(phase),
        timeoutMs: 600_000,
      });
      record(shot, `[${args[0]} ${session}]`);
      return shot;
    };
    const stillUsable = async (after: string) => {
      const status = await cli(['status', '--workspace', workspace, '--json']);
      if (status.code !== 0) {
        tally.unusable.push(`${session} after ${after}: ${status.output.slice(-300)}`);
        options.log(`UNUSABLE after ${after}: ${status.output.slice(-300)}`);
      }
      const lost = lostFiles(workspace, files);
      if (lost.length > 0) {
        tally.lost.push(...lost.map((file) => `${session}: ${file} after ${after}`));
        options.log(`LOST after ${after}: ${lost.join(', ')}`);
      }
    };

    for (const { phase, signal } of shuffle(pairs(active, options.signals, mode, round + 1), options.random)) {
      if (stopping()) break;
      if (phase === 'rollingBack') {
        // A new version, so that the rollback has an earlier one to return to.
        version += 1;
        bumpApiVersion(workspace, `2.0.${version}`);
        await cli(['apply', '--workspace', workspace]);
      }
      await shotOnLab(phase, signal, [phase === 'applying' ? 'apply' : phase === 'rollingBack' ? 'rollback' : 'check']);
      await stillUsable(`${signal} in ${phase}`);
      // Back to a lab whose checks pass, for the next shot (a killed probe is undone here too).
      const repaired = await cli(['apply', '--workspace', workspace]);
      if (repaired.code === 2)
        tally.notes.push(`apply after ${signal} in ${phase} exited 2: ${repaired.output.slice(-300)}`);
    }

    // One lab has one reset and one teardown to give: their signals take turns between rounds.
    for (const [index, phase] of ending.entries()) {
      if (stopping()) break;
      const signal = options.signals[(round + index) % options.signals.length]!;
      await shotOnLab(phase, signal, [phase === 'resetting' ? 'reset' : 'stop']);
      await stillUsable(`${signal} in ${phase}`);
      // The learner tries again, and it must work: the reset completes (their files move to a
      // backup), the second stop removes the lab.
      const again = await cli([phase === 'resetting' ? 'reset' : 'stop', '--workspace', workspace]);
      if (again.code !== 0)
        tally.notes.push(`${phase} again after ${signal} exited ${again.code}: ${again.output.slice(-300)}`);
      await stillUsable(`a second ${phase === 'resetting' ? 'reset' : 'stop'} after ${signal} in ${phase}`);
    }
    await cli(['stop', '--workspace', workspace]);
    await cli(['gc', '--json']);
    await audit(session, `round ${round}'s lab, stopped + gc`);
    const lost = lostFiles(workspace, files);
    if (lost.length > 0) tally.lost.push(...lost.map((file) => `${session}: ${file} at the end of round ${round}`));
    rmSync(workspace, { recursive: true, force: true });
    // Everything the round created, grader sandboxes included, is gone.
    await cli(['gc', '--json']);
    const left = await leaksUnder(options.docker, options.root, sessions);
    if (left.length > 0) {
      tally.leaks.push(...left.filter((leak) => !tally.leaks.some((known) => known.name === leak.name)));
      options.log(`LEAK at the end of round ${round}: ${left.map((leak) => `${leak.kind} ${leak.name}`).join(', ')}`);
    }
    tally.seconds = Math.round((Date.now() - started) / 1000);
    options.onProgress?.(tally);
  }
  tally.seconds = Math.round((Date.now() - started) / 1000);
  tally.stoppedEarly = stopping() && tally.shots < options.count;
  return tally;
}

/** What a `gc --json` report says about one session: kept as live, or how much it removed. */
function gcSaid(output: string, session: string): string {
  try {
    const report = JSON.parse(output) as {
      removed: Array<{ session: string }>;
      kept: Array<{ session: string; workspace: string }>;
    };
    const kept = report.kept.find((entry) => entry.session === session);
    if (kept) return `(the first gc kept it as a live session of ${kept.workspace})`;
    return `(the first gc removed ${report.removed.filter((entry) => entry.session === session).length} of its resources)`;
  } catch {
    return '(the first gc printed no report)';
  }
}

/** The active phases in the order a round shoots them (reset and teardown end the lab). */
const ACTIVE_SEQUENCE: readonly Phase[] = ['checking', 'probing', 'applying', 'rollingBack'];
