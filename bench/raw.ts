/**
 * The baseline: the notes-api lab's containers started directly with dockerode, the way a
 * person with `docker network create` / `docker run` and a tight polling loop would, with no
 * breakfix in between. Same images, environment, secret file, volume, healthchecks, limits and
 * published port as the lab (read from the lab's own compose.yaml through the compose loader,
 * so the two never drift), waited on to real readiness:
 *
 *   db       accepts connections: `pg_isready -h 127.0.0.1` via exec, every 100 ms (an exec
 *            costs ~100 ms of dockerd/runc CPU; polling back to back slows the database's own
 *            start on 2 cores)
 *   migrate  exited 0 (`container.wait()`)
 *   api      HTTP 200 on /health through the port published on 127.0.0.1, every 25 ms
 *
 * The api image is built once before the measurements (not timed), like a warm engine cache.
 */
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { PassThrough, type Readable } from 'node:stream';
import { TarArchive } from 'archiver';
import Dockerode from 'dockerode';
import type { ContainerCreateOptions } from 'dockerode';
import { loadComposePlan } from '../engine/compose/load-plan.js';
import type { DeployPlan, ServicePlan } from '../engine/compose/plan.js';
import { DEFAULT_LIMITS } from '../engine/deploy/deploy.js';
import { buildImage } from '../engine/runtime/build-image.js';
import { labsDir } from '../engine/paths.js';
import { BENCH_LABEL, BENCH_PID_LABEL } from './cleanup.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const nanos = (ms: number) => Math.round(ms * 1_000_000);

export interface RawLab {
  plan: DeployPlan;
  /** The api/migrate image built once for the baseline. */
  image: string;
  labels: Record<string, string>;
  docker: Dockerode;
}

export interface RawTimings {
  totalMs: number;
  dbReadyMs: number;
  migrateDoneMs: number;
  apiReadyMs: number;
  /** When Docker's health status turned `healthy` (measured after the baseline ends). */
  apiHealthyMs: number;
}

export async function prepareRawLab(runId: string): Promise<RawLab> {
  const source = path.join(labsDir, 'notes-api');
  const plan = await loadComposePlan(source, { projectName: 'notes-api' });
  const labels = { [BENCH_LABEL]: runId, [BENCH_PID_LABEL]: String(process.pid) };
  const docker = new Dockerode();
  const image = `bfbench-${runId}/notes-api:2.0.0`;
  const api = plan.services.api;
  if (!api?.build) throw new Error('labs/notes-api: the api service has no build section');
  await buildImage({
    context: api.build.context,
    dockerfile: api.build.dockerfile,
    tag: image,
    labels,
    args: api.build.args,
    ...(api.build.target ? { target: api.build.target } : {}),
    docker,
  });
  return { plan, image, labels, docker };
}

async function secretTar(service: ServicePlan): Promise<Readable> {
  const archive = new TarArchive();
  for (const secret of service.secrets)
    archive.append(await readFile(secret.file, 'utf8'), { name: secret.target.replace(/^\//, ''), mode: 0o444 });
  void archive.finalize();
  return archive;
}

function createOptions(
  lab: RawLab,
  service: ServicePlan,
  name: string,
  network: string,
  volumes: Record<string, string>,
): ContainerCreateOptions {
  const image = service.build ? lab.image : service.image;
  const health = service.healthcheck;
  return {
    name,
    Image: image,
    Env: Object.entries(service.environment).map(([key, value]) => `${key}=${value}`),
    Labels: lab.labels,
    ...(service.command ? { Cmd: service.command } : {}),
    ExposedPorts: Object.fromEntries(service.ports.map((port) => [`${port.container}/${port.protocol}`, {}])),
    ...(health
      ? {
          Healthcheck: {
            Test: health.test,
            Interval: nanos(health.intervalMs),
            Timeout: nanos(health.timeoutMs),
            Retries: health.retries,
            StartPeriod: nanos(health.startPeriodMs),
          },
        }
      : {}),
    HostConfig: {
      NetworkMode: network,
      PortBindings: Object.fromEntries(
        service.ports.map((port) => [`${port.container}/${port.protocol}`, [{ HostIp: '127.0.0.1', HostPort: '' }]]),
      ),
      Memory: service.memLimitBytes ?? DEFAULT_LIMITS.memoryBytes,
      MemorySwap: service.memLimitBytes ?? DEFAULT_LIMITS.memoryBytes,
      PidsLimit: DEFAULT_LIMITS.pidsLimit,
      RestartPolicy: { Name: service.restart === 'no' ? '' : service.restart },
      SecurityOpt: ['no-new-privileges'],
      Mounts: service.volumes.map((mount) => ({
        Type: 'volume' as const,
        Source: volumes[mount.volume] as string,
        Target: mount.target,
        ReadOnly: mount.readOnly,
      })),
      ...(service.logging ? { LogConfig: { Type: service.logging.driver, Config: service.logging.options } } : {}),
    },
    NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: [service.name] } } },
  };
}

async function runService(
  lab: RawLab,
  service: ServicePlan,
  name: string,
  network: string,
  volumes: Record<string, string>,
): Promise<Dockerode.Container> {
  const container = await lab.docker.createContainer(createOptions(lab, service, name, network, volumes));
  if (service.secrets.length > 0) await container.putArchive(await secretTar(service), { path: '/' });
  await container.start();
  return container;
}

async function execExitCode(docker: Dockerode, container: Dockerode.Container, cmd: string[]): Promise<number> {
  const exec = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const sink = new PassThrough();
  sink.resume();
  docker.modem.demuxStream(stream, sink, sink);
  await new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', reject);
  });
  return (await exec.inspect()).ExitCode ?? -1;
}

async function until(what: string, timeoutMs: number, probe: () => Promise<boolean>, pauseMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`raw baseline: ${what} not ready within ${timeoutMs} ms`);
    await sleep(pauseMs);
  }
}

/** One baseline deployment, from nothing to "api answers 200"; removed afterwards (not timed). */
export async function runRawOnce(lab: RawLab, index: number): Promise<RawTimings> {
  const prefix = `bfbench-${lab.labels[BENCH_LABEL]}-r${index}`;
  const { db, migrate, api } = lab.plan.services;
  if (!db || !migrate || !api) throw new Error('labs/notes-api must have db, migrate and api');
  const docker = lab.docker;
  const started = performance.now();
  const network = `${prefix}-net`;
  await docker.createNetwork({ Name: network, Driver: 'bridge', CheckDuplicate: true, Labels: lab.labels });
  const volumes = Object.fromEntries(lab.plan.volumes.map((volume) => [volume, `${prefix}-${volume}`]));
  await Promise.all(Object.values(volumes).map((name) => docker.createVolume({ Name: name, Labels: lab.labels })));

  const dbContainer = await runService(lab, db, `${prefix}-db`, network, volumes);
  await until(
    'db',
    90_000,
    async () =>
      (await execExitCode(docker, dbContainer, [
        'pg_isready',
        '-q',
        '-h',
        '127.0.0.1',
        '-U',
        'notes',
        '-d',
        'notes',
      ])) === 0,
    100,
  );
  const dbReadyMs = performance.now() - started;

  const migrateContainer = await runService(lab, migrate, `${prefix}-migrate`, network, volumes);
  const exit = (await migrateContainer.wait()) as { StatusCode: number };
  if (exit.StatusCode !== 0) throw new Error(`raw baseline: migrate exited ${exit.StatusCode}`);
  const migrateDoneMs = performance.now() - started;

  const apiContainer = await runService(lab, api, `${prefix}-api`, network, volumes);
  const info = await apiContainer.inspect();
  const binding = info.NetworkSettings.Ports?.['8080/tcp']?.[0];
  if (!binding) throw new Error('raw baseline: the api port was not published');
  const url = `http://127.0.0.1:${binding.HostPort}/health`;
  await until('api', 60_000, async () => (await fetch(url, { signal: AbortSignal.timeout(2_000) })).status === 200, 25);
  const apiReadyMs = performance.now() - started;
  // Not part of the baseline: when Docker's own probe (1 s interval, the first one a whole
  // interval after the start) calls the api healthy, i.e. what `docker compose up --wait`, and
  // breakfix's settle step, wait for.
  await until('api healthy', 60_000, async () => (await apiContainer.inspect()).State.Health?.Status === 'healthy', 50);
  const apiHealthyMs = performance.now() - started;
  return { totalMs: apiReadyMs, dbReadyMs, migrateDoneMs, apiReadyMs, apiHealthyMs };
}

/** Removes one baseline deployment (containers, then network and volume). */
export async function removeRawOnce(lab: RawLab, index: number): Promise<void> {
  const prefix = `bfbench-${lab.labels[BENCH_LABEL]}-r${index}`;
  const docker = lab.docker;
  await Promise.all(
    ['api', 'migrate', 'db'].map((service) =>
      docker
        .getContainer(`${prefix}-${service}`)
        .remove({ force: true, v: true })
        .catch(() => undefined),
    ),
  );
  await docker
    .getNetwork(`${prefix}-net`)
    .remove()
    .catch(() => undefined);
  await Promise.all(
    lab.plan.volumes.map((volume) =>
      docker
        .getVolume(`${prefix}-${volume}`)
        .remove({ force: true })
        .catch(() => undefined),
    ),
  );
}

export async function removeRawImage(lab: RawLab): Promise<void> {
  await lab.docker
    .getImage(lab.image)
    .remove({ force: true })
    .catch(() => undefined);
}
