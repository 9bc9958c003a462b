/**
 * Getting a local Docker Engine running: what is installed, starting dockerd, installing
 * docker.io. Only ever acts as root on Debian/Ubuntu; otherwise it returns the one line the
 * user should run.
 */
import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { probeDocker, type DockerProbe } from '../runtime/docker-client.js';
import { isProcessAlive } from '../util/process-alive.js';
import { aptInstall, findCommand, isDebianLike, isRoot, readOsRelease, runCommand } from '../images/host-system.js';

export const DOCKERD_LOG = '/var/log/dockerd.log';
const DOCKERD_PID_FILE = '/var/run/docker.pid';

export interface HostFacts {
  root: boolean;
  debianLike: boolean;
  osName: string;
  dockerdPath?: string;
  systemd: boolean;
}

export async function readHostFacts(): Promise<HostFacts> {
  const release = await readOsRelease();
  const dockerdPath = await findCommand('dockerd');
  return {
    root: isRoot(),
    debianLike: isDebianLike(release),
    osName: release?.prettyName ?? process.platform,
    ...(dockerdPath ? { dockerdPath } : {}),
    // systemd is PID 1 exactly when this folder exists (sd_booted()).
    systemd: existsSync('/run/systemd/system'),
  };
}

/** The process in dockerd's pid file, if it is alive: a daemon still starting up. */
async function runningDockerdPid(): Promise<number | undefined> {
  const text = await readFile(DOCKERD_PID_FILE, 'utf8').catch(() => '');
  const pid = Number.parseInt(text.trim(), 10);
  return isProcessAlive(pid) ? pid : undefined;
}

export async function waitForDocker(timeoutMs: number, signal?: AbortSignal): Promise<DockerProbe> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    signal?.throwIfAborted();
    const probe = await probeDocker({ timeoutMs: 2_000 });
    if (probe.reachable || Date.now() >= deadline) return probe;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Starts the installed daemon: through systemd when it runs the machine, otherwise as a
 * detached `dockerd` logging to /var/log/dockerd.log. Then waits for it to answer.
 */
export async function startDockerDaemon(
  facts: HostFacts,
  onLine: (line: string) => void,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<DockerProbe> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const already = await runningDockerdPid();
  if (already !== undefined) {
    onLine(`dockerd is already running (pid ${already}); waiting for it to answer`);
  } else if (facts.systemd) {
    onLine('systemctl start docker');
    const result = await runCommand('systemctl', ['start', 'docker'], {
      onLine,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (result.code !== 0)
      throw new Error(
        `systemctl start docker failed (exit ${result.code}): ${result.tail.slice(-3).join(' / ')}; see journalctl -u docker`,
      );
  } else {
    if (!facts.dockerdPath) throw new Error('dockerd is not installed');
    onLine(`starting ${facts.dockerdPath} in the background (log: ${DOCKERD_LOG})`);
    const log = openSync(DOCKERD_LOG, 'a');
    try {
      const child = spawn(facts.dockerdPath, [], { detached: true, stdio: ['ignore', log, log] });
      child.unref();
    } finally {
      closeSync(log);
    }
  }
  const probe = await waitForDocker(timeoutMs, options.signal);
  if (!probe.reachable)
    throw new Error(
      `dockerd did not answer within ${Math.round(timeoutMs / 1000)} s (${probe.reason}); see ${facts.systemd ? 'journalctl -u docker' : DOCKERD_LOG}`,
    );
  return probe;
}

export async function installDocker(onLine: (line: string) => void, signal?: AbortSignal): Promise<void> {
  onLine('apt-get install -y docker.io');
  await aptInstall(['docker.io'], { onLine, ...(signal ? { signal } : {}) });
}

/** The one line to print when breakfix may not fix the engine itself. */
export function manualDockerAdvice(facts: HostFacts, probe: Extract<DockerProbe, { reachable: false }>): string {
  if (probe.endpoint.fromEnv) return `check DOCKER_HOST=${probe.endpoint.url} (the engine there does not answer)`;
  if (/permission denied/.test(probe.reason))
    return 'run as root, or add your user to the docker group: `sudo usermod -aG docker $USER` and log in again';
  if (!facts.dockerdPath) {
    return facts.debianLike
      ? 'install Docker: `sudo apt-get install -y docker.io` (or run `sudo bin/breakfix doctor --fix`)'
      : `install Docker Engine or Docker Desktop for ${facts.osName}, then start it`;
  }
  return facts.systemd
    ? 'start Docker: `sudo systemctl start docker`'
    : `start Docker: \`sudo sh -c 'nohup dockerd > ${DOCKERD_LOG} 2>&1 &'\` (or run \`sudo bin/breakfix doctor --fix\`)`;
}
