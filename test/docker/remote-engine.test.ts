/**
 * A remote Docker Engine, the way a class outgrows one machine (docs/scaling.md): breakfix on
 * this machine drives a second dockerd that lives in another network namespace, over TCP with
 * TLS (DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH), its lab ports published on the
 * address BREAKFIX_PUBLISH_ADDRESS names. Two scenarios are started, checked, fixed, graded and
 * verified there; the engine restarts under a running lab (`status` says so, `gc` leaves the
 * lab alone, `apply` brings it back). The engine is this test's own, so at the end nothing
 * labelled by breakfix may be left on it at all. (A command killed mid-deploy and `gc` are the
 * interruption campaign's, on the machine's engine: interrupt-campaign.test.ts.)
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRemoteEngine, type RemoteEngine } from '../support/remote-engine.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin', 'breakfix');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'bf-remote-ws-'));
let engine: RemoteEngine;

function breakfix(...args: string[]) {
  const result = spawnSync(bin, args, {
    encoding: 'utf8',
    env: { ...process.env, ...engine.env, NO_COLOR: '1' },
    timeout: 300_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function json<T>(result: { stdout: string; stderr: string }): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`not JSON:\n${result.stdout}\n${result.stderr}`);
  }
}

const sessionOf = (workspace: string) =>
  (JSON.parse(readFileSync(path.join(workspace, '.breakfix', 'session.json'), 'utf8')) as { sessionId: string })
    .sessionId;

/** Everything breakfix labelled with a session on the remote engine. */
function labelled(session?: string): string[] {
  const filter = session ? `label=breakfix.session=${session}` : 'label=breakfix.session';
  return [
    engine.docker('ps', '-aq', '--filter', filter),
    engine.docker('network', 'ls', '-q', '--filter', filter),
    engine.docker('volume', 'ls', '-q', '--filter', filter),
    engine.docker('images', '-q', '--filter', filter),
  ].flatMap((text) => text.split('\n').filter((line) => line !== ''));
}

beforeAll(async () => {
  engine = await startRemoteEngine();
}, 300_000);

afterAll(async () => {
  await engine?.destroy();
  rmSync(scratch, { recursive: true, force: true });
}, 180_000);

describe('breakfix against a remote Docker Engine over TLS', () => {
  const wrongPort = path.join(scratch, 'wrong-port');

  it('starts, checks, fixes and grades a lab there; ports answer on the published address', () => {
    const started = breakfix('start', 'wrong-port', '--workspace', wrongPort, '--seed', '2', '--json');
    expect(started.code, started.stderr).toBe(0);
    const lab = json<{ sessionId: string; ports: Array<{ host: string; port: number }> }>(started);
    expect(lab.ports[0]?.host).toBe(engine.address);
    // The lab runs on the remote engine, not on this machine's.
    expect(engine.docker('ps', '-q', '--filter', `label=breakfix.session=${lab.sessionId}`)).not.toBe('');
    expect(
      spawnSync('docker', ['ps', '-aq', '--filter', `label=breakfix.session=${lab.sessionId}`]).stdout.toString(),
    ).toBe('');

    const failing = breakfix('check', '--workspace', wrongPort);
    expect(failing.code, failing.stdout + failing.stderr).toBe(1);
    copyFileSync(path.join(root, 'scenarios', 'wrong-port', 'solution', '.env'), path.join(wrongPort, '.env'));
    const fixed = breakfix('apply', '--workspace', wrongPort);
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    const checked = breakfix('check', '--workspace', wrongPort, '--json');
    expect(checked.code, checked.stdout).toBe(0);

    const graded = breakfix('grade', 'wrong-port', '--workspace', wrongPort, '--reporter', 'json');
    expect(graded.code, graded.stderr).toBe(0);
    expect(json<{ passed: boolean; score: number }>(graded)).toMatchObject({ passed: true, score: 100 });
  }, 600_000);

  it('says when the engine restarted under the lab, and apply brings the lab back', async () => {
    const before = json<{ engineRestart?: unknown }>(breakfix('status', '--workspace', wrongPort, '--json'));
    expect(before.engineRestart).toBeUndefined();
    await engine.restart();

    const after = breakfix('status', '--workspace', wrongPort);
    expect(after.code, after.stderr).toBe(0);
    expect(after.stdout).toMatch(
      /engine {5}the Docker engine restarted at \d\d:\d\d:\d\d UTC, after the lab's last deploy/,
    );
    expect(after.stdout).toMatch(/`breakfix apply` brings the lab back/);

    // gc cleans what dead sessions left; this lab is alive, restarted engine or not.
    const gc = breakfix('gc', '--json');
    expect(gc.code, gc.stderr).toBe(0);
    expect(json<{ kept: Array<{ session: string }> }>(gc).kept.map((entry) => entry.session)).toContain(
      sessionOf(wrongPort),
    );

    const applied = breakfix('apply', '--workspace', wrongPort, '--json');
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const view = json<{ engineRestart?: unknown; services: Array<{ name: string; status: string; health: string }> }>(
      breakfix('status', '--workspace', wrongPort, '--json'),
    );
    expect(view.engineRestart).toBeUndefined();
    expect(view.services.find((service) => service.name === 'api')).toMatchObject({
      status: 'running',
      health: 'healthy',
    });
    expect(breakfix('check', '--workspace', wrongPort).code).toBe(0);
    expect(breakfix('stop', '--workspace', wrongPort).code).toBe(0);
  }, 600_000);

  it('verifies two scenarios there at once, and leaves nothing labelled on the engine', () => {
    const verified = breakfix('verify', 'wrong-port', 'missing-env-var', '--jobs', '2', '--json');
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    const result = json<{ ok: boolean; scenarios: Array<{ id: string; ok: boolean; leaked: number }> }>(verified);
    expect(result.scenarios.map((scenario) => [scenario.id, scenario.ok, scenario.leaked])).toEqual([
      ['wrong-port', true, 0],
      ['missing-env-var', true, 0],
    ]);
    // This engine is the test's own: nothing any session labelled may be left on it.
    expect(labelled()).toEqual([]);
  }, 600_000);
});
