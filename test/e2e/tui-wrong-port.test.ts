/**
 * The learner's whole loop in a real terminal: tmux runs `breakfix start wrong-port` (so the TUI
 * opens on a real pty), the test reads the screen and types keys like a person would — see the
 * unhealthy api, check (fails), fix the files, apply, check (passes), quit leaving the lab up —
 * then `breakfix stop` must leave nothing labelled with the session in Docker.
 *
 * Runs in the `docker` project: without Docker it fails (with the screen that says why).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin', 'breakfix');
const socket = `bf-e2e-${randomBytes(4).toString('hex')}`;
const target = 'learner';
const scratch = mkdtempSync(path.join(os.tmpdir(), 'bf-tui-'));
const workspace = path.join(scratch, 'wrong-port');

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
}

function screen(): string {
  try {
    return tmux('capture-pane', '-p', '-t', target);
  } catch (error) {
    return `(no screen: ${(error as Error).message})`;
  }
}

/** Polls the screen until `expected` shows; on timeout the error carries the last screen. */
async function waitForScreen(expected: RegExp, what: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    last = screen();
    if (expected.test(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `timed out after ${timeoutMs / 1000} s waiting for ${what} (${expected}). Last screen:\n${'-'.repeat(100)}\n${last}\n${'-'.repeat(100)}`,
  );
}

function press(key: string): void {
  tmux('send-keys', '-t', target, key);
}

function sessionId(): string {
  return (JSON.parse(readFileSync(path.join(workspace, '.breakfix', 'session.json'), 'utf8')) as { sessionId: string })
    .sessionId;
}

function labelled(session: string): string[] {
  const filter = `label=breakfix.session=${session}`;
  const list = (...args: string[]) =>
    execFileSync('docker', args, { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.trim() !== '');
  return [
    ...list('ps', '-a', '--filter', filter, '--format', 'container {{.Names}}'),
    ...list('network', 'ls', '--filter', filter, '--format', 'network {{.Name}}'),
    ...list('volume', 'ls', '--filter', filter, '--format', 'volume {{.Name}}'),
    ...list('images', '--filter', filter, '--format', 'image {{.Repository}}:{{.Tag}}'),
  ];
}

beforeAll(() => {
  const version = spawnSync('tmux', ['-V'], { encoding: 'utf8' });
  if (version.status !== 0) throw new Error('this end-to-end test needs tmux: `apt-get install tmux`');
  // A shell that stays after breakfix exits, so the test can read the exit code and the line
  // printed on the normal screen once the TUI's alternate screen is gone.
  // `env -u CI`: CI jobs export CI=true, which (rightly) keeps breakfix out of the TUI; this test
  // plays a learner at a real terminal, whatever the job that runs it.
  const command = `env -u CI ${bin} start wrong-port --workspace ${workspace} --seed 11; echo "__EXIT=$?__"; sleep 3600`;
  tmux(
    'new-session',
    '-d',
    '-s',
    target,
    '-x',
    '100',
    '-y',
    '30',
    '-e',
    'NO_COLOR=1',
    '-e',
    'TERM=xterm-256color',
    command,
  );
});

afterAll(() => {
  // Whatever happened, do not leave the lab or the terminal behind.
  if (existsSync(path.join(workspace, '.breakfix', 'session.json')))
    spawnSync(bin, ['stop', '--workspace', workspace], { encoding: 'utf8', timeout: 120_000 });
  spawnSync('tmux', ['-L', socket, 'kill-server']);
  rmSync(scratch, { recursive: true, force: true });
});

describe('the TUI on the wrong-port lab, in tmux (100×30)', () => {
  it('goes from a broken lab to all checks passing, then stop leaves nothing behind', async () => {
    // Cold image builds take a while; a warm start takes seconds.
    // The services panel shows the unhealthy api while the symptoms are still being confirmed:
    // wait for the lab to be active as well.
    let shown = await waitForScreen(
      /^breakfix · active · [\s\S]*✗ api\s+running unhealthy/m,
      'the active lab with the unhealthy api',
      240_000,
    );
    expect(shown).toMatch(/^breakfix · active · /m);
    expect(shown).toContain('Briefing');
    expect(shown).toMatch(/127\.0\.0\.1:\d+→8080/);
    expect(shown).toContain('c check  a apply  h hint  l logs  r reset  s stop  q quit  ? help');
    // The api's JSON log lines read as `time  level  message  key=value` in the logs pane.
    shown = await waitForScreen(/Logs api[\s\S]*info\s+listening/, "the api's log message in the logs pane", 60_000);
    expect(shown).toMatch(/address=0\.0\.0\.0:\d+/);
    expect(shown).not.toMatch(/\{"(ts|level|msg|event)"/);

    press('c');
    shown = await waitForScreen(/Checks\s+\d of 4 checks pass/, 'the first check round', 60_000);
    expect(shown).toMatch(/✗ api-reachable/);
    expect(shown).toMatch(/✗ api-healthy/);
    expect(shown).not.toContain('Debrief');

    cpSync(path.join(root, 'scenarios', 'wrong-port', 'solution'), workspace, { recursive: true });
    press('a');
    await waitForScreen(/release 2 is running/, 'the apply to finish', 180_000);
    // The services panel follows at the next poll of the lab.
    await waitForScreen(/✓ api\s+running healthy/, 'the api to be healthy after the fix', 30_000);

    press('c');
    shown = await waitForScreen(
      /Debrief — solved[\s\S]*4 of 4 checks pass · 100\/100/,
      'all checks to pass and the debrief',
      60_000,
    );
    expect(shown).toContain('Debrief — solved');
    expect(shown).toMatch(/^breakfix · passed · .* score 100\/100/m);

    press('q');
    shown = await waitForScreen(/__EXIT=\d+__/, 'breakfix to exit', 20_000);
    expect(shown).toContain('__EXIT=0__');
    expect(shown).toContain(`The lab keeps running in ${workspace}`);

    const session = sessionId();
    expect(labelled(session).some((entry) => entry.startsWith('container bf-'))).toBe(true);
    const stop = spawnSync(bin, ['stop', '--workspace', workspace], {
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(stop.status, stop.stderr).toBe(0);
    expect(stop.stdout).toContain('the lab was removed');
    expect(labelled(session)).toEqual([]);
  });
});
