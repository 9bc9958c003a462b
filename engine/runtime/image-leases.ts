/**
 * Builds and image removals of different sessions on one engine must not hurt each other.
 *
 * The classic builder reuses any cached step, whoever built it: a second learner's build of
 * notes-api runs on the untagged intermediate images of the first learner's build. Removing an
 * image also removes ("prunes") its untagged parents that nothing else references — and a
 * build that has just matched a cached step but not yet created the container of its next
 * step references nothing: the next step fails with `No such image: sha256:…`.
 *
 * So both sides announce themselves on the engine, the one place every breakfix process
 * (on this machine or another one pointed at the same DOCKER_HOST) can see: a labelled volume
 * is a lease. A build holds a `build` lease; a removal holds a `prune` lease. Each creates its
 * own lease *before* looking for the other kind, so at least one of two that overlap sees the
 * other: a removal that sees a build keeps the parents (`noprune`: they stay as build cache,
 * unlabelled, like Docker's own); a build that sees a removal waits for it to end first.
 * Leases of dead processes do not count (same host: the pid is gone; another host: too old).
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type Dockerode from 'dockerode';
import { isProcessAlive } from '../util/process-alive.js';
import { LABELS } from './labels.js';
import type { Labels } from './runtime.js';

export type LeaseKind = 'build' | 'prune';

export const LEASE_LABELS = {
  kind: 'breakfix.lease',
  at: 'breakfix.lease-at',
  host: 'breakfix.lease-host',
  pid: 'breakfix.lease-pid',
} as const;

/** How long a lease of another machine counts (its pid cannot be checked from here). */
const REMOTE_LEASE_MS: Record<LeaseKind, number> = { build: 30 * 60_000, prune: 5 * 60_000 };
/** A build waits at most this long for removals to end, then builds anyway (and may have to retry). */
const BUILD_WAIT_MS = 60_000;
const POLL_MS = 200;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Lease {
  release(): Promise<void>;
}

export async function takeLease(docker: Dockerode, kind: LeaseKind, labels: Labels = {}): Promise<Lease> {
  const name = `bf-lease-${kind}-${randomBytes(6).toString('hex')}`;
  await docker.createVolume({
    Name: name,
    Labels: {
      ...labels,
      [LABELS.managed]: 'true',
      [LEASE_LABELS.kind]: kind,
      [LEASE_LABELS.at]: String(Date.now()),
      [LEASE_LABELS.host]: os.hostname(),
      [LEASE_LABELS.pid]: String(process.pid),
    },
  });
  return {
    release: async () => {
      await docker
        .getVolume(name)
        .remove({ force: true })
        .catch(() => undefined);
    },
  };
}

/** Whether a lease's holder may still be at work. */
export function leaseIsLive(labels: Labels, now = Date.now(), host = os.hostname()): boolean {
  const kind = labels[LEASE_LABELS.kind] as LeaseKind | undefined;
  if (kind !== 'build' && kind !== 'prune') return false;
  if (labels[LEASE_LABELS.host] === host) return isProcessAlive(Number(labels[LEASE_LABELS.pid]));
  return now - Number(labels[LEASE_LABELS.at] ?? 0) < REMOTE_LEASE_MS[kind];
}

/**
 * Live leases of `kind`. This process's own count too: `verify --jobs 4` builds one lab while
 * it tears another down.
 */
export async function liveLeases(docker: Dockerode, kind: LeaseKind): Promise<number> {
  const answer = await docker.listVolumes({ filters: { label: [`${LEASE_LABELS.kind}=${kind}`] } });
  return (answer.Volumes ?? []).filter((volume) => leaseIsLive(volume.Labels ?? {})).length;
}

/**
 * Runs a build under a build lease, after any removal in progress has ended.
 */
export async function withBuildLease<T>(docker: Dockerode, labels: Labels, build: () => Promise<T>): Promise<T> {
  // The build's owner labels: `gc` removes the lease with the rest of a session killed mid-build.
  const owner = Object.fromEntries(
    [LABELS.session, LABELS.workspace].flatMap((key) => (labels[key] === undefined ? [] : [[key, labels[key]]])),
  );
  const lease = await takeLease(docker, 'build', owner);
  try {
    const deadline = Date.now() + BUILD_WAIT_MS;
    while (Date.now() < deadline && (await liveLeases(docker, 'prune')) > 0) await sleep(POLL_MS);
    return await build();
  } finally {
    await lease.release();
  }
}

/**
 * Runs image removals under a prune lease; `prune` tells them whether untagged parents may go
 * too (no build is running anywhere on the engine) or must stay as build cache.
 */
export async function withPruneLease<T>(docker: Dockerode, remove: (prune: boolean) => Promise<T>): Promise<T> {
  const lease = await takeLease(docker, 'prune');
  try {
    return await remove((await liveLeases(docker, 'build')) === 0);
  } finally {
    await lease.release();
  }
}
