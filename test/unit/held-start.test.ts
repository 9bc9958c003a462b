import { describe, expect, it } from 'vitest';
import { effectiveArgv, withHeldStart } from '../../engine/deploy/held-start.js';
import type { ContainerSpec } from '../../engine/runtime/runtime.js';

const spec = (over: Partial<ContainerSpec> = {}): ContainerSpec => ({
  name: 'c',
  image: 'i',
  labels: {},
  env: {},
  network: 'n',
  aliases: [],
  ports: [],
  files: [],
  volumes: [],
  restart: 'no',
  memoryBytes: 1,
  pidsLimit: 1,
  ...over,
});
const image = { entrypoint: ['/docker-entrypoint.sh'], command: ['postgres'] };

describe('effectiveArgv follows Docker’s rules', () => {
  it('the image’s entrypoint and command when compose sets neither', () => {
    expect(effectiveArgv(spec(), image)).toEqual(['/docker-entrypoint.sh', 'postgres']);
  });
  it('compose’s command replaces the image’s command, after the image’s entrypoint', () => {
    expect(effectiveArgv(spec({ command: ['python3', '-m', 'app'] }), image)).toEqual([
      '/docker-entrypoint.sh',
      'python3',
      '-m',
      'app',
    ]);
  });
  it('compose’s entrypoint drops the image’s command', () => {
    expect(effectiveArgv(spec({ entrypoint: ['run'] }), image)).toEqual(['run']);
    expect(effectiveArgv(spec({ entrypoint: ['run'], command: ['x'] }), image)).toEqual(['run', 'x']);
  });
});

describe('withHeldStart', () => {
  it('runs the same program through a shell that waits first, with the hold in seconds', () => {
    const held = withHeldStart(spec({ command: ['python3', '-m', 'app.migrate'] }), image, 10_000);
    expect(held?.entrypoint?.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(held?.entrypoint?.[2]).toContain('exec "$@"');
    expect(held?.entrypoint?.[3]).toBe('10.000');
    expect(held?.command).toEqual(['/docker-entrypoint.sh', 'python3', '-m', 'app.migrate']);
    expect(held?.name).toBe('c');
  });
  it('holds nothing when there is no program', () => {
    expect(withHeldStart(spec(), { entrypoint: [], command: [] }, 1000)).toBeUndefined();
  });
});
