/**
 * Build an image from a context folder with dockerode, reporting progress as it goes.
 *
 * Why not `GenericContainer.fromDockerfile(...).build()`: testcontainers' builder cannot set
 * image labels (every breakfix image must carry them so `gc` can find it), and it reads the
 * build's JSON stream without looking at its `error` entries, so a failing `RUN` surfaces as a
 * later "no such image" instead of the build's own output. Learners' broken Dockerfiles are a
 * scenario here, so the failing step and the build's last lines are the error message.
 *
 * Used both for breakfix's own images and for lab images built from learners' workspaces.
 */
import { stripVTControlCharacters } from 'node:util';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import dockerignore from '@balena/dockerignore';
import type Dockerode from 'dockerode';
import { create as createTar } from 'tar';
import type { BuildProgress } from './build-progress.js';
import { getDockerode, isNotFound } from './docker-client.js';

export type { BuildProgress } from './build-progress.js';

// CommonJS package whose typings declare an ES default export: under NodeNext the default
// import is `module.exports`, which is the factory itself.
const createIgnore = dockerignore as unknown as typeof dockerignore.default;

export interface BuildImageOptions {
  /** Folder sent to the daemon; `.dockerignore` inside it is honoured like `docker build` does. */
  context: string;
  /** Path of the Dockerfile relative to `context`. Default `Dockerfile`. */
  dockerfile?: string;
  tag: string;
  labels?: Record<string, string>;
  args?: Record<string, string>;
  target?: string;
  noCache?: boolean;
  onProgress?: (event: BuildProgress) => void;
  signal?: AbortSignal;
  /** Defaults to the shared client from docker-client.ts. */
  docker?: Dockerode;
}

export interface BuiltImage {
  id: string;
  tag: string;
}

/** How many of the build's own output lines a failure carries. */
export const BUILD_ERROR_TAIL = 15;

export class BuildError extends Error {
  constructor(
    readonly tag: string,
    readonly step: { step: number; total: number; instruction: string } | undefined,
    readonly reason: string,
    readonly lastLines: string[],
  ) {
    super(formatBuildFailure(tag, step, reason, lastLines));
    this.name = 'BuildError';
  }
}

export function formatBuildFailure(
  tag: string,
  step: { step: number; total: number; instruction: string } | undefined,
  reason: string,
  lastLines: readonly string[],
): string {
  const where = step ? ` at step ${step.step}/${step.total} (${truncate(step.instruction, 120)})` : '';
  const tail =
    lastLines.length > 0 ? `\nlast output of the build:\n${lastLines.map((line) => `  ${line}`).join('\n')}` : '';
  return `building ${tag} failed${where}: ${reason.trim()}${tail}`;
}

function truncate(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}

export async function buildImage(options: BuildImageOptions): Promise<BuiltImage> {
  const docker = options.docker ?? (await getDockerode());
  const dockerfile = options.dockerfile ?? 'Dockerfile';
  const args = options.args ?? {};
  const dockerfileText = await readFile(path.join(options.context, dockerfile), 'utf8').catch((error: unknown) => {
    throw new Error(
      `building ${options.tag}: cannot read ${path.join(options.context, dockerfile)}: ${(error as Error).message}`,
    );
  });
  await assertBaseImagesPresent(docker, options.tag, dockerfileText, args);

  const files = await listContextFiles(options.context, dockerfile);
  const tarball = Readable.from(createTar({ cwd: options.context, portable: true, noDirRecurse: true }, files));
  const stream = (await docker.buildImage(tarball, {
    t: options.tag,
    dockerfile,
    labels: options.labels ?? {},
    buildargs: args,
    ...(options.target ? { target: options.target } : {}),
    ...(options.noCache ? { nocache: true } : {}),
    rm: true,
    forcerm: true,
    ...(options.signal ? { abortSignal: options.signal } : {}),
  })) as Readable;
  return followBuild(stream, options.tag, options.onProgress, options.signal);
}

/** One JSON message of the classic builder's `/build` stream. */
interface BuildMessage {
  stream?: string;
  status?: string;
  progress?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string };
}

const STEP_LINE = /^Step (\d+)\/(\d+) : (.*)$/;

/**
 * Turns the daemon's JSON lines into progress events and remembers what an error needs:
 * the current step and the last output lines (daemon chatter such as ` ---> 1a2b` left out).
 */
export class BuildStreamReader {
  step: { step: number; total: number; instruction: string } | undefined;
  imageId: string | undefined;
  error: string | undefined;
  private readonly tail: string[] = [];
  private partial = '';

  constructor(private readonly onProgress?: (event: BuildProgress) => void) {}

  get lastLines(): string[] {
    return [...this.tail];
  }

  /** Feed raw bytes from the response; messages may span chunks. */
  push(chunk: string): void {
    const text = this.partial + chunk;
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.handleJsonLine(line);
  }

  end(): void {
    if (this.partial.trim()) this.handleJsonLine(this.partial);
    this.partial = '';
  }

  private handleJsonLine(line: string): void {
    if (!line.trim()) return;
    let message: BuildMessage;
    try {
      message = JSON.parse(line) as BuildMessage;
    } catch {
      this.output(line);
      return;
    }
    if (message.error !== undefined || message.errorDetail?.message !== undefined) {
      this.error = message.error ?? message.errorDetail?.message ?? 'unknown error';
      return;
    }
    if (message.aux?.ID) this.imageId = message.aux.ID;
    if (message.stream !== undefined) {
      // The daemon colours RUN's stderr; the learner reads these lines in plain text and JSON.
      for (const raw of stripVTControlCharacters(message.stream).split('\n')) this.streamLine(raw.replace(/\r$/, ''));
    } else if (message.status !== undefined) {
      // Pull messages (FROM an image not present) only appear when a registry answers.
      this.output([message.status, message.progress].filter(Boolean).join(' '));
    }
  }

  private streamLine(line: string): void {
    if (!line.trim()) return;
    const step = STEP_LINE.exec(line);
    if (step) {
      this.step = { step: Number(step[1]), total: Number(step[2]), instruction: step[3] ?? '' };
      this.onProgress?.({ kind: 'step', ...this.step });
      return;
    }
    const built = /^Successfully built ([0-9a-f]+)$/.exec(line);
    if (built?.[1] && !this.imageId) this.imageId = built[1];
    this.output(line);
  }

  private output(line: string): void {
    const isChatter = /^ ---> |^Removing intermediate container |^Successfully (built|tagged) /.test(line);
    if (!isChatter) {
      this.tail.push(line);
      if (this.tail.length > BUILD_ERROR_TAIL) this.tail.shift();
    }
    this.onProgress?.({ kind: 'output', line });
  }
}

async function followBuild(
  stream: Readable,
  tag: string,
  onProgress?: (event: BuildProgress) => void,
  signal?: AbortSignal,
): Promise<BuiltImage> {
  const reader = new BuildStreamReader(onProgress);
  stream.setEncoding('utf8');
  try {
    for await (const chunk of stream) reader.push(chunk as string);
  } catch (error) {
    // Aborting the request is how a build is cancelled (the daemon stops it); not a build failure.
    if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : error;
    reader.end();
    throw new BuildError(tag, reader.step, `the build stream broke: ${(error as Error).message}`, reader.lastLines);
  }
  reader.end();
  if (reader.error !== undefined) throw new BuildError(tag, reader.step, reader.error, reader.lastLines);
  if (!reader.imageId)
    throw new BuildError(tag, reader.step, 'the daemon ended the build without an image id', reader.lastLines);
  return { id: reader.imageId, tag };
}

/**
 * Images named by FROM, in order, with ARG defaults and build args substituted; stage names and
 * `scratch` left out. Unresolvable references (an ARG without a value) are skipped: the daemon
 * will say what is wrong with them.
 */
export function baseImagesOf(dockerfileText: string, args: Record<string, string> = {}): string[] {
  const logical = dockerfileText
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const globalArgs = new Map<string, string>();
  const stages = new Set<string>();
  const images: string[] = [];
  let seenFrom = false;
  for (const line of logical) {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const instruction = keyword.toUpperCase();
    if (instruction === 'ARG' && !seenFrom) {
      for (const declaration of rest) {
        const eq = declaration.indexOf('=');
        const name = eq === -1 ? declaration : declaration.slice(0, eq);
        const fallback = eq === -1 ? undefined : declaration.slice(eq + 1).replace(/^(["'])(.*)\1$/, '$2');
        const value = args[name] ?? fallback;
        if (value !== undefined) globalArgs.set(name, value);
      }
    }
    if (instruction !== 'FROM') continue;
    seenFrom = true;
    const words = rest.filter((word) => !word.startsWith('--'));
    const reference = words[0];
    if (!reference) continue;
    const resolved = reference.replace(
      /\$\{(\w+)\}|\$(\w+)/g,
      (whole, braced?: string, bare?: string) => globalArgs.get(braced ?? bare ?? '') ?? whole,
    );
    if (words[1]?.toUpperCase() === 'AS' && words[2]) stages.add(words[2].toLowerCase());
    if (resolved.includes('$') || resolved.toLowerCase() === 'scratch' || stages.has(resolved.toLowerCase())) continue;
    if (!images.includes(resolved)) images.push(resolved);
  }
  return images;
}

/**
 * The classic builder pulls a missing FROM image; behind a firewall that drops packets, that
 * pull hangs for minutes. breakfix never relies on a registry, so a missing base image is an
 * immediate error naming the command that builds it.
 */
async function assertBaseImagesPresent(
  docker: Dockerode,
  tag: string,
  dockerfileText: string,
  args: Record<string, string>,
): Promise<void> {
  for (const image of baseImagesOf(dockerfileText, args)) {
    try {
      await docker.getImage(image).inspect();
    } catch (error) {
      if (!isNotFound(error)) throw error;
      const hint = image.startsWith('breakfix/')
        ? 'run `breakfix images` to build it'
        : 'breakfix builds images without a registry; base the Dockerfile on a breakfix/* image';
      throw new Error(`building ${tag}: FROM ${image}: image not present locally (${hint})`, { cause: error });
    }
  }
}

/** The workspace state folder (engine/session/store.ts), named here: runtime/ does not import sessions. */
const STATE_FOLDER = '.breakfix';

/**
 * Paths (relative, POSIX) to send as the build context: everything not excluded by
 * `.dockerignore`. Like the docker CLI, the Dockerfile and `.dockerignore` are always sent —
 * the daemon needs them — even when `.dockerignore` lists them.
 */
export async function listContextFiles(context: string, dockerfile = 'Dockerfile'): Promise<string[]> {
  const ignoreText = await readFile(path.join(context, '.dockerignore'), 'utf8').catch(() => '');
  const patterns = ignoreText
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const ignore = createIgnore().add(patterns);
  // Without exceptions ("!pattern") nothing inside an ignored folder can come back, so the
  // walk skips it: an ignored node_modules/ is never read.
  const hasExceptions = patterns.some((pattern) => pattern.startsWith('!'));
  const always = new Set([path.posix.normalize(dockerfile.split(path.sep).join('/')), '.dockerignore']);
  const kept: string[] = [];

  async function walk(relativeDir: string): Promise<void> {
    const entries = await readdir(path.join(context, relativeDir), { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      // breakfix's own state folder (a workspace's `.breakfix/`) is never the learner's build
      // input: its files change on every command (a context hash that never matches, an image
      // rebuilt on each apply) and its temporary files vanish while the context is read.
      if (relativeDir === '' && entry.name === STATE_FOLDER) continue;
      const relative = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
      const ignored = ignore.ignores(relative) && !always.has(relative);
      if (!ignored) kept.push(relative);
      if (entry.isDirectory() && (!ignored || hasExceptions)) await walk(relative);
    }
  }
  await walk('');
  return kept;
}
