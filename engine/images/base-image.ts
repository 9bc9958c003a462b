/**
 * breakfix/base:bookworm, the root every breakfix image is built on.
 *
 * With a registry: `debian:bookworm-slim` plus the recipe's rootfs/ overlay (labs/images/base/
 * Dockerfile). Without one (the normal case in classrooms and CI sandboxes): a debootstrap
 * minbase root filesystem from the mirror in the machine's apt sources, the same overlay
 * applied, imported with `docker import` semantics (labels and CMD as `changes`).
 */
import { spawn } from 'node:child_process';
import { cp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type Dockerode from 'dockerode';
import { z } from 'zod';
import type { BuildProgress } from '../runtime/build-progress.js';
import { buildImage } from '../runtime/build-image.js';
import { isNotFound } from '../runtime/docker-client.js';
import { imageSourcesList, pickDebianMirror, readAptSources } from './apt-sources.js';
import { readDockerJsonStream } from './docker-json-stream.js';
import { aptInstall, findCommand, isDebianLike, isRoot, readOsRelease, runCommand } from './host-system.js';
import { withScratchDir } from './scratch-dir.js';

const BaseRecipe = z.object({
  suite: z.string().regex(/^[a-z]+$/),
  variant: z.string().regex(/^[a-z]+$/),
  registryImage: z.string().min(1),
});
export type BaseRecipe = z.infer<typeof BaseRecipe>;

export async function readBaseRecipe(recipeDir: string): Promise<BaseRecipe> {
  const file = path.join(recipeDir, 'recipe.json');
  return BaseRecipe.parse(JSON.parse(await readFile(file, 'utf8')));
}

export interface BaseImageRequest {
  docker: Dockerode;
  recipeDir: string;
  tag: string;
  labels: Record<string, string>;
  onProgress?: (event: BuildProgress) => void;
  signal?: AbortSignal;
  /** How long a registry gets to start answering before debootstrap takes over. */
  registryTimeoutMs?: number;
}

export interface BaseImageResult {
  id: string;
  tag: string;
  origin: 'registry' | 'debootstrap';
}

const TOTAL_STEPS = 3;

export async function buildBaseImage(request: BaseImageRequest): Promise<BaseImageResult> {
  const recipe = await readBaseRecipe(request.recipeDir);
  const step = (n: number, instruction: string): void =>
    request.onProgress?.({ kind: 'step', step: n, total: TOTAL_STEPS, instruction });
  const output = (line: string): void => request.onProgress?.({ kind: 'output', line });

  step(
    1,
    `root filesystem: ${recipe.registryImage} from a registry (${Math.round((request.registryTimeoutMs ?? 5_000) / 1000)} s to answer)`,
  );
  const registryFailure = await obtainRegistryImage(
    request.docker,
    recipe.registryImage,
    request.registryTimeoutMs ?? 5_000,
    output,
    request.signal,
  );
  if (registryFailure === undefined) {
    step(2, `root filesystem: ${recipe.registryImage}`);
    step(3, 'apply rootfs/ overlay and labels (docker build)');
    const built = await buildImage({
      docker: request.docker,
      context: request.recipeDir,
      tag: request.tag,
      labels: request.labels,
      args: { ROOT_IMAGE: recipe.registryImage },
      onProgress: (event) =>
        output(event.kind === 'step' ? `Step ${event.step}/${event.total} : ${event.instruction}` : event.line),
      ...(request.signal ? { signal: request.signal } : {}),
    });
    return { ...built, origin: 'registry' };
  }

  output(`no registry: ${registryFailure}; building the root filesystem with debootstrap`);
  const debootstrap = await ensureDebootstrap(output, request.signal);
  const sources = await readAptSources();
  const mirror = process.env.BREAKFIX_DEBIAN_MIRROR?.trim() || pickDebianMirror(sources, recipe.suite);
  if (!mirror) {
    throw new Error(
      `building ${request.tag}: no registry answered and no apt source for Debian ${recipe.suite} (main) is configured in /etc/apt/sources.list or /etc/apt/sources.list.d; ` +
        'set BREAKFIX_DEBIAN_MIRROR=<Debian mirror URL> or make a registry reachable',
    );
  }
  if (!isRoot()) {
    throw new Error(
      `building ${request.tag} without a registry runs debootstrap, which needs root: run \`sudo bin/breakfix images\``,
    );
  }

  return withScratchDir(
    'breakfix-rootfs-',
    async (dir, signal) => {
      const rootfs = path.join(dir, 'rootfs');
      // Without ca-certificates apt inside the image could not verify an https mirror.
      const include = mirror.startsWith('https:') ? ['--include=ca-certificates'] : [];
      const args = [`--variant=${recipe.variant}`, ...include, recipe.suite, rootfs, mirror];
      step(2, `debootstrap ${args.filter((arg) => arg !== rootfs).join(' ')}`);
      const result = await runCommand(debootstrap, args, { onLine: output, signal });
      if (result.code !== 0) {
        const log = await readFile(path.join(rootfs, 'debootstrap', 'debootstrap.log'), 'utf8').catch(() => '');
        const logTail = log.trim().split('\n').slice(-15);
        throw new Error(
          `building ${request.tag}: debootstrap exited with ${result.code}:\n${[...result.tail, ...logTail].map((line) => `  ${line}`).join('\n')}`,
        );
      }
      step(3, 'apply rootfs/ overlay, docker import');
      await prepareRootfs(
        rootfs,
        path.join(request.recipeDir, 'rootfs'),
        imageSourcesList(sources, recipe.suite, mirror),
      );
      const id = await importRootfs(request.docker, rootfs, request.tag, request.labels, signal);
      return { id, tag: request.tag, origin: 'debootstrap' as const };
    },
    request.signal,
  );
}

/**
 * Makes `image` present locally, or returns why it cannot. A pull only counts as possible when
 * the registry starts answering within `answerMs`; once it does, the pull may take its time.
 */
async function obtainRegistryImage(
  docker: Dockerode,
  image: string,
  answerMs: number,
  output: (line: string) => void,
  signal?: AbortSignal,
): Promise<string | undefined> {
  try {
    await docker.getImage(image).inspect();
    output(`${image} is already present`);
    return undefined;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  const answerTimer = setTimeout(() => controller.abort(new Error(`no answer within ${answerMs / 1000} s`)), answerMs);
  try {
    const stream = (await docker.pull(image, { abortSignal: controller.signal })) as NodeJS.ReadableStream;
    await readDockerJsonStream(stream, (message) => {
      clearTimeout(answerTimer);
      if (message.status) output([message.id, message.status, message.progress].filter(Boolean).join(' '));
    });
    return undefined;
  } catch (error) {
    if (signal?.aborted) throw error;
    const reason =
      controller.signal.aborted && controller.signal.reason instanceof Error
        ? controller.signal.reason.message
        : (error as Error).message;
    return `pulling ${image} failed: ${reason.split('\n')[0]}`;
  } finally {
    clearTimeout(answerTimer);
    signal?.removeEventListener('abort', onAbort);
  }
}

async function ensureDebootstrap(output: (line: string) => void, signal?: AbortSignal): Promise<string> {
  const found = await findCommand('debootstrap');
  if (found) return found;
  if (isRoot() && isDebianLike(await readOsRelease())) {
    output('debootstrap is missing: apt-get install -y debootstrap');
    await aptInstall(['debootstrap'], { onLine: output, ...(signal ? { signal } : {}) });
    const installed = await findCommand('debootstrap');
    if (installed) return installed;
  }
  throw new Error(
    'no registry answered and debootstrap is not installed: run `sudo apt-get install debootstrap` (or make a registry reachable), then `breakfix images`',
  );
}

/**
 * Makes a debootstrap tree look like Debian's slim container image: the recipe's overlay, the
 * machine's mirror in sources.list, and nothing of the build host (resolv.conf, hostname) or
 * of the download (package cache, lists, docs, translations) left in it.
 */
export async function prepareRootfs(rootfs: string, overlayDir: string, sourcesList: string): Promise<void> {
  await cp(overlayDir, rootfs, { recursive: true, force: true });
  await writeFile(path.join(rootfs, 'etc', 'apt', 'sources.list'), sourcesList);
  for (const leftover of ['etc/resolv.conf', 'etc/hostname', 'var/log/bootstrap.log', 'debootstrap']) {
    await rm(path.join(rootfs, leftover), { recursive: true, force: true });
  }
  await emptyDir(path.join(rootfs, 'var/cache/apt/archives'), (name) => name.endsWith('.deb'));
  await emptyDir(path.join(rootfs, 'var/cache/apt'), (name) => name.endsWith('.bin'));
  await emptyDir(path.join(rootfs, 'var/lib/apt/lists'), (name) => name !== 'partial' && name !== 'lock');
  await emptyDir(path.join(rootfs, 'usr/share/man'), () => true);
  await emptyDir(path.join(rootfs, 'usr/share/info'), () => true);
  await emptyDir(path.join(rootfs, 'usr/share/locale'), (name) => name !== 'locale.alias');
  const docDir = path.join(rootfs, 'usr/share/doc');
  for (const pkg of await readdir(docDir).catch(() => [] as string[])) {
    await emptyDir(path.join(docDir, pkg), (name) => name !== 'copyright');
  }
}

async function emptyDir(dir: string, shouldRemove: (name: string) => boolean): Promise<void> {
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (shouldRemove(name)) await rm(path.join(dir, name), { recursive: true, force: true });
  }
}

const IMAGE_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** `docker import` changes: labels, CMD and the PATH an imported image otherwise lacks. */
export function importChanges(labels: Record<string, string>): string[] {
  return [
    ...Object.entries(labels).map(([key, value]) => `LABEL ${key}=${JSON.stringify(value)}`),
    `ENV ${IMAGE_PATH}`,
    'CMD ["bash"]',
  ];
}

/** tar of the tree streamed into `POST /images/create?fromSrc=-`; returns the image id. */
async function importRootfs(
  docker: Dockerode,
  rootfs: string,
  tag: string,
  labels: Record<string, string>,
  signal: AbortSignal,
): Promise<string> {
  const colon = tag.lastIndexOf(':');
  const [repo, version] = colon > tag.lastIndexOf('/') ? [tag.slice(0, colon), tag.slice(colon + 1)] : [tag, 'latest'];
  // GNU tar keeps device nodes, numeric owners and modes exactly; --one-file-system never
  // follows a mount that debootstrap might have left inside the tree.
  const tar = spawn('tar', ['--numeric-owner', '--one-file-system', '-C', rootfs, '-cf', '-', '.'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tarErrors = '';
  tar.stderr.setEncoding('utf8').on('data', (chunk: string) => (tarErrors += chunk));
  const tarExit = new Promise<number>((resolve) => tar.on('close', (code) => resolve(code ?? 1)));
  const onAbort = (): void => {
    tar.kill('SIGTERM');
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const response = await docker.importImage(tar.stdout, {
      repo,
      tag: version,
      changes: importChanges(labels),
      abortSignal: signal,
    });
    await readDockerJsonStream(response, () => undefined);
    const code = await tarExit;
    if (code !== 0)
      throw new Error(
        `building ${tag}: tar of the root filesystem failed (exit ${code}): ${tarErrors.trim().split('\n').slice(-5).join(' / ')}`,
      );
    const image = (await docker.getImage(tag).inspect()) as { Id: string };
    return image.Id;
  } finally {
    signal.removeEventListener('abort', onAbort);
    // A failed import stops reading; a tar blocked on a full pipe would otherwise stay forever.
    if (tar.exitCode === null) tar.kill('SIGTERM');
  }
}
