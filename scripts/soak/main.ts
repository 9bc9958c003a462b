/**
 * `npm run soak -- [--rounds N] [--scenarios a,b,c,d] [--labs N] [--lab-scenario ID] [--out DIR]`:
 * the shared-engine soak behind docs/reliability.md, outside the default test run. Each round
 * runs one `breakfix verify <scenario> --json` process per scenario, all at once, while `labs`
 * loops start a lab and stop it again on the same engine until every verify has ended. A round
 * passes when every verify exits 0 with `ok: true` and nothing leaked, and every lab started
 * (exit 0) and stopped (exit 0) with nothing labelled with its session left behind.
 *
 * Every line goes to DIR/soak.log and the tally to DIR/soak.json after each round. Exit 0 when
 * every round passed, 1 otherwise, 2 for a usage error. It removes only what its own sessions
 * created.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { getDockerode } from '../../engine/runtime/docker-client.js';
import { leaksOf } from '../campaign/audit.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = path.join(root, 'bin', 'breakfix');

interface Run {
  code: number | null;
  /** stdout alone (verify --json prints its JSON there), and stdout with stderr for the log. */
  stdout: string;
  output: string;
  seconds: number;
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  const started = Date.now();
  const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let stdout = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    keep(chunk);
  });
  child.stderr.on('data', keep);
  return new Promise((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, output, seconds: (Date.now() - started) / 1000 })),
  );
}

interface VerifyOutcome {
  scenario: string;
  ok: boolean;
  code: number | null;
  seconds: number;
  leaked: number;
  why?: string;
}

interface RoundOutcome {
  round: number;
  ok: boolean;
  seconds: number;
  verifies: VerifyOutcome[];
  labs: { started: number; failed: string[] };
}

function verifyOutcome(scenario: string, result: Run): VerifyOutcome {
  try {
    const json = JSON.parse(result.stdout) as {
      ok: boolean;
      scenarios: Array<{ id: string; ok: boolean; leaked: number; reason?: string }>;
    };
    const entry = json.scenarios.find((item) => item.id === scenario);
    const ok = result.code === 0 && json.ok && entry?.ok === true && entry.leaked === 0;
    return {
      scenario,
      ok,
      code: result.code,
      seconds: result.seconds,
      leaked: entry?.leaked ?? -1,
      ...(ok ? {} : { why: result.output.slice(-600) }),
    };
  } catch {
    return {
      scenario,
      ok: false,
      code: result.code,
      seconds: result.seconds,
      leaked: -1,
      why: result.output.slice(-600),
    };
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '10' },
      scenarios: { type: 'string', default: 'wrong-port,missing-env-var,secret-not-mounted,logs-not-collected' },
      labs: { type: 'string', default: '1' },
      'lab-scenario': { type: 'string', default: 'wrong-port' },
      out: { type: 'string', default: path.join(os.tmpdir(), `breakfix-soak-${process.pid}`) },
    },
  });
  const rounds = Number(values.rounds);
  const labs = Number(values.labs);
  if (!Number.isInteger(rounds) || rounds < 1 || !Number.isInteger(labs) || labs < 0) {
    process.stderr.write('soak: --rounds takes a whole number >= 1, --labs a whole number >= 0\n');
    process.exit(2);
  }
  const scenarios = values.scenarios.split(',');
  const out = path.resolve(values.out);
  mkdirSync(path.join(out, 'tmp'), { recursive: true });
  const env = { ...process.env, NO_COLOR: '1', TMPDIR: path.join(out, 'tmp') };
  const log = (line: string) => {
    const stamped = `${new Date().toISOString()} ${line}`;
    appendFileSync(path.join(out, 'soak.log'), `${stamped}\n`);
    process.stdout.write(`${stamped}\n`);
  };
  const docker = await getDockerode();
  const outcomes: RoundOutcome[] = [];
  const started = Date.now();
  log(
    `soak: ${rounds} rounds; verify ${scenarios.join(', ')} at once; ${labs} lab loop(s) of ${values['lab-scenario']}`,
  );

  for (let round = 1; round <= rounds; round += 1) {
    const roundStarted = Date.now();
    let verifying = true;
    const verifies = Promise.all(
      scenarios.map(async (scenario) => verifyOutcome(scenario, await run(['verify', scenario, '--json'], env))),
    ).finally(() => (verifying = false));
    const labTally = { started: 0, failed: [] as string[] };
    const loops = Array.from({ length: labs }, async (_, loop) => {
      for (let cycle = 1; verifying; cycle += 1) {
        const workspace = path.join(out, `lab-${round}-${loop}-${cycle}`);
        const up = await run(['start', values['lab-scenario'], '--workspace', workspace, '--json'], env);
        let session = '';
        try {
          session = (
            JSON.parse(readFileSync(path.join(workspace, '.breakfix', 'session.json'), 'utf8')) as { sessionId: string }
          ).sessionId;
        } catch {
          // No session file: the start failed before it made one; reported below.
        }
        const down = await run(['stop', '--workspace', workspace], env);
        const leaks = session ? await leaksOf(docker, [session]) : [];
        if (up.code === 0 && down.code === 0 && leaks.length === 0 && session) labTally.started += 1;
        else
          labTally.failed.push(
            `lab ${session || '?'}: start ${up.code}, stop ${down.code}, leaked ${leaks.length}: ${(up.code === 0 ? down : up).output.slice(-300)}`,
          );
        rmSync(workspace, { recursive: true, force: true });
      }
    });
    const [verified] = await Promise.all([verifies, ...loops]);
    const outcome: RoundOutcome = {
      round,
      ok: verified.every((item) => item.ok) && labTally.failed.length === 0,
      seconds: Math.round((Date.now() - roundStarted) / 1000),
      verifies: verified,
      labs: labTally,
    };
    outcomes.push(outcome);
    log(
      `round ${round}: ${outcome.ok ? 'ok' : 'FAILED'} in ${outcome.seconds} s; ` +
        verified
          .map(
            (item) => `${item.scenario} ${item.ok ? 'ok' : `FAILED (exit ${item.code})`} ${Math.round(item.seconds)} s`,
          )
          .join(', ') +
        `; labs started and stopped: ${labTally.started}, failed: ${labTally.failed.length}`,
    );
    for (const item of verified.filter((entry) => !entry.ok))
      log(`  ${item.scenario}: ${item.why?.replace(/\n/g, ' | ')}`);
    for (const failure of labTally.failed) log(`  ${failure.replace(/\n/g, ' | ')}`);
    writeFileSync(
      path.join(out, 'soak.json'),
      JSON.stringify({ rounds: outcomes, seconds: Math.round((Date.now() - started) / 1000) }, null, 2),
    );
  }
  const failed = outcomes.filter((item) => !item.ok).length;
  log(`soak: ${outcomes.length} rounds, ${failed} failed, ${Math.round((Date.now() - started) / 60_000)} min`);
  process.exitCode = failed === 0 ? 0 : 1;
}

await main();
