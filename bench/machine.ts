/** What the figures were measured on: they mean little without it. */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import type { Runtime } from '../engine/runtime/runtime.js';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  /** cgroup v2 memory.max of this process, when one is set. */
  cgroupMemoryLimitGiB?: number;
  kernel: string;
  node: string;
  docker: { serverVersion: string; apiVersion: string; storageDriver?: string; cgroup?: string };
}

const gib = (bytes: number) => Math.round((bytes / 1024 ** 3) * 10) / 10;

export async function describeMachine(runtime: Runtime): Promise<Machine> {
  const info = await runtime.info();
  const limit = (await readFile('/sys/fs/cgroup/memory.max', 'utf8').catch(() => 'max')).trim();
  let storageDriver: string | undefined;
  let cgroup: string | undefined;
  try {
    const { default: Dockerode } = await import('dockerode');
    const details = (await new Dockerode().info()) as { Driver?: string; CgroupVersion?: string };
    storageDriver = details.Driver;
    cgroup = details.CgroupVersion;
  } catch {
    /* the version is enough */
  }
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: gib(os.totalmem()),
    ...(/^\d+$/.test(limit) ? { cgroupMemoryLimitGiB: gib(Number(limit)) } : {}),
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    docker: {
      serverVersion: info.serverVersion,
      apiVersion: info.apiVersion,
      ...(storageDriver ? { storageDriver } : {}),
      ...(cgroup ? { cgroup } : {}),
    },
  };
}

/** 1, 5 and 15-minute load averages, two decimals. */
export function load(): [number, number, number] {
  const [one, five, fifteen] = os.loadavg().map((value) => Math.round(value * 100) / 100);
  return [one ?? 0, five ?? 0, fifteen ?? 0];
}
