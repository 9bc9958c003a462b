import { describe, expect, it } from 'vitest';
import { compareVersions, runDoctor, type DoctorDeps, type DoctorProgress } from '../../engine/doctor/doctor.js';
import { formatBytes } from '../../engine/util/bytes.js';
import type { HostFacts } from '../../engine/doctor/docker-daemon.js';
import type { ImageStatus } from '../../engine/images/image-status.js';
import type { DockerProbe } from '../../engine/runtime/docker-client.js';

const local = { url: 'unix:///var/run/docker.sock', fromEnv: false, socketPath: '/var/run/docker.sock' };
const up: DockerProbe = {
  reachable: true,
  endpoint: local,
  serverVersion: '20.10.24',
  apiVersion: '1.41',
  rootDir: '/var/lib/docker',
  os: 'Debian GNU/Linux 12',
};
const down: DockerProbe = {
  reachable: false,
  endpoint: local,
  reason: 'no Docker socket at /var/run/docker.sock (is dockerd running?)',
};
const current = (name: 'base' | 'postgres' | 'python', tag: string): ImageStatus => ({
  name,
  tag,
  state: 'current',
  recipe: 'r1',
  sizeBytes: 75 * 1024 ** 2,
});
const allCurrent: ImageStatus[] = [
  current('base', 'breakfix/base:bookworm'),
  current('postgres', 'breakfix/postgres:15'),
  current('python', 'breakfix/python:3.11'),
];
const rootDebian: HostFacts = {
  root: true,
  debianLike: true,
  osName: 'Debian GNU/Linux 12',
  dockerdPath: '/usr/sbin/dockerd',
  systemd: false,
};

/** A fake machine: records what the doctor did to it. */
function machine(overrides: Partial<DoctorDeps> & { facts?: HostFacts } = {}): DoctorDeps & { calls: string[] } {
  const calls: string[] = [];
  const facts = overrides.facts ?? rootDebian;
  return {
    calls,
    nodeVersion: '22.23.3',
    probe: async () => up,
    hostFacts: async () => ({ ...facts }),
    installDocker: async () => {
      calls.push('install');
    },
    startDocker: async () => {
      calls.push('start');
      return up;
    },
    imageStatus: async () => allCurrent,
    buildImages: async () => {
      calls.push('build');
    },
    freeBytes: async () => 50 * 1024 ** 3,
    ...overrides,
  };
}

describe('doctor report', () => {
  it('passes on a ready machine, in the exact {ok, checks:[{name, ok, detail}]} shape', async () => {
    const deps = machine();
    const report = await runDoctor({}, deps);
    expect(report.ok).toBe(true);
    expect(Object.keys(report)).toEqual(['ok', 'checks']);
    for (const check of report.checks) expect(Object.keys(check)).toEqual(['name', 'ok', 'detail']);
    expect(report.checks.map((check) => check.name)).toEqual([
      'node',
      'settings',
      'docker',
      'engine',
      'image breakfix/base:bookworm',
      'image breakfix/postgres:15',
      'image breakfix/python:3.11',
      'disk',
    ]);
    expect(report.checks.find((check) => check.name === 'engine')?.detail).toBe('Docker Engine 20.10.24, API 1.41');
    expect(report.checks.find((check) => check.name === 'disk')?.detail).toBe('50 GiB free on /var/lib/docker');
    expect(deps.calls).toEqual([]);
  });

  it('without --fix only reports: Docker down → the reason and the command to run', async () => {
    const deps = machine({ probe: async () => down });
    const report = await runDoctor({}, deps);
    expect(report.ok).toBe(false);
    const docker = report.checks.find((check) => check.name === 'docker');
    expect(docker?.ok).toBe(false);
    expect(docker?.detail).toContain('no Docker socket at /var/run/docker.sock');
    expect(docker?.detail).toContain('dockerd');
    expect(report.checks.find((check) => check.name === 'images')).toEqual({
      name: 'images',
      ok: false,
      detail: 'not checked: Docker is not reachable',
    });
    expect(deps.calls).toEqual([]);
  });

  it('with --fix as root on Debian: installs docker.io when missing, starts it, builds missing images', async () => {
    let probes = 0;
    let installed = false;
    let images: ImageStatus[] = [{ name: 'base', tag: 'breakfix/base:bookworm', state: 'missing', recipe: 'r1' }];
    const progress: DoctorProgress[] = [];
    const deps = machine({
      probe: async () => (probes++ === 0 ? down : up),
      hostFacts: async () => ({ ...rootDebian, ...(installed ? {} : { dockerdPath: undefined }) }),
      installDocker: async () => {
        deps.calls.push('install');
        installed = true;
      },
      buildImages: async () => {
        deps.calls.push('build');
        images = [current('base', 'breakfix/base:bookworm')];
      },
      imageStatus: async () => images,
    });
    const report = await runDoctor({ fix: true, onProgress: (event) => progress.push(event) }, deps);
    expect(deps.calls).toEqual(['install', 'start', 'build']);
    expect(report.ok).toBe(true);
    expect(report.checks.find((check) => check.name === 'docker')?.detail).toBe(
      'unix:///var/run/docker.sock (installed docker.io, started dockerd)',
    );
    expect(progress.filter((event) => event.kind === 'action').length).toBeGreaterThanOrEqual(3);
  });

  it('with --fix is idempotent: a ready machine is left alone', async () => {
    const deps = machine();
    expect((await runDoctor({ fix: true }, deps)).ok).toBe(true);
    expect((await runDoctor({ fix: true }, deps)).ok).toBe(true);
    expect(deps.calls).toEqual([]);
  });

  it('never starts a local daemon when DOCKER_HOST points elsewhere', async () => {
    const remote: DockerProbe = {
      reachable: false,
      endpoint: { url: 'tcp://10.0.0.5:2375', fromEnv: true },
      reason: 'connection refused by tcp://10.0.0.5:2375',
    };
    const deps = machine({ probe: async () => remote });
    const report = await runDoctor({ fix: true }, deps);
    expect(deps.calls).toEqual([]);
    expect(report.checks.find((check) => check.name === 'docker')?.detail).toContain(
      'check DOCKER_HOST=tcp://10.0.0.5:2375',
    );
  });

  it('not root: says what to run instead of trying', async () => {
    const deps = machine({ probe: async () => down, facts: { ...rootDebian, root: false, systemd: true } });
    const report = await runDoctor({ fix: true }, deps);
    expect(deps.calls).toEqual([]);
    expect(report.checks.find((check) => check.name === 'docker')?.detail).toContain('sudo systemctl start docker');
  });

  it('not Debian and no Docker: points at Docker Engine / Desktop for that OS', async () => {
    const deps = machine({
      probe: async () => down,
      facts: { root: true, debianLike: false, osName: 'Fedora Linux 40', systemd: true },
    });
    const report = await runDoctor({ fix: true }, deps);
    expect(deps.calls).toEqual([]);
    expect(report.checks.find((check) => check.name === 'docker')?.detail).toContain(
      'install Docker Engine or Docker Desktop for Fedora Linux 40',
    );
  });

  it('a fix that fails is a failed check with its reason, not a crash', async () => {
    const deps = machine({
      probe: async () => down,
      startDocker: async () => {
        throw new Error('dockerd did not answer within 30 s (no Docker socket); see /var/log/dockerd.log');
      },
    });
    const report = await runDoctor({ fix: true }, deps);
    expect(report.ok).toBe(false);
    expect(report.checks.find((check) => check.name === 'docker')?.detail).toContain(
      'fix failed: dockerd did not answer within 30 s',
    );
  });

  it('reports outdated images with both recipe hashes, an old engine and a full disk', async () => {
    const deps = machine({
      probe: async () => ({ ...up, serverVersion: '19.03.1', apiVersion: '1.40' }),
      imageStatus: async () => [
        { name: 'base', tag: 'breakfix/base:bookworm', state: 'outdated', recipe: 'new1', presentRecipe: 'old0' },
      ],
      freeBytes: async () => 512 * 1024 ** 2,
    });
    const report = await runDoctor({}, deps);
    expect(report.ok).toBe(false);
    const byName = Object.fromEntries(report.checks.map((check) => [check.name, check]));
    expect(byName.engine).toMatchObject({ ok: false, detail: expect.stringContaining('needs API >= 1.41') });
    expect(byName['image breakfix/base:bookworm']).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/old0.*new1.*breakfix images/),
    });
    expect(byName.disk).toMatchObject({ ok: false, detail: expect.stringContaining('512 MiB free') });
  });

  it('flags a Node older than 22', async () => {
    const report = await runDoctor({}, machine({ nodeVersion: '20.19.0' }));
    expect(report.checks[0]).toMatchObject({ name: 'node', ok: false });
    expect(report.ok).toBe(false);
  });
});

describe('doctor helpers', () => {
  it('compares dotted versions numerically', () => {
    expect(compareVersions('1.41', '1.41')).toBe(0);
    expect(compareVersions('1.9', '1.41')).toBe(-1);
    expect(compareVersions('1.43', '1.41')).toBe(1);
  });

  it('formats byte counts', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1.5 * 1024 ** 3)).toBe('1.5 GiB');
    expect(formatBytes(78 * 1024 ** 3)).toBe('78 GiB');
  });
});

describe('Docker connection errors', () => {
  it('turn into a reason a person can act on', async () => {
    const { explainDockerError } = await import('../../engine/runtime/docker-client.js');
    const socket = { url: 'unix:///var/run/docker.sock', fromEnv: false, socketPath: '/var/run/docker.sock' };
    const remote = { url: 'tcp://10.0.0.5:2375', fromEnv: true };
    expect(explainDockerError(Object.assign(new Error('connect ENOENT'), { code: 'ENOENT' }), socket)).toBe(
      'no Docker socket at /var/run/docker.sock (is dockerd running?)',
    );
    expect(explainDockerError(Object.assign(new Error('connect EACCES'), { code: 'EACCES' }), socket)).toMatch(
      /^permission denied on \/var\/run\/docker.sock .*docker" group/,
    );
    expect(explainDockerError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), remote)).toBe(
      'connection refused by tcp://10.0.0.5:2375 (dockerd is not running or not listening there)',
    );
    expect(
      explainDockerError(Object.assign(new Error('(HTTP code 404) unexpected'), { statusCode: 404 }), remote),
    ).toBe('tcp://10.0.0.5:2375 answered HTTP 404: not a Docker Engine API');
  });

  it('reads the endpoint from DOCKER_HOST, else the first existing socket', async () => {
    const { dockerEndpoint } = await import('../../engine/runtime/docker-client.js');
    expect(dockerEndpoint({ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' })).toEqual({
      url: 'unix:///run/user/1000/docker.sock',
      fromEnv: true,
      socketPath: '/run/user/1000/docker.sock',
    });
    expect(dockerEndpoint({ DOCKER_HOST: 'tcp://10.0.0.5:2376' })).toEqual({
      url: 'tcp://10.0.0.5:2376',
      fromEnv: true,
    });
    expect(dockerEndpoint({ XDG_RUNTIME_DIR: '/nonexistent' }).url).toMatch(/^unix:\/\//);
  });
});
