/**
 * The network faults (network.delay, network.loss, network.blackhole, network.refuse) applied to a real lab
 * (the tiny fixture lab) and restored through their `restore.undo`, with the effect measured
 * from another container of the lab and from the published port. Every test also proves that
 * the helper container leaves nothing behind: no helper container of this session, no chain of
 * breakfix's left in the target's network namespace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultContext } from '../../engine/faults/fault.js';
import { FAULT_HELPER_IMAGE } from '../../engine/faults/fault-helper.js';
import { findFault } from '../../engine/faults/registry.js';
import { LABELS } from '../../engine/runtime/labels.js';
import { httpGet, LabHarness } from '../support/lab-harness.js';

const h = new LabHarness({ tag: 'fn' });

beforeAll(async () => {
  await h.prepare();
  await h.deploy(['web', 'quiet']);
});

afterAll(async () => {
  expect(await h.cleanup()).toEqual([]);
});

async function undo(
  type: string,
  params: Record<string, unknown>,
  ctx: FaultContext = h.faultContext(),
): Promise<void> {
  const definition = findFault(type);
  if (!definition?.restore) throw new Error(`${type} is not restorable`);
  await definition.restore.undo(ctx, definition.params.parse(params), undefined);
}

/** `curl` from the quiet container to web: HTTP code, seconds, and curl's exit code. */
async function curlFromQuiet(timeoutSeconds = 4): Promise<{ code: string; seconds: number; exit: number }> {
  const result = await h.exec('quiet', [
    'curl',
    '-s',
    '-o',
    '/dev/null',
    '-m',
    String(timeoutSeconds),
    '-w',
    '%{http_code} %{time_total}',
    'http://web:8000/health.txt',
  ]);
  const [code = '', seconds = '0'] = result.stdout.trim().split(' ');
  return { code, seconds: Number(seconds), exit: result.exitCode };
}

/** What a fault may have left: helper containers of this session, breakfix chains in web's namespace. */
async function leftovers(service = 'web'): Promise<{ helpers: string[]; chains: string[] }> {
  const helpers = (await h.leftovers())
    .filter((resource) => resource.kind === 'container' && resource.labels[LABELS.fault] !== undefined)
    .map((resource) => resource.name);
  const listed = await h.runtime.runHelper({
    name: `${h.service(service).container}-inspect`,
    image: FAULT_HELPER_IMAGE,
    labels: { [LABELS.session]: h.sessionId },
    command: ['sh', '-c', 'iptables -w 5 -S; iptables -w 5 -t nat -S'],
    networkOf: h.service(service).container,
    capabilities: ['NET_ADMIN'],
  });
  expect(listed.exitCode).toBe(0);
  const chains = listed.stdout.split('\n').filter((line) => /BF-/.test(line));
  return { helpers, chains };
}

describe('network.delay', () => {
  it('slows what a service answers, from a peer and from the published port; its healthcheck stays green', async () => {
    const before = await curlFromQuiet();
    expect(before).toMatchObject({ code: '200', exit: 0 });
    expect(before.seconds).toBeLessThan(0.5);

    expect(await h.applyFault('network.delay', { service: 'web', delay: '600ms' })).toBe(
      "web's traffic is delayed by 600ms",
    );
    // The helper runs beside web with NET_ADMIN and nothing else; web itself gained nothing.
    const helper = (await h.leftovers()).find((resource) => resource.labels[LABELS.fault] === 'network.delay');
    expect(helper).toBeDefined();
    const helperInfo = await h.docker.getContainer(helper?.id ?? '').inspect();
    expect(helperInfo.HostConfig).toMatchObject({ CapDrop: ['ALL'], CapAdd: ['NET_ADMIN'], Privileged: false });
    expect(helperInfo.HostConfig.NetworkMode).toBe(`container:${(await h.inspect('web')).Id}`);
    expect((await h.inspect('web')).HostConfig.CapAdd ?? []).toEqual([]);

    // The handshake and the answer each arrive 600 ms late.
    const slowed = await curlFromQuiet();
    expect(slowed).toMatchObject({ code: '200', exit: 0 });
    expect(slowed.seconds).toBeGreaterThan(1.1);
    const port = await h.publishedPort('web', 8000);
    const started = performance.now();
    expect(await httpGet(`http://${h.host}:${port}/health.txt`, 5000)).toMatchObject({ status: 200 });
    expect(performance.now() - started).toBeGreaterThan(1100);
    // Loopback is untouched: the healthcheck still tells the truth about the process.
    const inside = await h.exec('web', [
      'curl',
      '-s',
      '-o',
      '/dev/null',
      '-w',
      '%{time_total}',
      'http://127.0.0.1:8000/health.txt',
    ]);
    expect(Number(inside.stdout)).toBeLessThan(0.5);

    await undo('network.delay', { service: 'web', delay: '600ms' });
    expect((await curlFromQuiet()).seconds).toBeLessThan(0.5);
    expect(await leftovers()).toEqual({ helpers: [], chains: [] });
  });

  it('slows what a service sends outbound (its requests), on the requesting side', async () => {
    await h.applyFault('network.delay', { service: 'quiet', delay: '500ms' });
    const slowed = await curlFromQuiet();
    expect(slowed).toMatchObject({ code: '200', exit: 0 });
    expect(slowed.seconds).toBeGreaterThan(0.9);
    await undo('network.delay', { service: 'quiet', delay: '500ms' });
    expect((await curlFromQuiet()).seconds).toBeLessThan(0.5);
    expect(await leftovers('quiet')).toEqual({ helpers: [], chains: [] });
  });

  it('restores the lab even when the helper was killed (its rules outlived it)', async () => {
    await h.applyFault('network.delay', { service: 'web', delay: '300ms', peer: 'quiet' });
    const helper = (await h.leftovers()).find((resource) => resource.labels[LABELS.fault] === 'network.delay');
    // SIGKILL: no chance to remove its redirect; connections now go to a closed port.
    await h.docker.getContainer(helper?.id ?? '').kill();
    expect((await curlFromQuiet(2)).code).not.toBe('200');
    expect((await leftovers()).chains.length).toBeGreaterThan(0);

    await undo('network.delay', { service: 'web', delay: '300ms', peer: 'quiet' });
    expect(await curlFromQuiet()).toMatchObject({ code: '200', exit: 0 });
    expect(await leftovers()).toEqual({ helpers: [], chains: [] });
  });
});

describe('network.blackhole', () => {
  it('makes connections hang (a timeout, not a refusal) while the healthcheck stays green; undo reopens', async () => {
    expect(await h.applyFault('network.blackhole', { service: 'web' })).toBe('black-holed web');
    const hung = await curlFromQuiet(2);
    expect(hung.exit).toBe(28); // curl: operation timed out
    const port = await h.publishedPort('web', 8000);
    expect(await httpGet(`http://${h.host}:${port}/health.txt`, 1500)).toEqual({ error: 'timeout' });
    const inside = await h.exec('web', ['curl', '-fsS', '-o', '/dev/null', 'http://127.0.0.1:8000/health.txt']);
    expect(inside.exitCode).toBe(0);

    await undo('network.blackhole', { service: 'web' });
    await undo('network.blackhole', { service: 'web' }); // idempotent
    expect(await curlFromQuiet()).toMatchObject({ code: '200', exit: 0 });
    expect(await httpGet(`http://${h.host}:${port}/health.txt`)).toMatchObject({ status: 200 });
    expect(await leftovers()).toEqual({ helpers: [], chains: [] });
  });

  it('with a peer, cuts only that peer: the published port still answers', async () => {
    await h.applyFault('network.blackhole', { service: 'web', peer: 'quiet' });
    expect((await curlFromQuiet(2)).exit).toBe(28);
    const port = await h.publishedPort('web', 8000);
    expect(await httpGet(`http://${h.host}:${port}/health.txt`)).toMatchObject({ status: 200 });
    await undo('network.blackhole', { service: 'web', peer: 'quiet' });
    expect(await curlFromQuiet()).toMatchObject({ code: '200', exit: 0 });
    expect(await leftovers()).toEqual({ helpers: [], chains: [] });
  });
});

describe('network.refuse', () => {
  it("refuses every new connection at once, the healthcheck's own on loopback too; undo reopens", async () => {
    expect(await h.applyFault('network.refuse', { service: 'web' })).toBe('web refuses every new connection');
    const refused = await curlFromQuiet(3);
    expect(refused.exit).toBe(7); // curl: could not connect (a reset, not a timeout)
    expect(refused.seconds).toBeLessThan(1);
    const inside = await h.exec('web', [
      'curl',
      '-sS',
      '-o',
      '/dev/null',
      '-m',
      '3',
      'http://127.0.0.1:8000/health.txt',
    ]);
    expect(inside.exitCode).toBe(7);
    const port = await h.publishedPort('web', 8000);
    const published = await httpGet(`http://${h.host}:${port}/health.txt`, 1500);
    expect(published).toHaveProperty('error');
    expect(published).not.toEqual({ error: 'timeout' });

    await undo('network.refuse', { service: 'web' });
    await undo('network.refuse', { service: 'web' }); // idempotent
    expect(await curlFromQuiet()).toMatchObject({ code: '200', exit: 0 });
    expect(await leftovers()).toEqual({ helpers: [], chains: [] });
  });

  it('with a port, refuses only that one', async () => {
    expect(await h.applyFault('network.refuse', { service: 'web', port: 9999 })).toBe(
      'web refuses new connections to port 9999',
    );
    expect(await curlFromQuiet()).toMatchObject({ code: '200', exit: 0 });
    await undo('network.refuse', { service: 'web', port: 9999 });
    expect(await leftovers()).toEqual({ helpers: [], chains: [] });
  });
});

describe('network.loss', () => {
  it('100% of the answers lost is a hang; 40% keeps answering; undo restores', async () => {
    await h.applyFault('network.loss', { service: 'web', percent: 100 });
    expect((await curlFromQuiet(2)).exit).toBe(28);
    await undo('network.loss', { service: 'web', percent: 100 });
    expect(await curlFromQuiet()).toMatchObject({ code: '200', exit: 0 });

    expect(await h.applyFault('network.loss', { service: 'web', percent: 40 })).toBe(
      'web loses 40% of the packets it sends',
    );
    const { chains } = await leftovers();
    expect(chains.join('\n')).toMatch(/statistic --mode random --probability 0\.(40|399)/);
    await undo('network.loss', { service: 'web', percent: 40 });
    expect(await leftovers()).toEqual({ helpers: [], chains: [] });
  });
});

describe('failure paths', () => {
  it('a stopped target is a clear FaultError; undo on it is a no-op', async () => {
    await h.runtime.stopContainer(h.service('quiet').container, 1);
    await expect(h.applyFault('network.blackhole', { service: 'quiet' })).rejects.toThrow(
      /quiet is exited, not running/,
    );
    await expect(h.applyFault('network.delay', { service: 'quiet', delay: '1s' })).rejects.toThrow(/not running/);
    await undo('network.blackhole', { service: 'quiet' });
    await undo('network.delay', { service: 'quiet', delay: '1s' });
    await h.runtime.startContainer(h.service('quiet').container);
  });

  it('a peer the target shares no network with is a FaultError that names it', async () => {
    await expect(h.applyFault('network.blackhole', { service: 'web', peer: 'nosuchpeer' })).rejects.toThrow(
      /nosuchpeer does not resolve from web/,
    );
    await expect(h.applyFault('network.delay', { service: 'web', delay: '1s', peer: 'nosuchpeer' })).rejects.toThrow(
      /nosuchpeer does not resolve/,
    );
    await undo('network.blackhole', { service: 'web', peer: 'nosuchpeer' });
    expect(await leftovers()).toEqual({ helpers: [], chains: [] });
  });
});
