/**
 * breakfix's own helper containers: what a runtime fault runs *beside* a lab container rather
 * than inside it (iptables in its network namespace, a delay proxy, a volume filled up). The
 * lab container keeps Docker's default capabilities; the helper drops every capability and adds
 * back only the ones it names (NET_ADMIN for the network faults), never more.
 */
import type Dockerode from 'dockerode';
import type { ContainerCreateOptions } from 'dockerode';
import { isNotFound } from './docker-client.js';
import { demuxLogs } from './docker-streams.js';
import type { ExecResult, HelperSpec } from './runtime.js';

const HELPER_LIMITS = { memoryBytes: 96 * 1024 ** 2, pidsLimit: 64 } as const;

function createOptions(spec: HelperSpec): ContainerCreateOptions {
  return {
    name: spec.name,
    Image: spec.image,
    Cmd: spec.command,
    Labels: spec.labels,
    HostConfig: {
      NetworkMode: spec.networkOf ? `container:${spec.networkOf}` : 'none',
      CapDrop: ['ALL'],
      CapAdd: [...spec.capabilities],
      Privileged: false,
      SecurityOpt: ['no-new-privileges'],
      Memory: spec.memoryBytes ?? HELPER_LIMITS.memoryBytes,
      MemorySwap: spec.memoryBytes ?? HELPER_LIMITS.memoryBytes,
      PidsLimit: HELPER_LIMITS.pidsLimit,
      RestartPolicy: { Name: '' },
      Mounts: (spec.volumes ?? []).map((volume) => ({
        Type: 'volume' as const,
        Source: volume.name,
        Target: volume.target,
        ReadOnly: volume.readOnly,
      })),
    },
  };
}

async function output(container: Dockerode.Container): Promise<{ stdout: string; stderr: string }> {
  const read = async (stream: 'stdout' | 'stderr'): Promise<string> => {
    const raw = (await container.logs({
      stdout: stream === 'stdout',
      stderr: stream === 'stderr',
    })) as unknown as Buffer;
    // Without a TTY, Docker frames each chunk with an 8-byte header (stream type, size).
    return demuxLogs(raw);
  };
  const [stdout, stderr] = await Promise.all([read('stdout'), read('stderr')]);
  return { stdout, stderr };
}

async function removeQuietly(container: Dockerode.Container): Promise<void> {
  try {
    await container.remove({ force: true, v: true });
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== 404 && status !== 409) throw error;
  }
}

/** Runs a helper to completion, returns its exit code and output, and always removes it. */
export async function runHelperContainer(docker: Dockerode, spec: HelperSpec, timeoutMs: number): Promise<ExecResult> {
  const container = await docker.createContainer(createOptions(spec));
  try {
    await container.start();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`helper ${spec.name} did not finish within ${timeoutMs}ms`)),
        timeoutMs,
      );
    });
    try {
      const waited = (await Promise.race([container.wait(), deadline])) as { StatusCode: number };
      return { exitCode: waited.StatusCode, ...(await output(container)) };
    } finally {
      clearTimeout(timer);
    }
  } finally {
    await removeQuietly(container);
  }
}

/** Starts a helper that keeps running until it is stopped; a helper of the same name is replaced. */
export async function startHelperContainer(docker: Dockerode, spec: HelperSpec): Promise<void> {
  await removeQuietly(docker.getContainer(spec.name));
  const container = await docker.createContainer(createOptions(spec));
  try {
    await container.start();
  } catch (error) {
    await removeQuietly(container);
    throw error;
  }
}

/**
 * Stops a long-running helper (SIGTERM, so it can undo its own changes), then removes it.
 * Returns its exit code and output, or undefined when there was no such helper.
 */
export async function stopHelperContainer(
  docker: Dockerode,
  name: string,
  timeoutSeconds: number,
): Promise<(ExecResult & { wasRunning: boolean }) | undefined> {
  const container = docker.getContainer(name);
  let wasRunning: boolean;
  try {
    wasRunning = (await container.inspect()).State.Running;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  try {
    if (wasRunning) await container.stop({ t: timeoutSeconds });
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== 304 && status !== 404) throw error;
  }
  try {
    const state = await container.inspect();
    return { exitCode: state.State.ExitCode, wasRunning, ...(await output(container)) };
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  } finally {
    await removeQuietly(container);
  }
}
