/**
 * `breakfix doctor [--fix]`: is this machine ready to run labs, and if not, why — in the fixed
 * JSON shape `{ok, checks:[{name, ok, detail}]}`. With `fix` it installs/starts Docker where it
 * may (root on Debian/Ubuntu) and builds missing images. Running it twice changes nothing the
 * second time.
 */
import { statfs } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Dockerode from 'dockerode';
import { ensureImages, type ImagesProgress } from '../images/ensure-images.js';
import { catalogueWithCourses } from '../images/course-images.js';
import { activeCourses } from '../course/courses.js';
import { formatBytes } from '../util/bytes.js';
import { settingsCheck } from './settings.js';
import { listImageStatus, type ImageStatus } from '../images/image-status.js';
import { getDockerode, probeDocker, type DockerProbe } from '../runtime/docker-client.js';
import { probeNetworkFaults } from './network-faults.js';
import {
  installDocker,
  manualDockerAdvice,
  readHostFacts,
  startDockerDaemon,
  type HostFacts,
} from './docker-daemon.js';

export interface DoctorCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface DoctorReport {
  ok: boolean;
  checks: DoctorCheck[];
}

export type DoctorProgress = { kind: 'action'; message: string } | { kind: 'images'; event: ImagesProgress };

export interface DoctorOptions {
  fix?: boolean;
  onProgress?: (event: DoctorProgress) => void;
  signal?: AbortSignal;
}

/** Everything the doctor touches, so its reasoning can be tested without a machine to break. */
export interface DoctorDeps {
  nodeVersion: string;
  probe(): Promise<DockerProbe>;
  hostFacts(): Promise<HostFacts>;
  installDocker(onLine: (line: string) => void): Promise<void>;
  startDocker(facts: HostFacts, onLine: (line: string) => void): Promise<DockerProbe>;
  imageStatus(): Promise<ImageStatus[]>;
  buildImages(onProgress: (event: ImagesProgress) => void): Promise<void>;
  freeBytes(dir: string): Promise<number | undefined>;
  /** Runs the fault helper once: can network faults run on this engine (engine/doctor/network-faults.ts)? */
  networkFaults?(): Promise<DoctorCheck>;
  /** The environment the BREAKFIX_* settings are read from (default: this process's). */
  env?: NodeJS.ProcessEnv;
}

export const MIN_NODE_MAJOR = 22;
/** Docker Engine 20.10 (API 1.41) is the oldest engine breakfix is tested on. */
export const MIN_API_VERSION = '1.41';
export const MIN_FREE_BYTES = 3 * 1024 ** 3;

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((part) => Number.parseInt(part, 10) || 0);
  const pb = b.split('.').map((part) => Number.parseInt(part, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i += 1) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}

export function defaultDoctorDeps(signal?: AbortSignal): DoctorDeps {
  let docker: Dockerode | undefined;
  const dockerode = async (): Promise<Dockerode> => (docker ??= await getDockerode());
  // breakfix's images and those the working folder's course declares (docs/courses.md).
  const catalogue = () => catalogueWithCourses(activeCourses());
  return {
    nodeVersion: process.versions.node,
    probe: () => probeDocker(),
    hostFacts: readHostFacts,
    installDocker: (onLine) => installDocker(onLine, signal),
    startDocker: (facts, onLine) => startDockerDaemon(facts, onLine, signal ? { signal } : {}),
    imageStatus: async () => listImageStatus(await dockerode(), catalogue()),
    buildImages: async (onProgress) => {
      await ensureImages({
        docker: await dockerode(),
        catalogue: catalogue(),
        onProgress,
        ...(signal ? { signal } : {}),
      });
    },
    networkFaults: async () => probeNetworkFaults(await dockerode()),
    freeBytes: async (dir) => {
      try {
        const stats = await statfs(dir);
        return stats.bavail * stats.bsize;
      } catch {
        return undefined;
      }
    },
  };
}

export async function runDoctor(
  options: DoctorOptions = {},
  deps: DoctorDeps = defaultDoctorDeps(options.signal),
): Promise<DoctorReport> {
  const action = (message: string): void => options.onProgress?.({ kind: 'action', message });
  const checks: DoctorCheck[] = [];

  const nodeMajor = Number.parseInt(deps.nodeVersion.split('.')[0] ?? '0', 10);
  checks.push({
    name: 'node',
    ok: nodeMajor >= MIN_NODE_MAJOR,
    detail:
      nodeMajor >= MIN_NODE_MAJOR
        ? `v${deps.nodeVersion}`
        : `v${deps.nodeVersion} is too old: breakfix needs Node >= ${MIN_NODE_MAJOR} (run it through bin/breakfix, which uses the one from npm ci)`,
  });

  checks.push(settingsCheck(deps.env));

  let probe = await deps.probe();
  const fixedDocker: string[] = [];
  let advice: string | undefined;
  let fixError: string | undefined;
  if (!probe.reachable) {
    const facts = await deps.hostFacts();
    const mayFix =
      options.fix === true && !probe.endpoint.fromEnv && facts.root && !/permission denied/.test(probe.reason);
    try {
      if (mayFix && !facts.dockerdPath && facts.debianLike) {
        action('Docker is not installed: installing docker.io with apt-get');
        await deps.installDocker(action);
        facts.dockerdPath = (await deps.hostFacts()).dockerdPath;
        fixedDocker.push('installed docker.io');
      }
      if (mayFix && facts.dockerdPath) {
        action('Docker is not running: starting it');
        probe = await deps.startDocker(facts, action);
        fixedDocker.push(facts.systemd ? 'started docker with systemctl' : 'started dockerd');
      }
    } catch (error) {
      // The report still comes out: a failed fix is a failed check with its reason, not a crash.
      fixError = (error as Error).message.split('\n')[0];
    }
    if (!probe.reachable) advice = fixError ? `fix failed: ${fixError}` : manualDockerAdvice(facts, probe);
  }

  if (probe.reachable) {
    const fixed = fixedDocker.length > 0 ? ` (${fixedDocker.join(', ')})` : '';
    checks.push({ name: 'docker', ok: true, detail: `${probe.endpoint.url}${fixed}` });
    const apiOk = compareVersions(probe.apiVersion, MIN_API_VERSION) >= 0;
    checks.push({
      name: 'engine',
      ok: apiOk,
      detail: `Docker Engine ${probe.serverVersion}, API ${probe.apiVersion}${apiOk ? '' : ` (breakfix needs API >= ${MIN_API_VERSION}, Docker Engine 20.10 or newer)`}`,
    });
  } else {
    checks.push({ name: 'docker', ok: false, detail: `${probe.reason}: ${advice ?? 'run `breakfix doctor --fix`'}` });
    checks.push({ name: 'engine', ok: false, detail: 'unknown: Docker is not reachable' });
  }

  if (probe.reachable) {
    let statuses = await deps.imageStatus();
    if (options.fix && statuses.some((status) => status.state !== 'current')) {
      action('building missing or outdated images');
      await deps.buildImages((event) => options.onProgress?.({ kind: 'images', event }));
      statuses = await deps.imageStatus();
    }
    checks.push(...statuses.map(imageCheck));
    const helperReady = statuses.some((status) => status.name === 'fault-helper' && status.state === 'current');
    if (deps.networkFaults && helperReady) checks.push(await deps.networkFaults());
  } else {
    checks.push({ name: 'images', ok: false, detail: 'not checked: Docker is not reachable' });
  }

  checks.push(await diskCheck(probe, deps));
  return { ok: checks.every((check) => check.ok), checks };
}

export function imageCheck(status: ImageStatus): DoctorCheck {
  const name = `image ${status.tag}`;
  switch (status.state) {
    case 'current': {
      const size = status.sizeBytes !== undefined ? `, ${formatBytes(status.sizeBytes)}` : '';
      return { name, ok: true, detail: `built from the current recipe ${status.recipe}${size}` };
    }
    case 'outdated':
      return {
        name,
        ok: false,
        detail: `built from recipe ${status.presentRecipe ?? '(none)'}, the recipe is now ${status.recipe}: run \`breakfix images\``,
      };
    case 'missing':
      return { name, ok: false, detail: 'missing: run `breakfix images`' };
  }
}

/**
 * Images land in Docker's data root; when that folder is not on this machine (remote
 * DOCKER_HOST, Docker Desktop's VM) the next best measure is the scratch folder debootstrap uses.
 */
async function diskCheck(probe: DockerProbe, deps: DoctorDeps): Promise<DoctorCheck> {
  const candidates = [
    ...(probe.reachable && probe.rootDir && !probe.endpoint.fromEnv ? [probe.rootDir] : []),
    '/var/tmp',
    os.tmpdir(),
  ];
  for (const dir of candidates) {
    const free = await deps.freeBytes(dir);
    if (free === undefined) continue;
    const ok = free >= MIN_FREE_BYTES;
    const where = path.resolve(dir);
    return {
      name: 'disk',
      ok,
      detail: `${formatBytes(free)} free on ${where}${ok ? '' : ` (breakfix needs about ${formatBytes(MIN_FREE_BYTES)} for its images and labs)`}`,
    };
  }
  return { name: 'disk', ok: true, detail: 'free space not measurable here' };
}
