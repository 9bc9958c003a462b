/**
 * stop_signal, stop_grace_period and init: parsed into the plan, refused with their line when
 * invalid, and turned into Docker's create options (StopSignal, StopTimeout, HostConfig.Init).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCompose, type ServicePlan } from '../../engine/compose/index.js';
import { normaliseSignal } from '../../engine/compose/keys/stop.js';
import { graceSeconds } from '../../engine/deploy/stop.js';
import { createOptions } from '../../engine/runtime/container-config.js';
import type { ContainerSpec } from '../../engine/runtime/runtime.js';

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function load(compose: string) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'breakfix-stop-keys-'));
  roots.push(root);
  writeFileSync(path.join(root, 'compose.yaml'), compose);
  writeFileSync(path.join(root, '.env'), 'INIT=false\n');
  return loadCompose(root);
}

function api(keys: string): ServicePlan {
  const result = load(`services:\n  api:\n    image: x\n${keys}`);
  if (!result.ok) throw new Error(result.errors.map((error) => error.message).join('\n'));
  return result.plan.services.api!;
}

function errorsOf(keys: string): string[] {
  const result = load(`services:\n  api:\n    image: x\n${keys}`);
  if (result.ok) throw new Error('expected errors');
  return result.errors.map((error) => `${error.line}:${error.col}: ${error.message}`);
}

describe('compose stop keys', () => {
  it('absent: no signal override, the default 10 s grace, no init', () => {
    const plan = api('');
    expect(plan.stopSignal).toBeUndefined();
    expect(plan.init).toBeUndefined();
    expect(graceSeconds(plan)).toBe(10);
  });

  it('parses a signal with or without SIG, a Go duration and init (also interpolated)', () => {
    expect(api('    stop_signal: SIGINT\n    stop_grace_period: 1m30s\n    init: true\n')).toMatchObject({
      stopSignal: 'SIGINT',
      stopGracePeriodMs: 90_000,
      init: true,
    });
    expect(api('    stop_signal: quit\n').stopSignal).toBe('SIGQUIT');
    expect(api('    init: ${INIT}\n').init).toBe(false);
    expect(graceSeconds(api('    stop_grace_period: 1500ms\n'))).toBe(2);
    expect(graceSeconds(api('    stop_grace_period: "0"\n'))).toBe(0);
  });

  it('knows real-time and numbered signals, refuses made-up ones', () => {
    expect(normaliseSignal('SIGRTMIN+3')).toBe('SIGRTMIN+3');
    expect(normaliseSignal('15')).toBe('15');
    expect(normaliseSignal('SIGNOPE')).toBeUndefined();
    expect(normaliseSignal('99')).toBeUndefined();
  });

  it('an invalid value is an error on its line', () => {
    expect(errorsOf('    stop_signal: SIGSTOPP\n')).toEqual([
      '4:18: services.api.stop_signal: expected a signal name like "SIGTERM", "SIGINT" or "SIGQUIT", got "SIGSTOPP"',
    ]);
    expect(errorsOf('    stop_grace_period: ten seconds\n')).toEqual([
      '4:24: services.api.stop_grace_period: expected a duration like "10s", "1m30s" or "500ms", got "ten seconds"',
    ]);
    expect(errorsOf('    init: sometimes\n')).toEqual([
      '4:11: services.api.init: expected true or false, got "sometimes"',
    ]);
  });

  it('becomes StopSignal, StopTimeout and HostConfig.Init', () => {
    const spec: ContainerSpec = {
      name: 'bf-x-api',
      image: 'x',
      labels: {},
      env: {},
      network: 'bf-x-net',
      aliases: ['api'],
      ports: [],
      files: [],
      volumes: [],
      restart: 'no',
      memoryBytes: 1,
      pidsLimit: 1,
      stopSignal: 'SIGINT',
      stopTimeoutSeconds: 3,
      init: true,
    };
    const options = createOptions(spec, '127.0.0.1');
    expect(options.StopSignal).toBe('SIGINT');
    expect(options.StopTimeout).toBe(3);
    expect(options.HostConfig?.Init).toBe(true);
    const plain = createOptions(
      { ...spec, stopSignal: undefined, init: undefined } as unknown as ContainerSpec,
      '127.0.0.1',
    );
    expect(plain.StopSignal).toBeUndefined();
    expect(plain.HostConfig?.Init).toBeUndefined();
  });
});
