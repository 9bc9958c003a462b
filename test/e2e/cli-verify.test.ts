/**
 * `breakfix verify` as an instructor or CI runs it — and the one place CI proves every scenario
 * of the catalogue: `verify --all --wrong-fixes --until-rejected --json` runs each scenario's whole proof (the
 * fault bites, the checks fail before the fix, every declared wrong fix is rejected and every
 * right fix accepted — live and through `grade`, or through `grade` alone for a wrong fix it
 * rejects — the solution passes, no failure message
 * prints the fix, nothing is left behind), one scenario at a time, with the contract's JSON on
 * stdout (in `list` order) and progress on stderr. (`gc` is
 * not run for real here: on a shared Docker Engine it would sweep other people's labs.)
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin', 'breakfix');

function breakfix(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(bin, args, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
    // The whole catalogue, red teams included: 23 scenarios took 53 min (3166.5 s) with other
    // work beside them on two cores, and the catalogue grows; an hour was too close (spawnSync
    // kills the child at this timeout). CI's own limit (90 min) still bounds the run.
    timeout: 4_800_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface Fix {
  title: string;
  kind: 'wrong' | 'right';
  ok: boolean;
  rejectedBy: string[];
  judgedBy: 'live and grade' | 'grade';
  error?: string;
}

describe('breakfix verify', () => {
  it('--all --wrong-fixes --json proves every scenario and its red team', () => {
    const started = performance.now();
    // Two scenarios at a time (each judges two fixes at once beside its lab), those with a load
    // check one at a time before the rest, those on a heavy lab never two at once
    // (engine/verify/alone.ts). Measured on two
    // cores, four scenarios (wrong-port, migration-not-applied, hosted-cpu-starved,
    // shop-pool-exhaustion): 466 s one at a time with the CPU 48 % idle (most of a proof waits
    // on health checks and `within` windows), 281 s two at a time (16 % idle). An earlier
    // measurement said the opposite; its slow scenarios were grading holes, closed since.
    const jobs = '2';
    // Each wrong fix is judged until its first rejection: that is what CI has to prove, and the
    // load bursts listed after a failed check are most of a wrong fix's round.
    const result = breakfix(['verify', '--all', '--wrong-fixes', '--until-rejected', '--json', '--jobs', jobs]);
    const wall = (performance.now() - started) / 1000;
    const report = JSON.parse(result.stdout) as { ok: boolean; scenarios: Array<Record<string, unknown>> };
    const failures = report.scenarios
      .filter((scenario) => scenario['ok'] !== true)
      .map((scenario) => JSON.stringify(scenario, null, 1))
      .join('\n');
    expect(result.code, failures || result.stderr.slice(-4000)).toBe(0);
    expect(report.ok).toBe(true);
    const listed = (JSON.parse(breakfix(['list', '--json']).stdout) as Array<{ id: string }>).map(
      (scenario) => scenario.id,
    );
    expect(listed.length).toBeGreaterThanOrEqual(8);
    expect(report.scenarios.map((scenario) => scenario['id'])).toEqual(listed);
    for (const scenario of report.scenarios) {
      expect(scenario).toMatchObject({
        ok: true,
        symptomsObserved: true,
        failedBeforeFix: true,
        solutionPassed: true,
        leaked: 0,
        leaks: [],
        seconds: expect.any(Number),
        symptomSeconds: expect.any(Number),
        untilRejected: true,
      });
      // The red-team standard: at least four wrong fixes, all rejected; at least one right fix, accepted.
      const fixes = scenario['fixes'] as Fix[];
      const wrong = fixes.filter((fix) => fix.kind === 'wrong');
      const right = fixes.filter((fix) => fix.kind === 'right');
      expect(wrong.length, String(scenario['id'])).toBeGreaterThanOrEqual(4);
      expect(right.length, String(scenario['id'])).toBeGreaterThanOrEqual(1);
      for (const fix of fixes) expect(fix, `${String(scenario['id'])}: ${fix.title}`).toMatchObject({ ok: true });
      for (const fix of wrong) expect(fix.rejectedBy.length, fix.title).toBeGreaterThan(0);
      // A right fix is always judged in a live lab too; a wrong fix only when grade cannot settle it.
      for (const fix of right) expect(fix.judgedBy, fix.title).toBe('live and grade');
    }
    const fixes = report.scenarios.flatMap((scenario) => scenario['fixes'] as Fix[]);
    expect(fixes.filter((fix) => fix.kind === 'wrong' && fix.judgedBy === 'grade').length).toBeGreaterThan(0);
    expect(fixes.filter((fix) => fix.kind === 'wrong' && fix.judgedBy === 'live and grade').length).toBeGreaterThan(0);
    // Until the first rejection, commands run by hand in the lab need no live lab once grade has
    // rejected the files: 8 of hosted-db-volume-full's 12 wrong fixes are such commands.
    const volumeFull = report.scenarios.find((scenario) => scenario['id'] === 'hosted-db-volume-full');
    const byHand = (volumeFull?.['fixes'] as Fix[] | undefined)?.filter((fix) => fix.kind === 'wrong') ?? [];
    expect(byHand.map((fix) => fix.judgedBy)).toEqual(byHand.map(() => 'grade'));
    const figures = report.scenarios
      .map(
        (scenario) =>
          `${String(scenario['id'])} ${String(scenario['symptomSeconds'])}/${String(scenario['seconds'])} s${scenario['overBudget'] ? ' (over budget)' : ''}`,
      )
      .join(', ');
    console.log(
      `[measure] verify --all --wrong-fixes --until-rejected --jobs ${jobs}: wall ${wall.toFixed(1)} s; symptoms/whole proof: ${figures}`,
    );
    // Two at a time, every progress line names its scenario.
    for (const id of listed) expect(result.stderr).toContain(`[${id}] → confirming the symptoms\n`);
    // A scenario whose load checks time the lab is proven with no other scenario beside it (at
    // two at a time, hosted-cpu-starved's reference fix measured p95 1.8–2.3 s beside
    // hosted-db-volume-full, bound 1.5 s).
    expect(result.stderr).toContain('[hosted-cpu-starved] verifying alone: its load checks time the lab (seed 1)\n');
    // A scenario on a heavy lab (hosted-app: six services) never runs beside another one: two of
    // them side by side took 3049 s for the whole catalogue where their proofs alone sum to ~1850.
    expect(result.stderr).toContain(
      '[hosted-rollback-refused] verifying with no other heavy lab beside it: its lab has 5 services or more (seed 1)\n',
    );
  }, 4_800_000);

  it('refuses an unknown scenario before touching Docker', () => {
    const started = performance.now();
    const result = breakfix(['verify', 'wrong-prot']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(
      /^breakfix: unknown scenario wrong-prot; did you mean wrong-port\? \(run `breakfix list`/,
    );
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});

describe('breakfix gc', () => {
  it('says in one line that Docker cannot be reached, and how to fix it', () => {
    const result = breakfix(['gc', '--json'], { DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^breakfix: Docker is not reachable: .*\(run `breakfix doctor --fix`\)$/m);
  });
});
