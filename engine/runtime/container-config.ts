/**
 * Translation between the Runtime port's shapes and Docker's: a ContainerSpec becomes the
 * create options of `POST /containers/create`, an inspect answer becomes a ContainerState.
 */
import type { ContainerCreateOptions, ContainerInspectInfo } from 'dockerode';
import type { HealthcheckPlan } from '../compose/plan.js';
import type { ContainerSpec, ContainerState, ContainerStatusName, HealthStatus } from './runtime.js';

const nanos = (ms: number) => Math.round(ms * 1_000_000);

function healthConfig(plan: HealthcheckPlan | null | undefined): ContainerCreateOptions['Healthcheck'] {
  if (plan === undefined) return undefined;
  if (plan === null) return { Test: ['NONE'] };
  return {
    Test: plan.test,
    Interval: nanos(plan.intervalMs),
    Timeout: nanos(plan.timeoutMs),
    Retries: plan.retries,
    StartPeriod: nanos(plan.startPeriodMs),
  };
}

/**
 * The create options of a lab container: limits, no privileges, ports on `bindAddress` only,
 * and how it stops (`StopSignal` overrides the image's STOPSIGNAL; `StopTimeout` is what a
 * `docker stop` without `-t` waits — by us or by the learner — before SIGKILL).
 */
export function createOptions(spec: ContainerSpec, bindAddress: string): ContainerCreateOptions {
  const exposed = Object.fromEntries(spec.ports.map((port) => [`${port.container}/${port.protocol}`, {}]));
  const bindings = Object.fromEntries(
    spec.ports.map((port) => [
      `${port.container}/${port.protocol}`,
      [{ HostIp: bindAddress, HostPort: port.host === undefined ? '' : String(port.host) }],
    ]),
  );
  const restartName = spec.restart === 'no' ? '' : spec.restart;
  return {
    name: spec.name,
    Image: spec.image,
    Env: Object.entries(spec.env).map(([key, value]) => `${key}=${value}`),
    Labels: spec.labels,
    ExposedPorts: exposed,
    ...(spec.command ? { Cmd: spec.command } : {}),
    ...(spec.entrypoint ? { Entrypoint: spec.entrypoint } : {}),
    ...(spec.user ? { User: spec.user } : {}),
    ...(spec.healthcheck !== undefined ? { Healthcheck: healthConfig(spec.healthcheck) } : {}),
    ...(spec.stopSignal ? { StopSignal: spec.stopSignal } : {}),
    ...(spec.stopTimeoutSeconds !== undefined ? { StopTimeout: spec.stopTimeoutSeconds } : {}),
    HostConfig: {
      NetworkMode: spec.network,
      PortBindings: bindings,
      Memory: spec.memoryBytes,
      MemorySwap: spec.memoryBytes,
      ...(spec.cpus ? { NanoCpus: Math.round(spec.cpus * 1e9) } : {}),
      PidsLimit: spec.pidsLimit,
      RestartPolicy: { Name: restartName },
      Privileged: false,
      SecurityOpt: ['no-new-privileges'],
      ...(spec.init ? { Init: true } : {}),
      Mounts: spec.volumes.map((volume) => ({
        Type: 'volume' as const,
        Source: volume.name,
        Target: volume.target,
        ReadOnly: volume.readOnly,
      })),
      ...(spec.logging ? { LogConfig: { Type: spec.logging.driver, Config: spec.logging.options } } : {}),
    },
    NetworkingConfig: { EndpointsConfig: { [spec.network]: { Aliases: spec.aliases } } },
  };
}

const asList = (value: string | string[] | null | undefined): string[] =>
  value === null || value === undefined ? [] : Array.isArray(value) ? value : [value];

export function toState(info: ContainerInspectInfo): ContainerState {
  const ports = Object.entries(info.NetworkSettings?.Ports ?? {}).flatMap(([key, bindings]) => {
    const [port, protocol] = key.split('/');
    // Any binding counts: loopback locally, BREAKFIX_PUBLISH_ADDRESS on a remote engine.
    return (bindings ?? []).map((binding) => ({
      container: Number(port),
      host: Number(binding.HostPort),
      protocol: (protocol === 'udp' ? 'udp' : 'tcp') as 'tcp' | 'udp',
    }));
  });
  const health = info.State.Health;
  const config = info.Config as ContainerInspectInfo['Config'] & { StopSignal?: string; StopTimeout?: number };
  return {
    id: info.Id,
    name: info.Name.replace(/^\//, ''),
    image: info.Config.Image,
    imageId: info.Image,
    status: info.State.Status as ContainerStatusName,
    // Docker reports a container in a crash loop, or paused, as Running too; for a learner it is not up.
    running: info.State.Running && !info.State.Restarting && !info.State.Paused,
    exitCode: info.State.ExitCode,
    oomKilled: info.State.OOMKilled,
    health: (health?.Status as HealthStatus | undefined) ?? 'none',
    healthLog: (health?.Log ?? []).map((entry) => `exit ${entry.ExitCode}: ${entry.Output.trim()}`),
    healthcheck: (info.Config.Healthcheck?.Test ?? []).filter((part) => part !== 'NONE'),
    restartCount: info.RestartCount,
    createdAt: info.Created,
    startedAt: info.State.StartedAt,
    finishedAt: info.State.FinishedAt,
    ports: ports.filter(
      (port, index) =>
        ports.findIndex((other) => other.container === port.container && other.protocol === port.protocol) === index,
    ),
    env: info.Config.Env ?? [],
    command: asList(info.Config.Cmd),
    entrypoint: asList(info.Config.Entrypoint),
    user: info.Config.User ?? '',
    labels: info.Config.Labels ?? {},
    networks: Object.keys(info.NetworkSettings?.Networks ?? {}),
    memoryBytes: info.HostConfig.Memory ?? 0,
    cpus: (info.HostConfig.NanoCpus ?? 0) / 1e9,
    mounts: (info.Mounts ?? [])
      .filter((mount) => mount.Type === 'volume' && mount.Name)
      .map((mount) => ({ volume: mount.Name ?? '', target: mount.Destination, readOnly: mount.RW === false })),
    stopSignal: config.StopSignal ?? 'SIGTERM',
    ...(config.StopTimeout !== undefined && config.StopTimeout !== null
      ? { stopTimeoutSeconds: config.StopTimeout }
      : {}),
    init: info.HostConfig.Init === true,
  };
}
