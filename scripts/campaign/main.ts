/**
 * `npm run campaign -- [--count N] [--out DIR] [--phases a,b] [--signals SIGINT,SIGKILL]
 * [--max-delay MS] [--seed N]`: the interruption campaign (campaign.ts), outside the default
 * test run. It shoots SIGINT and SIGKILL into every lifecycle phase of real labs until N shots
 * have landed, and reports, by phase, what landed, what leaked and which learner files were
 * lost. The tally is rewritten to DIR/tally.json after every shot and every line is appended to
 * DIR/campaign.log, so a run of hours can be watched, and read after a crash.
 *
 * Exit 0 when nothing leaked, no learner file was lost and every session still answered;
 * 1 otherwise; 2 for a usage error. It uses the machine's Docker Engine like any breakfix
 * command and removes only what its own sessions created.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { getDockerode } from '../../engine/runtime/docker-client.js';
import { runCampaign, type Tally } from './campaign.js';
import type { Interruption } from './interrupt.js';
import { ALL_PHASES, type Phase } from './phases.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function usage(message: string): never {
  process.stderr.write(`campaign: ${message}\n`);
  process.exit(2);
}

/** mulberry32: a seeded random source, so a run's order of shots can be replayed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function summary(tally: Tally): string[] {
  const phases = ALL_PHASES.map((phase) => {
    const counts = tally.landed[phase] ?? { SIGINT: 0, SIGKILL: 0 };
    return `  ${phase.padEnd(12)} SIGINT ${String(counts.SIGINT).padStart(4)}  SIGKILL ${String(counts.SIGKILL).padStart(4)}`;
  });
  const elsewhere = Object.keys(tally.landed).filter((phase) => !(ALL_PHASES as readonly string[]).includes(phase));
  return [
    `${tally.shots} interruptions in ${tally.rounds} rounds, ${Math.round(tally.seconds / 60)} min (${tally.missed} shots missed their phase and are not counted)${tally.stoppedEarly ? '; stopped early on request' : ''}`,
    ...phases,
    ...elsewhere.map((phase) => `  ${phase.padEnd(12)} ${JSON.stringify(tally.landed[phase])}`),
    `leaks: ${tally.leaks.length}${tally.leaks.length ? ` (${tally.leaks.map((leak) => `${leak.kind} ${leak.name}`).join(', ')})` : ''}`,
    `learner files lost: ${tally.lost.length}${tally.lost.length ? ` (${tally.lost.join('; ')})` : ''}`,
    `sessions that did not answer afterwards: ${tally.unusable.length}`,
    `leftovers only a second gc removed: ${tally.secondGc}`,
    ...(tally.notes.length ? ['notes:', ...tally.notes.map((note) => `  - ${note.replace(/\n/g, ' ')}`)] : []),
  ];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '24' },
      out: { type: 'string', default: path.join(os.tmpdir(), `breakfix-campaign-${process.pid}`) },
      phases: { type: 'string' },
      signals: { type: 'string', default: 'SIGINT,SIGKILL' },
      'max-delay': { type: 'string', default: '1500' },
      seed: { type: 'string', default: String(Date.now() % 1_000_000) },
    },
  });
  const count = Number(values.count);
  if (!Number.isInteger(count) || count < 1) usage('--count takes a whole number of interruptions');
  const phases = (values.phases?.split(',') ?? [...ALL_PHASES]) as Phase[];
  for (const phase of phases) if (!(ALL_PHASES as readonly string[]).includes(phase)) usage(`unknown phase ${phase}`);
  const signals = values.signals.split(',') as Interruption[];
  for (const signal of signals) if (signal !== 'SIGINT' && signal !== 'SIGKILL') usage(`unknown signal ${signal}`);
  const out = path.resolve(values.out);
  mkdirSync(out, { recursive: true });
  const logFile = path.join(out, 'campaign.log');
  const log = (line: string) => {
    const stamped = `${new Date().toISOString()} ${line}`;
    appendFileSync(logFile, `${stamped}\n`);
    process.stdout.write(`${stamped}\n`);
  };
  log(
    `campaign: ${count} interruptions, phases ${phases.join(',')}, signals ${signals.join(',')}, seed ${values.seed}`,
  );
  // SIGTERM or Ctrl-C ends the campaign cleanly: the shot in flight finishes, the round's lab
  // is stopped and collected, and the tally so far is written (a second signal kills at once).
  const stop = new AbortController();
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.once(signal, () => {
      log(`campaign: ${signal} — finishing the shot in flight, then stopping the round's lab`);
      stop.abort();
    });
  const tally = await runCampaign({
    stop: stop.signal,
    bin: path.join(root, 'bin', 'breakfix'),
    root: path.join(out, 'labs'),
    count,
    phases,
    signals,
    maxDelayMs: Number(values['max-delay']),
    docker: await getDockerode(),
    random: seeded(Number(values.seed)),
    log,
    onProgress: (progress) => writeFileSync(path.join(out, 'tally.json'), JSON.stringify(progress, null, 2)),
  });
  writeFileSync(path.join(out, 'tally.json'), JSON.stringify(tally, null, 2));
  for (const line of summary(tally)) log(line);
  process.exitCode = tally.leaks.length + tally.lost.length + tally.unusable.length === 0 ? 0 : 1;
}

await main();
