/**
 * The deploy plan: what breakfix will actually run, derived from the workspace compose.yaml.
 * Everything here is plain JSON so a plan can be persisted with a release and diffed
 * between applies (a service is recreated only when its plan entry or image changed).
 */

export type DependsOnCondition = 'service_started' | 'service_healthy' | 'service_completed_successfully';

export interface BuildPlan {
  /** Absolute path of the build context. */
  context: string;
  /** Dockerfile path relative to the context. */
  dockerfile: string;
  args: Record<string, string>;
  target?: string;
}

export interface PortPlan {
  container: number;
  /** Host port asked for in compose; undefined means breakfix picks a free one (always on 127.0.0.1). */
  host?: number;
  protocol: 'tcp' | 'udp';
}

export interface SecretMountPlan {
  /** Secret name from the top-level `secrets:` map. */
  name: string;
  /** Absolute path of the file on the host. */
  file: string;
  /** Path inside the container, `/run/secrets/<name>` unless compose says otherwise. */
  target: string;
}

export interface VolumeMountPlan {
  /** Named volume from the top-level `volumes:` map. */
  volume: string;
  target: string;
  readOnly: boolean;
}

export interface HealthcheckPlan {
  test: string[];
  intervalMs: number;
  timeoutMs: number;
  retries: number;
  startPeriodMs: number;
}

export interface LoggingPlan {
  driver: string;
  options: Record<string, string>;
}

export interface NetworkAttachment {
  /** A network of the lab: `default` or one declared under the top-level `networks`. */
  name: string;
  /** More names the service answers to on that network, besides its service name. */
  aliases: string[];
}

export interface NetworkPlan {
  /** No route out of the lab (Docker's `internal` network). */
  internal: boolean;
}

export type RestartPolicy = 'no' | 'always' | 'on-failure' | 'unless-stopped';

export interface ServicePlan {
  name: string;
  /** Image reference as written in compose (or `<project>-<service>` for build-only services). */
  image: string;
  build?: BuildPlan;
  environment: Record<string, string>;
  command?: string[];
  entrypoint?: string[];
  ports: PortPlan[];
  secrets: SecretMountPlan[];
  volumes: VolumeMountPlan[];
  /** `null` when compose disables the image's own healthcheck. */
  healthcheck?: HealthcheckPlan | null;
  dependsOn: Array<{ service: string; condition: DependsOnCondition }>;
  user?: string;
  restart: RestartPolicy;
  /** `restart: on-failure:N` — give up after N restarts. */
  restartMaxRetries?: number;
  memLimitBytes?: number;
  /** CPU limit (compose `cpus`), in CPUs. */
  cpus?: number;
  /** Networks joined, in order; undefined: the lab's `default` network only. */
  networks?: NetworkAttachment[];
  labels: Record<string, string>;
  logging?: LoggingPlan;
  /** `stop_signal`: what a stop sends first (default: the image's STOPSIGNAL, else SIGTERM). */
  stopSignal?: string;
  /** `stop_grace_period`: how long a stop waits before SIGKILL (default 10 s). */
  stopGracePeriodMs?: number;
  /** `init: true`: Docker's init (tini) runs as PID 1, forwards signals and reaps zombies. */
  init?: boolean;
}

export interface DeployPlan {
  services: Record<string, ServicePlan>;
  /** Named volumes declared at top level. */
  volumes: string[];
  /** Driver options of the volumes that have some (a size-limited tmpfs volume). */
  volumeDrivers?: Record<string, Record<string, string>>;
  /** Networks declared at top level besides `default`. */
  networks?: Record<string, NetworkPlan>;
}
