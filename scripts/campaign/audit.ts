/**
 * What an interruption must not cost: Docker resources labelled with the campaign's sessions
 * that nothing removes (after `gc`), and the learner's files. A learner's file is intact when
 * it is in the workspace with its content, or in one of the workspace's backups (`reset` and a
 * second `start` move the learner's files aside, never delete them).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type Dockerode from 'dockerode';
import { LABELS } from '../../engine/runtime/labels.js';

export interface Leak {
  session: string;
  kind: 'container' | 'network' | 'volume' | 'image';
  name: string;
}

/**
 * Everything breakfix labelled for a workspace under `root` (the campaign's folder: its labs,
 * and — TMPDIR pointing there — the sandboxes of grades and durability proofs), plus anything
 * labelled with one of `sessions`. Images include intermediate ones.
 */
export async function leaksUnder(docker: Dockerode, root: string, sessions: Iterable<string>): Promise<Leak[]> {
  const filters = { label: [LABELS.session] };
  const [containers, networks, volumes, images] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
    docker.listImages({ all: true, filters }),
  ]);
  const known = new Set(sessions);
  const ours = (labels: Record<string, string> | null | undefined) =>
    (labels?.[LABELS.workspace] ?? '').startsWith(root) || known.has(labels?.[LABELS.session] ?? '');
  const session = (labels: Record<string, string> | null | undefined) => labels?.[LABELS.session] ?? '?';
  return [
    ...containers
      .filter((c) => ours(c.Labels))
      .map((c) => ({ session: session(c.Labels), kind: 'container' as const, name: c.Names[0] ?? c.Id })),
    ...networks
      .filter((n) => ours(n.Labels))
      .map((n) => ({ session: session(n.Labels), kind: 'network' as const, name: n.Name })),
    ...(volumes.Volumes ?? [])
      .filter((v) => ours(v.Labels))
      .map((v) => ({ session: session(v.Labels), kind: 'volume' as const, name: v.Name })),
    ...images
      .filter((i) => ours(i.Labels))
      .map((i) => ({ session: session(i.Labels), kind: 'image' as const, name: i.RepoTags?.[0] ?? i.Id.slice(7, 19) })),
  ];
}

/** Everything still labelled with one of `sessions` (images: intermediate ones too). */
export async function leaksOf(docker: Dockerode, sessions: Iterable<string>): Promise<Leak[]> {
  const leaks: Leak[] = [];
  for (const session of sessions) {
    const filters = { label: [`${LABELS.session}=${session}`] };
    const [containers, networks, volumes, images] = await Promise.all([
      docker.listContainers({ all: true, filters }),
      docker.listNetworks({ filters }),
      docker.listVolumes({ filters }),
      docker.listImages({ all: true, filters }),
    ]);
    leaks.push(
      ...containers.map((c) => ({ session, kind: 'container' as const, name: c.Names[0]?.replace(/^\//, '') ?? c.Id })),
      ...networks.map((n) => ({ session, kind: 'network' as const, name: n.Name })),
      ...(volumes.Volumes ?? []).map((v) => ({ session, kind: 'volume' as const, name: v.Name })),
      ...images.map((i) => ({ session, kind: 'image' as const, name: i.RepoTags?.[0] ?? i.Id.slice(7, 19) })),
    );
  }
  return leaks;
}

export interface LearnerFile {
  /** Relative to the workspace. */
  relative: string;
  content: string;
}

function backups(workspace: string): string[] {
  const dir = path.join(workspace, '.breakfix', 'backups');
  return existsSync(dir) ? readdirSync(dir).map((entry) => path.join(dir, entry)) : [];
}

const holds = (file: string, content: string) => existsSync(file) && readFileSync(file, 'utf8') === content;

/** The learner's files found neither in the workspace nor in a backup of it. */
export function lostFiles(workspace: string, files: readonly LearnerFile[]): string[] {
  const places = [workspace, ...backups(workspace)];
  return files
    .filter((file) => !places.some((place) => holds(path.join(place, file.relative), file.content)))
    .map((file) => file.relative);
}

/** The session id a workspace holds, if any. */
export function sessionIn(workspace: string): string | undefined {
  try {
    return (
      JSON.parse(readFileSync(path.join(workspace, '.breakfix', 'session.json'), 'utf8')) as { sessionId: string }
    ).sessionId;
  } catch {
    return undefined;
  }
}

/** The workspace's start got through: its session rests with a lab up (not stopped). */
export function startFinished(workspace: string): boolean {
  try {
    const file = JSON.parse(readFileSync(path.join(workspace, '.breakfix', 'session.json'), 'utf8')) as {
      snapshot?: unknown;
      state?: string;
    };
    return file.snapshot !== undefined && file.state !== 'stopped';
  } catch {
    return false;
  }
}
