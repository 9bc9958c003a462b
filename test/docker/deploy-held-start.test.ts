/**
 * A held start (`grading.hold`, the `deploy.hold` probe) on real containers: the service's
 * container starts at once — whatever waits only for it to start goes ahead — but not one
 * instruction of its program runs before the hold is over, however loaded the machine (the
 * earlier freeze-after-start let a quick job finish first). The program is still PID 1, and a
 * stop during the hold ends it at once instead of waiting out the grace period.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployLab } from '../../engine/deploy/deploy.js';
import { LabHarness, waitFor } from '../support/lab-harness.js';

const h = new LabHarness({ tag: 'hs' });
const HOLD_MS = 3_000;

/** The job's first output line: its PID and the clock, read inside the container (`$$` is compose's literal `$`). */
const PROGRAM = 'echo "pid=$$$$ at=$$(date +%s.%N)"; exit 0';

beforeAll(async () => {
  await h.prepare();
  await h.applyFault('compose.set', { path: 'services.job.command', value: ['sh', '-c', PROGRAM] });
  await h.applyFault('compose.set', {
    path: 'services.quiet.depends_on',
    value: { job: { condition: 'service_started' } },
  });
});

afterAll(async () => {
  expect(await h.cleanup()).toEqual([]);
});

const seconds = (iso: string) => Date.parse(iso) / 1000;

describe('a held start', () => {
  it('starts the container, runs its program only after the hold, as PID 1; a dependent goes ahead', async () => {
    const began = Date.now();
    const { services } = await deployLab({
      lab: h.lab,
      plan: await h.loadPlan(['job', 'quiet']),
      runtime: h.runtime,
      holds: { job: HOLD_MS },
    });
    expect(Date.now() - began, 'the deploy returns once the hold is over').toBeGreaterThanOrEqual(HOLD_MS);
    expect(services.job?.heldMs).toBe(HOLD_MS);
    expect(services.quiet?.heldMs).toBeUndefined();

    const job = await waitFor('job to finish', async () => {
      const state = await h.inspect('job');
      return state.State.Running ? undefined : state;
    });
    const logs = (await h.docker.getContainer(job.Id).logs({ stdout: true, stderr: true })).toString('utf8');
    const [, pid, at] = /pid=(\d+) at=([\d.]+)/.exec(logs) ?? [];
    expect(pid, `the program's output: ${logs}`).toBe('1');
    const ranAt = Number(at);
    expect(ranAt - seconds(job.State.StartedAt)).toBeGreaterThanOrEqual(HOLD_MS / 1000 - 0.05);
    expect(job.State.ExitCode).toBe(0);
    // quiet waits only for job to *start*: it started during the hold, before job's program ran.
    expect(seconds((await h.inspect('quiet')).State.StartedAt)).toBeLessThan(ranAt);
    // What the deploy records as the service's configuration is compose's, not the wrapper.
    const again = await deployLab({ lab: h.lab, plan: await h.loadPlan(['job', 'quiet']), runtime: h.runtime });
    expect(again.services.quiet?.outcome).toBe('kept');
  });

  it('a stop during the hold ends the container at once, and its program never ran', async () => {
    const aborted = new AbortController();
    const deploying = deployLab({
      lab: h.lab,
      plan: await h.loadPlan(['job']),
      runtime: h.runtime,
      recreateAll: true,
      holds: { job: 60_000 },
      signal: aborted.signal,
    });
    const container = h.service('job').container;
    for (let waited = 0; !(await h.runtime.inspectContainer(container))?.running; waited += 100) {
      if (waited > 60_000) throw new Error('job never started');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const stopping = Date.now();
    await h.runtime.stopContainer(container, 10);
    expect(Date.now() - stopping, 'the stop did not wait out the grace period').toBeLessThan(5_000);
    aborted.abort();
    await deploying;
    const job = await h.inspect('job');
    expect(job.State.ExitCode).toBe(143);
    const logs = (await h.docker.getContainer(job.Id).logs({ stdout: true, stderr: true })).toString('utf8');
    expect(logs).not.toMatch(/pid=/);
  });
});
