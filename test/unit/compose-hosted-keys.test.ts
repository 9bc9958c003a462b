/**
 * The compose keys a hosted platform lab needs beyond the first subset: several networks (one
 * of them internal), `cpus`, and a size-limited tmpfs volume — and what stays refused around
 * them (host binds through driver options, network drivers and addresses).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCompose, type DeployPlan } from '../../engine/compose/index.js';

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function load(compose: string) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'breakfix-compose-hosted-'));
  roots.push(root);
  const dir = path.join(root, 'lab');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'compose.yaml'), compose);
  return loadCompose(dir);
}

function plan(compose: string): DeployPlan {
  const result = load(compose);
  if (!result.ok)
    throw new Error(result.errors.map((error) => `${error.line}:${error.col}: ${error.message}`).join('\n'));
  return result.plan;
}

function errors(compose: string): string[] {
  const result = load(compose);
  if (result.ok) throw new Error('expected errors, got a plan');
  return result.errors.map((error) => `${error.line}:${error.col}: ${error.message}`);
}

describe('networks', () => {
  const lab = `
services:
  edge:
    image: x
    ports: ["8080"]
    networks: [default, front]
  app:
    image: x
    networks:
      front:
        aliases: [web]
      back:
  db:
    image: y
    networks: [back]
networks:
  front: {}
  back:
    internal: true
`;

  it('services join the networks they list, with their aliases; no list means default', () => {
    const loaded = plan(lab);
    expect(loaded.networks).toEqual({ front: { internal: false }, back: { internal: true } });
    expect(loaded.services.edge?.networks).toEqual([
      { name: 'default', aliases: [] },
      { name: 'front', aliases: [] },
    ]);
    expect(loaded.services.app?.networks).toEqual([
      { name: 'front', aliases: ['web'] },
      { name: 'back', aliases: [] },
    ]);
    expect(plan('services:\n  api:\n    image: x\n').services.api?.networks).toBeUndefined();
  });

  it('a network that is not declared is an error at its name, with a suggestion', () => {
    expect(errors('services:\n  api:\n    image: x\n    networks: [frnt]\nnetworks:\n  front: {}\n')).toEqual([
      '4:16: services.api.networks[0]: network `frnt` is not declared under the top-level networks; did you mean `front`?',
    ]);
  });

  it('publishing from internal networks only is refused (Docker would publish nothing)', () => {
    expect(
      errors(
        'services:\n  db:\n    image: x\n    ports: ["5432"]\n    networks: [back]\nnetworks:\n  back: { internal: true }\n',
      ),
    ).toEqual([
      '4:12: services.db.ports: db publishes ports but joins internal networks only, which Docker cannot publish from: add a network that is not internal',
    ]);
  });

  it('network drivers, subnets and fixed addresses stay refused, with the reason', () => {
    expect(errors('services:\n  api:\n    image: x\nnetworks:\n  back:\n    ipam: {}\n')).toEqual([
      expect.stringMatching(
        /^6:5: networks\.back\.ipam: not supported by breakfix \(supported keys: internal\); breakfix lets Docker choose the subnets/,
      ),
    ]);
    expect(
      errors(
        'services:\n  api:\n    image: x\n    networks:\n      back:\n        ipv4_address: 10.0.0.5\nnetworks:\n  back: {}\n',
      ),
    ).toEqual([
      expect.stringMatching(
        /^6:9: services\.api\.networks\.back\.ipv4_address: not supported by breakfix \(supported keys: aliases\); Docker chooses the addresses/,
      ),
    ]);
  });
});

describe('cpus', () => {
  it('a share of CPUs, as a number or text', () => {
    expect(plan('services:\n  api:\n    image: x\n    cpus: 0.5\n').services.api?.cpus).toBe(0.5);
    expect(plan('services:\n  api:\n    image: x\n    cpus: "1.5"\n').services.api?.cpus).toBe(1.5);
  });

  it('nothing, or a value Docker refuses, is an error at the value', () => {
    expect(errors('services:\n  api:\n    image: x\n    cpus: "half"\n')).toEqual([
      '4:11: services.api.cpus: expected a number of CPUs like 0.5 or 2, got "half"',
    ]);
    expect(errors('services:\n  api:\n    image: x\n    cpus: 0\n')).toEqual([
      '4:11: services.api.cpus: expected a number of CPUs like 0.5 or 2, got 0',
    ]);
  });
});

describe('volume driver options', () => {
  it('a size-limited tmpfs volume', () => {
    const loaded = plan(
      'services:\n  db:\n    image: x\n    volumes: [data:/data]\nvolumes:\n  data:\n    driver_opts: { type: tmpfs, device: tmpfs, o: "size=64m,mode=0700" }\n  plain: {}\n',
    );
    expect(loaded.volumeDrivers).toEqual({ data: { type: 'tmpfs', device: 'tmpfs', o: 'size=64m,mode=0700' } });
    expect(loaded.volumes).toEqual(['data', 'plain']);
  });

  it('a host bind through driver options is refused like a bind mount', () => {
    expect(
      errors(
        'services:\n  db:\n    image: x\nvolumes:\n  data:\n    driver_opts: { type: none, o: bind, device: /srv }\n',
      ),
    ).toEqual([expect.stringMatching(/^6:18: volumes\.data\.driver_opts: bind mounts are not supported/)]);
  });

  it('other filesystems, unknown tmpfs options and a missing size are refused', () => {
    expect(
      errors('services:\n  db:\n    image: x\nvolumes:\n  data:\n    driver_opts: { type: nfs, o: "addr=10.0.0.1" }\n'),
    ).toEqual([
      expect.stringMatching(/^6:26: volumes\.data\.driver_opts\.type: only tmpfs volumes take driver options/),
    ]);
    expect(
      errors(
        'services:\n  db:\n    image: x\nvolumes:\n  data:\n    driver_opts: { type: tmpfs, o: "size=1m,exec" }\n',
      ),
    ).toEqual([expect.stringMatching(/^6:36: volumes\.data\.driver_opts\.o: tmpfs option "exec" is not supported/)]);
    expect(errors('services:\n  db:\n    image: x\nvolumes:\n  data:\n    driver_opts: { type: tmpfs }\n')).toEqual([
      '6:18: volumes.data.driver_opts: a tmpfs volume needs a size, e.g. o: size=64m',
    ]);
  });
});
