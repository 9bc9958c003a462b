/**
 * Read a workspace compose file into a DeployPlan: parse with positions, interpolate from the
 * workspace `.env`, validate against the official Compose Specification, accept only the subset
 * breakfix can deploy (docs/compose-subset.md), and build the plan. Every problem is an issue
 * located at `file:line:col`; nothing is ignored silently and nothing throws.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Scalar } from 'yaml';
import { parseBytes } from '../util/bytes.js';
import { dotenvToRecord, parseDotenv } from '../util/dotenv.js';
import { parseComposeDuration } from './duration.js';
import { interpolate } from './interpolate.js';
import type {
  BuildPlan,
  DependsOnCondition,
  DeployPlan,
  HealthcheckPlan,
  LoggingPlan,
  PortPlan,
  RestartPolicy,
  SecretMountPlan,
  ServicePlan,
  VolumeMountPlan,
} from './plan.js';
import { splitShellWords } from './shell-words.js';
import { parseStopKeys } from './stop-keys.js';
import { specKeys, validateComposeSpec } from './spec.js';
import { closest, didYouMean } from './suggest.js';
import { formatPath, parseYamlSource, type PathSegment, type Position, type YamlSource } from './yaml-source.js';

export interface ComposeIssue {
  /** Absolute path of the file the issue is in. */
  file: string;
  line: number;
  col: number;
  /** Starts with the dotted path of the offending node, e.g. `services.api.ports[0]: …`. */
  message: string;
  /** Dotted path of the offending node (`''` for the whole file). */
  path: string;
}

export interface LoadComposeOptions {
  /** Compose file, relative to the workspace. */
  file?: string;
  /** Overrides the top-level `name` and the workspace folder name. */
  projectName?: string;
}

export type LoadComposeResult =
  | { ok: true; plan: DeployPlan; project: string; file: string; warnings: ComposeIssue[] }
  | { ok: false; errors: ComposeIssue[]; warnings: ComposeIssue[] };

export function formatComposeIssue(issue: ComposeIssue): string {
  return `${issue.file}:${issue.line}:${issue.col}: ${issue.message}`;
}

/** The keys breakfix deploys, per place in the file. Everything else the spec allows is refused. */
export const SUPPORTED_KEYS = {
  top: ['name', 'services', 'volumes', 'secrets'],
  service: [
    'image',
    'build',
    'environment',
    'env_file',
    'ports',
    'secrets',
    'volumes',
    'healthcheck',
    'depends_on',
    'command',
    'entrypoint',
    'user',
    'restart',
    'mem_limit',
    'labels',
    'logging',
    'stop_signal',
    'stop_grace_period',
    'init',
  ],
  build: ['context', 'dockerfile', 'args', 'target'],
  healthcheck: ['test', 'interval', 'timeout', 'retries', 'start_period', 'disable'],
  logging: ['driver', 'options'],
  port: ['target', 'published', 'host_ip', 'protocol'],
  secret: ['file'],
  serviceSecret: ['source', 'target'],
  volume: [] as string[],
  serviceVolume: ['type', 'source', 'target', 'read_only'],
  dependsOn: ['condition'],
  envFile: ['path', 'required'],
} as const satisfies Record<string, readonly string[]>;

type Place = keyof typeof SUPPORTED_KEYS;

const ALL_SUPPORTED = new Set<string>(Object.values(SUPPORTED_KEYS).flat());

const NO_PRIVILEGES = 'lab containers never get extra privileges or host namespaces';
/** Why a key is refused, when there is more to say than "not supported". */
const REASONS: Partial<Record<Place, Record<string, string>>> = {
  top: {
    networks: 'every service of a lab joins one private network that breakfix creates',
    configs: 'use a secret (file) or a file built into the image',
    include: 'keep the whole lab in one compose file',
    models: 'labs run no AI models',
  },
  service: {
    networks:
      'every service of a lab joins one private network that breakfix creates; services reach each other by service name',
    container_name: 'breakfix names containers bf-<session>-<service> so that labs never clash',
    deploy: 'breakfix runs one container per service; use mem_limit for a memory limit',
    scale: 'breakfix runs one container per service',
    extends: 'keep each service complete in the one compose file',
    configs: 'use a secret (file) or a file built into the image',
    privileged: NO_PRIVILEGES,
    cap_add: NO_PRIVILEGES,
    devices: NO_PRIVILEGES,
    network_mode: NO_PRIVILEGES,
    pid: NO_PRIVILEGES,
    ipc: NO_PRIVILEGES,
    userns_mode: NO_PRIVILEGES,
    use_api_socket: 'lab containers never get the Docker socket',
    expose: 'services of a lab reach each other on every port already; use ports to publish one on 127.0.0.1',
  },
  secret: {
    environment: 'only file secrets are supported',
    external: 'every lab resource is created by breakfix',
    name: 'breakfix names secrets itself',
  },
  volume: {
    driver: 'named volumes use the default local driver',
    driver_opts: 'named volumes use the default local driver',
    external: 'every lab resource is created by breakfix',
    name: 'breakfix names volumes bf-<session>-<volume> so that labs never clash',
  },
  healthcheck: { start_interval: 'the probe runs every `interval`' },
};

const BIND_MOUNT_REASON =
  "bind mounts are not supported: a lab must also work against a remote Docker engine (DOCKER_HOST), which cannot see this machine's files; use a named volume, or COPY the files into the image";

type Dict = Record<string, unknown>;
const isDict = (value: unknown): value is Dict => value !== null && typeof value === 'object' && !Array.isArray(value);

function inside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

function kind(file: string): 'file' | 'dir' | undefined {
  try {
    const info = statSync(file);
    return info.isDirectory() ? 'dir' : info.isFile() ? 'file' : undefined;
  } catch {
    return undefined;
  }
}

/** Compose's project-name normalisation: lowercase, only [a-z0-9_-], starting with a letter or digit. */
export function normaliseProjectName(name: string): string {
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[^a-z0-9]+/, '');
  return cleaned || 'lab';
}

class Collector {
  readonly errors: ComposeIssue[] = [];
  readonly warnings: ComposeIssue[] = [];
  constructor(
    readonly file: string,
    readonly source: YamlSource,
  ) {}

  private issue(at: Position, path: readonly PathSegment[], message: string): ComposeIssue {
    const dotted = formatPath(path);
    return {
      file: this.file,
      line: at.line,
      col: at.col,
      message: dotted ? `${dotted}: ${message}` : message,
      path: dotted,
    };
  }

  error(path: readonly PathSegment[], message: string, part: 'key' | 'value' = 'value'): void {
    this.errors.push(this.issue(this.source.locate(path, part), path, message));
  }

  errorAt(at: Position, path: readonly PathSegment[], message: string): void {
    this.errors.push(this.issue(at, path, message));
  }

  warn(path: readonly PathSegment[], message: string, part: 'key' | 'value' = 'value'): void {
    this.warnings.push(this.issue(this.source.locate(path, part), path, message));
  }

  warnAt(at: Position, path: readonly PathSegment[], message: string): void {
    this.warnings.push(this.issue(at, path, message));
  }

  /** Errors in file order. */
  sorted(): ComposeIssue[] {
    return [...this.errors].sort((a, b) => a.line - b.line || a.col - b.col);
  }
}

function fileIssue(file: string, message: string): ComposeIssue {
  return { file, line: 1, col: 1, message, path: '' };
}

export function loadCompose(workspaceDir: string, options: LoadComposeOptions = {}): LoadComposeResult {
  const workspace = path.resolve(workspaceDir);
  const relative = options.file ?? 'compose.yaml';
  const file = path.resolve(workspace, relative);
  if (!inside(workspace, file))
    return { ok: false, errors: [fileIssue(file, `${relative} is outside the workspace`)], warnings: [] };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {
      ok: false,
      errors: [fileIssue(file, `cannot read ${relative}: no such file in ${workspace}`)],
      warnings: [],
    };
  }
  const projectDir = path.dirname(file);
  let dotenv: Record<string, string> = {};
  try {
    if (kind(path.join(projectDir, '.env')) === 'file')
      dotenv = dotenvToRecord(readFileSync(path.join(projectDir, '.env'), 'utf8'));
  } catch {
    dotenv = {};
  }

  // Interpolation happens while the YAML becomes JS; its problems are kept with their scalar.
  const interpolationProblems: Array<{ node: Scalar; path: PathSegment[]; errors: string[]; warnings: string[] }> = [];
  const source = parseYamlSource(text, (value, node, at) => {
    if (typeof value !== 'string' || !value.includes('$')) return value;
    const result = interpolate(value, dotenv);
    if (result.errors.length > 0 || result.warnings.length > 0)
      interpolationProblems.push({ node, path: at, errors: result.errors, warnings: result.warnings });
    return result.value;
  });
  const out = new Collector(file, source);
  for (const problem of source.problems) out.errorAt(problem, problem.path, problem.message);
  if (out.errors.length > 0) return { ok: false, errors: out.sorted(), warnings: out.warnings };

  for (const problem of interpolationProblems) {
    const at = source.lineCounter.linePos(problem.node.range?.[0] ?? 0);
    for (const message of problem.errors) out.errorAt(at, problem.path, message);
    for (const message of problem.warnings) out.warnAt(at, problem.path, message);
  }

  const data = source.value;
  if (!isDict(data)) {
    out.errorAt(
      { line: 1, col: 1 },
      [],
      data === null
        ? `${relative} is empty: it needs a \`services\` mapping`
        : `${relative} must be a mapping with a \`services\` key`,
    );
    return { ok: false, errors: out.sorted(), warnings: out.warnings };
  }

  for (const problem of validateComposeSpec(data)) {
    let message = problem.message;
    if (problem.unknownKey && !problem.unknownKey.namePattern) {
      const { key, allowed } = problem.unknownKey;
      const supported = allowed.filter((candidate) => ALL_SUPPORTED.has(candidate));
      const guess = closest(key, supported) ?? closest(key, allowed);
      if (guess)
        message += `; did you mean \`${guess}\`?${ALL_SUPPORTED.has(guess) ? '' : ' (not supported by breakfix either)'}`;
    }
    out.error(problem.path, message, problem.part);
  }
  checkSubset(data, out);
  if (out.errors.length > 0) return { ok: false, errors: out.sorted(), warnings: out.warnings };

  const project = normaliseProjectName(
    options.projectName ?? (typeof data.name === 'string' && data.name !== '' ? data.name : path.basename(workspace)),
  );
  const plan = buildPlan(data, { workspace, projectDir, project, dotenv, out });
  if (out.errors.length > 0 || !plan) return { ok: false, errors: out.sorted(), warnings: out.warnings };
  return { ok: true, plan, project, file, warnings: out.warnings };
}

// ---------------------------------------------------------------------------------------------
// The subset: keys the spec allows but breakfix does not deploy.

function checkKeys(value: unknown, at: PathSegment[], place: Place, out: Collector): void {
  if (!isDict(value)) return;
  const supported: readonly string[] = SUPPORTED_KEYS[place];
  const known = new Set(specKeys(place));
  for (const key of Object.keys(value)) {
    if (key.startsWith('x-') || supported.includes(key)) continue;
    // Keys the spec does not know were reported by the schema validation already.
    if (!known.has(key)) continue;
    if (place === 'top' && key === 'version') {
      out.warn([key], '`version` is obsolete and ignored', 'key');
      continue;
    }
    const reason = REASONS[place]?.[key];
    const list = supported.length > 0 ? ` (supported keys: ${supported.join(', ')})` : ' (no keys are supported here)';
    out.error(
      [...at, key],
      `not supported by breakfix${list}${reason ? `; ${reason}` : ''}${didYouMean(key, supported)}`,
      'key',
    );
  }
}

function checkSubset(data: Dict, out: Collector): void {
  checkKeys(data, [], 'top', out);
  if (isDict(data.secrets))
    for (const [name, secret] of Object.entries(data.secrets)) checkKeys(secret, ['secrets', name], 'secret', out);
  if (isDict(data.volumes))
    for (const [name, volume] of Object.entries(data.volumes)) checkKeys(volume, ['volumes', name], 'volume', out);
  if (!isDict(data.services)) return;
  for (const [name, service] of Object.entries(data.services)) {
    if (!isDict(service)) continue;
    const at: PathSegment[] = ['services', name];
    checkKeys(service, at, 'service', out);
    checkKeys(service.build, [...at, 'build'], 'build', out);
    checkKeys(service.healthcheck, [...at, 'healthcheck'], 'healthcheck', out);
    checkKeys(service.logging, [...at, 'logging'], 'logging', out);
    const eachItem = (list: unknown, key: string, place: Place) => {
      if (Array.isArray(list)) list.forEach((item, index) => checkKeys(item, [...at, key, index], place, out));
    };
    eachItem(service.ports, 'ports', 'port');
    eachItem(service.secrets, 'secrets', 'serviceSecret');
    eachItem(service.volumes, 'volumes', 'serviceVolume');
    eachItem(service.env_file, 'env_file', 'envFile');
    if (isDict(service.depends_on))
      for (const [dependency, entry] of Object.entries(service.depends_on))
        checkKeys(entry, [...at, 'depends_on', dependency], 'dependsOn', out);
  }
}

// ---------------------------------------------------------------------------------------------
// The plan.

interface BuildContext {
  workspace: string;
  projectDir: string;
  project: string;
  dotenv: Record<string, string>;
  out: Collector;
}

const PORT = (text: string) =>
  /^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= 65535 ? Number(text) : undefined;

function scalarString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** `environment`, `labels`, `build.args`: a map or a list of `KEY=value`. */
function listOrDict(
  value: unknown,
  at: PathSegment[],
  ctx: BuildContext,
  missing: 'resolve' | 'empty',
): Record<string, string> {
  const result: Record<string, string> = {};
  const unset = (key: string): string | undefined =>
    missing === 'empty' ? '' : Object.hasOwn(ctx.dotenv, key) ? ctx.dotenv[key] : undefined;
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      const text = String(item);
      const equals = text.indexOf('=');
      const key = equals < 0 ? text : text.slice(0, equals);
      if (key.trim() === '') {
        ctx.out.error([...at, index], `expected KEY=value, got ${JSON.stringify(text)}`);
        return;
      }
      const resolved = equals < 0 ? unset(key) : text.slice(equals + 1);
      if (resolved !== undefined) result[key] = resolved;
    });
  } else if (isDict(value)) {
    for (const [key, raw] of Object.entries(value)) {
      const resolved = raw === null || raw === undefined ? unset(key) : scalarString(raw);
      if (resolved !== undefined) result[key] = resolved;
    }
  }
  return result;
}

function resolvePath(
  ctx: BuildContext,
  text: string,
  at: PathSegment[],
  what: string,
  expect: 'file' | 'dir',
): string | undefined {
  const absolute = path.resolve(ctx.projectDir, text);
  if (!inside(ctx.workspace, absolute)) {
    ctx.out.error(at, `${what} ${JSON.stringify(text)} is outside the workspace; keep every file of the lab inside it`);
    return undefined;
  }
  const found = kind(absolute);
  if (found !== expect) {
    ctx.out.error(
      at,
      `${what} ${JSON.stringify(text)} ${found ? `is not a ${expect === 'dir' ? 'folder' : 'file'}` : 'does not exist in the workspace'}`,
    );
    return undefined;
  }
  return absolute;
}

function buildSection(raw: unknown, at: PathSegment[], ctx: BuildContext): BuildPlan | undefined {
  const spec: Dict = typeof raw === 'string' ? { context: raw } : isDict(raw) ? raw : {};
  const contextAt = typeof raw === 'string' || spec.context === undefined ? at : [...at, 'context'];
  const contextText = typeof spec.context === 'string' ? spec.context : '.';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(contextText) || contextText.startsWith('git@')) {
    ctx.out.error(
      contextAt,
      `remote build context ${JSON.stringify(contextText)} is not supported: a lab builds from files in the workspace`,
    );
    return undefined;
  }
  const context = resolvePath(ctx, contextText, contextAt, 'build context', 'dir');
  const dockerfile = typeof spec.dockerfile === 'string' ? spec.dockerfile : 'Dockerfile';
  if (context) {
    const dockerfilePath = path.resolve(context, dockerfile);
    const dockerfileAt = spec.dockerfile === undefined ? contextAt : [...at, 'dockerfile'];
    if (!inside(ctx.workspace, dockerfilePath))
      ctx.out.error(dockerfileAt, `dockerfile ${JSON.stringify(dockerfile)} is outside the workspace`);
    else if (kind(dockerfilePath) !== 'file')
      ctx.out.error(
        dockerfileAt,
        `dockerfile ${JSON.stringify(dockerfile)} does not exist in the build context ${JSON.stringify(contextText)}`,
      );
  }
  if (!context) return undefined;
  const plan: BuildPlan = { context, dockerfile, args: listOrDict(spec.args, [...at, 'args'], ctx, 'resolve') };
  if (typeof spec.target === 'string') plan.target = spec.target;
  return plan;
}

function parsePort(raw: unknown, at: PathSegment[], ctx: BuildContext): PortPlan | undefined {
  const loopbackOnly = (ip: string, where: PathSegment[]) => {
    if (ip === '' || ip === '127.0.0.1' || ip === 'localhost') return true;
    ctx.out.error(
      where,
      `host IP ${ip} is not allowed: breakfix publishes ports on 127.0.0.1 only, so a lab is never reachable from the network (write "127.0.0.1:HOST:CONTAINER" or "HOST:CONTAINER")`,
    );
    return false;
  };
  const protocolOf = (text: string, where: PathSegment[]): 'tcp' | 'udp' | undefined => {
    const protocol = text.toLowerCase();
    if (protocol === 'tcp' || protocol === 'udp') return protocol;
    ctx.out.error(where, `protocol ${JSON.stringify(text)} is not supported (tcp or udp)`);
    return undefined;
  };
  if (typeof raw === 'number') {
    const container = PORT(String(raw));
    if (container === undefined) ctx.out.error(at, `expected a port number between 1 and 65535, got ${raw}`);
    return container === undefined ? undefined : { container, protocol: 'tcp' };
  }
  if (typeof raw === 'string') {
    const [spec = '', protocolText, ...extra] = raw.split('/');
    if (extra.length > 0) {
      ctx.out.error(at, `expected [HOST_IP:][HOST:]CONTAINER[/PROTOCOL], got ${JSON.stringify(raw)}`);
      return undefined;
    }
    const protocol = protocolText === undefined ? 'tcp' : protocolOf(protocolText, at);
    if (!protocol) return undefined;
    let ip = '';
    let rest = spec;
    const bracketed = /^\[([^\]]*)\]:(.*)$/.exec(spec);
    if (bracketed) {
      ip = bracketed[1] ?? '';
      rest = bracketed[2] ?? '';
    }
    const parts = rest.split(':');
    if (!bracketed && parts.length === 3) ip = parts.shift() ?? '';
    if (parts.length > 2 || (bracketed && parts.length !== 2)) {
      ctx.out.error(at, `expected [HOST_IP:][HOST:]CONTAINER[/PROTOCOL], got ${JSON.stringify(raw)}`);
      return undefined;
    }
    if (!loopbackOnly(ip, at)) return undefined;
    const containerText = parts.at(-1) ?? '';
    const hostText = parts.length === 2 ? (parts[0] ?? '') : '';
    if (containerText.includes('-') || hostText.includes('-')) {
      ctx.out.error(at, `port ranges are not supported: publish one port per entry, got ${JSON.stringify(raw)}`);
      return undefined;
    }
    const container = PORT(containerText);
    const host = hostText === '' ? undefined : PORT(hostText);
    if (container === undefined || (hostText !== '' && host === undefined)) {
      ctx.out.error(at, `expected port numbers between 1 and 65535, got ${JSON.stringify(raw)}`);
      return undefined;
    }
    return { container, ...(host !== undefined ? { host } : {}), protocol };
  }
  if (isDict(raw)) {
    if (raw.target === undefined) {
      ctx.out.error(at, 'missing required key `target` (the container port)', 'key');
      return undefined;
    }
    const container = PORT(String(raw.target));
    if (container === undefined) {
      ctx.out.error([...at, 'target'], `expected a port number between 1 and 65535, got ${JSON.stringify(raw.target)}`);
      return undefined;
    }
    if (typeof raw.host_ip === 'string' && !loopbackOnly(raw.host_ip, [...at, 'host_ip'])) return undefined;
    const protocol = typeof raw.protocol === 'string' ? protocolOf(raw.protocol, [...at, 'protocol']) : 'tcp';
    if (!protocol) return undefined;
    const publishedText = raw.published === undefined || raw.published === null ? '' : String(raw.published);
    if (publishedText.includes('-')) {
      ctx.out.error([...at, 'published'], `port ranges are not supported, got ${JSON.stringify(publishedText)}`);
      return undefined;
    }
    const host = publishedText === '' ? undefined : PORT(publishedText);
    if (publishedText !== '' && host === undefined) {
      ctx.out.error(
        [...at, 'published'],
        `expected a port number between 1 and 65535, got ${JSON.stringify(raw.published)}`,
      );
      return undefined;
    }
    return { container, ...(host !== undefined ? { host } : {}), protocol };
  }
  return undefined;
}

function parseVolumeMount(
  raw: unknown,
  at: PathSegment[],
  declared: string[],
  ctx: BuildContext,
): VolumeMountPlan | undefined {
  let volume: string;
  let target: string;
  let readOnly = false;
  let sourceAt = at;
  if (typeof raw === 'string') {
    const parts = raw.split(':');
    if (parts.length === 1) {
      ctx.out.error(
        at,
        `anonymous volume ${JSON.stringify(raw)} is not supported: name it (e.g. "data:${raw}") and declare it under the top-level volumes`,
      );
      return undefined;
    }
    if (parts.length > 3) {
      ctx.out.error(at, `expected VOLUME:CONTAINER_PATH[:ro], got ${JSON.stringify(raw)}`);
      return undefined;
    }
    volume = parts[0] ?? '';
    target = parts[1] ?? '';
    const mode = parts[2];
    if (mode !== undefined) {
      if (mode !== 'ro' && mode !== 'rw') {
        ctx.out.error(at, `mount mode ${JSON.stringify(mode)} is not supported (ro or rw)`);
        return undefined;
      }
      readOnly = mode === 'ro';
    }
  } else if (isDict(raw)) {
    if (raw.type === 'bind') {
      ctx.out.error([...at, 'type'], BIND_MOUNT_REASON);
      return undefined;
    }
    if (raw.type !== 'volume') {
      ctx.out.error(
        [...at, 'type'],
        `mount type ${JSON.stringify(raw.type)} is not supported (only named volumes: type: volume)`,
      );
      return undefined;
    }
    if (typeof raw.source !== 'string' || raw.source === '') {
      ctx.out.error(at, 'missing required key `source` (the named volume)', 'key');
      return undefined;
    }
    if (typeof raw.target !== 'string') {
      ctx.out.error(at, 'missing required key `target` (the path in the container)', 'key');
      return undefined;
    }
    volume = raw.source;
    target = raw.target;
    sourceAt = [...at, 'source'];
    readOnly = raw.read_only === true || raw.read_only === 'true';
  } else return undefined;
  if (
    volume.startsWith('/') ||
    volume.startsWith('.') ||
    volume.startsWith('~') ||
    volume.includes('/') ||
    /^[A-Za-z]:\\/.test(volume)
  ) {
    ctx.out.error(sourceAt, BIND_MOUNT_REASON);
    return undefined;
  }
  if (!declared.includes(volume)) {
    ctx.out.error(
      sourceAt,
      `volume \`${volume}\` is not declared under the top-level volumes${didYouMean(volume, declared)}`,
    );
    return undefined;
  }
  if (!target.startsWith('/')) {
    ctx.out.error(at, `the mount target must be an absolute path in the container, got ${JSON.stringify(target)}`);
    return undefined;
  }
  return { volume, target, readOnly };
}

function parseHealthcheck(raw: Dict, at: PathSegment[], ctx: BuildContext): HealthcheckPlan | null | undefined {
  if (raw.disable === true || raw.disable === 'true') return null;
  let test: string[];
  if (typeof raw.test === 'string') test = ['CMD-SHELL', raw.test];
  else if (Array.isArray(raw.test)) {
    test = raw.test.map(String);
    const first = test[0];
    if (first === 'NONE') return null;
    if ((first !== 'CMD' && first !== 'CMD-SHELL') || test.length < 2) {
      ctx.out.error(
        [...at, 'test'],
        'a test list starts with CMD (then the command and its arguments) or CMD-SHELL (then one shell command), or is NONE',
      );
      return undefined;
    }
  } else {
    ctx.out.error(
      at,
      "missing required key `test`: breakfix does not merge settings into the image's own HEALTHCHECK",
      'key',
    );
    return undefined;
  }
  const duration = (key: string, fallback: number): number => {
    const value = raw[key];
    if (value === undefined) return fallback;
    const ms = typeof value === 'string' ? parseComposeDuration(value) : undefined;
    if (ms === undefined) {
      ctx.out.error([...at, key], `expected a duration like "10s", "1m30s" or "500ms", got ${JSON.stringify(value)}`);
      return fallback;
    }
    return ms;
  };
  let retries = 3;
  if (raw.retries !== undefined) {
    const text = String(raw.retries);
    if (/^\d+$/.test(text)) retries = Number(text);
    else ctx.out.error([...at, 'retries'], `expected a whole number of retries, got ${JSON.stringify(raw.retries)}`);
  }
  return {
    test,
    intervalMs: duration('interval', 30_000),
    timeoutMs: duration('timeout', 30_000),
    retries,
    startPeriodMs: duration('start_period', 0),
  };
}

function parseCommand(raw: unknown, at: PathSegment[], ctx: BuildContext): string[] | undefined {
  if (raw === null || raw === undefined) return undefined;
  if (Array.isArray(raw)) return raw.map(String);
  if (typeof raw !== 'string') return undefined;
  const split = splitShellWords(raw);
  if ('error' in split) {
    ctx.out.error(at, `cannot split ${JSON.stringify(raw)} into words: ${split.error}`);
    return undefined;
  }
  return split.words;
}

const RESTART_POLICIES = ['no', 'always', 'on-failure', 'unless-stopped'] as const;

function buildService(name: string, raw: Dict, data: Dict, ctx: BuildContext): ServicePlan | undefined {
  const at: PathSegment[] = ['services', name];
  const errorsBefore = ctx.out.errors.length;
  const declaredVolumes = isDict(data.volumes) ? Object.keys(data.volumes) : [];
  const declaredSecrets = isDict(data.secrets) ? data.secrets : {};

  if (raw.image === undefined && raw.build === undefined) ctx.out.error(at, 'needs `image` or `build`', 'key');
  const build = raw.build === undefined ? undefined : buildSection(raw.build, [...at, 'build'], ctx);
  const image = typeof raw.image === 'string' ? raw.image : `${ctx.project}-${name.toLowerCase()}`;

  const environment: Record<string, string> = {};
  if (raw.env_file !== undefined) {
    const entries = Array.isArray(raw.env_file) ? raw.env_file : [raw.env_file];
    entries.forEach((entry, index) => {
      const entryAt = Array.isArray(raw.env_file) ? [...at, 'env_file', index] : [...at, 'env_file'];
      const spec =
        typeof entry === 'string'
          ? { path: entry, required: true }
          : isDict(entry)
            ? { path: String(entry.path), required: entry.required !== false && entry.required !== 'false' }
            : undefined;
      if (!spec) return;
      const absolute = path.resolve(ctx.projectDir, spec.path);
      const pathAt = isDict(entry) ? [...entryAt, 'path'] : entryAt;
      if (!inside(ctx.workspace, absolute)) {
        ctx.out.error(pathAt, `env file ${JSON.stringify(spec.path)} is outside the workspace`);
        return;
      }
      if (kind(absolute) !== 'file') {
        if (spec.required)
          ctx.out.error(pathAt, `env file ${JSON.stringify(spec.path)} does not exist in the workspace`);
        return;
      }
      try {
        for (const variable of parseDotenv(readFileSync(absolute, 'utf8'))) environment[variable.key] = variable.value;
      } catch {
        ctx.out.error(pathAt, `cannot read env file ${JSON.stringify(spec.path)}`);
      }
    });
  }
  Object.assign(environment, listOrDict(raw.environment, [...at, 'environment'], ctx, 'resolve'));

  const ports: PortPlan[] = [];
  if (Array.isArray(raw.ports)) {
    raw.ports.forEach((entry, index) => {
      const port = parsePort(entry, [...at, 'ports', index], ctx);
      if (port) ports.push(port);
    });
  }

  const secrets: SecretMountPlan[] = [];
  if (Array.isArray(raw.secrets)) {
    raw.secrets.forEach((entry, index) => {
      const entryAt: PathSegment[] = [...at, 'secrets', index];
      const secretName =
        typeof entry === 'string'
          ? entry
          : isDict(entry) && typeof entry.source === 'string'
            ? entry.source
            : undefined;
      if (secretName === undefined) {
        ctx.out.error(entryAt, 'missing required key `source` (a secret of the top-level secrets)', 'key');
        return;
      }
      const nameAt = typeof entry === 'string' ? entryAt : [...entryAt, 'source'];
      const definition = declaredSecrets[secretName];
      if (!isDict(definition)) {
        ctx.out.error(
          nameAt,
          `secret \`${secretName}\` is not declared under the top-level secrets${didYouMean(secretName, Object.keys(declaredSecrets))}`,
        );
        return;
      }
      if (typeof definition.file !== 'string') return; // reported with the top-level secret
      const targetText =
        isDict(entry) && typeof entry.target === 'string' && entry.target !== '' ? entry.target : secretName;
      const target = targetText.startsWith('/') ? targetText : `/run/secrets/${targetText}`;
      secrets.push({ name: secretName, file: path.resolve(ctx.projectDir, definition.file), target });
    });
  }

  const volumes: VolumeMountPlan[] = [];
  if (Array.isArray(raw.volumes)) {
    raw.volumes.forEach((entry, index) => {
      const mount = parseVolumeMount(entry, [...at, 'volumes', index], declaredVolumes, ctx);
      if (mount) volumes.push(mount);
    });
  }

  const services = isDict(data.services) ? Object.keys(data.services) : [];
  const dependsOn: ServicePlan['dependsOn'] = [];
  const addDependency = (
    dependency: string,
    condition: DependsOnCondition,
    where: PathSegment[],
    part: 'key' | 'value',
  ) => {
    if (dependency === name) ctx.out.error(where, `${name} cannot depend on itself`, part);
    else if (!services.includes(dependency))
      ctx.out.error(where, `depends on unknown service \`${dependency}\`${didYouMean(dependency, services)}`, part);
    else dependsOn.push({ service: dependency, condition });
  };
  if (Array.isArray(raw.depends_on))
    raw.depends_on.forEach((dependency, index) =>
      addDependency(String(dependency), 'service_started', [...at, 'depends_on', index], 'value'),
    );
  else if (isDict(raw.depends_on)) {
    for (const [dependency, entry] of Object.entries(raw.depends_on)) {
      const condition = (
        isDict(entry) && typeof entry.condition === 'string' ? entry.condition : 'service_started'
      ) as DependsOnCondition;
      addDependency(dependency, condition, [...at, 'depends_on', dependency], 'key');
    }
  }

  let restart: RestartPolicy = 'no';
  let restartMaxRetries: number | undefined;
  if (typeof raw.restart === 'string') {
    const onFailure = /^on-failure:(\d+)$/.exec(raw.restart);
    if (onFailure) {
      restart = 'on-failure';
      restartMaxRetries = Number(onFailure[1]);
    } else if ((RESTART_POLICIES as readonly string[]).includes(raw.restart)) restart = raw.restart as RestartPolicy;
    else
      ctx.out.error(
        [...at, 'restart'],
        `expected one of no, always, on-failure[:N], unless-stopped, got ${JSON.stringify(raw.restart)}${didYouMean(raw.restart, RESTART_POLICIES)}`,
      );
  }

  let memLimitBytes: number | undefined;
  if (raw.mem_limit !== undefined) {
    memLimitBytes =
      typeof raw.mem_limit === 'string' || typeof raw.mem_limit === 'number' ? parseBytes(raw.mem_limit) : undefined;
    if (memLimitBytes === undefined)
      ctx.out.error([...at, 'mem_limit'], `expected a size like "256m" or "1g", got ${JSON.stringify(raw.mem_limit)}`);
  }

  let logging: LoggingPlan | undefined;
  if (isDict(raw.logging)) {
    const options: Record<string, string> = {};
    if (isDict(raw.logging.options)) {
      for (const [key, value] of Object.entries(raw.logging.options)) {
        const text = scalarString(value);
        if (text !== undefined) options[key] = text;
      }
    }
    logging = { driver: typeof raw.logging.driver === 'string' ? raw.logging.driver : 'json-file', options };
  }

  const healthcheck = isDict(raw.healthcheck)
    ? parseHealthcheck(raw.healthcheck, [...at, 'healthcheck'], ctx)
    : undefined;
  const command = parseCommand(raw.command, [...at, 'command'], ctx);
  const entrypoint = parseCommand(raw.entrypoint, [...at, 'entrypoint'], ctx);
  const stop = parseStopKeys(raw, at, ctx.out);

  if (ctx.out.errors.length > errorsBefore) return undefined;
  const plan: ServicePlan = {
    name,
    image,
    environment,
    ports,
    secrets,
    volumes,
    dependsOn,
    restart,
    labels: listOrDict(raw.labels, [...at, 'labels'], ctx, 'empty'),
  };
  if (build) plan.build = build;
  if (command) plan.command = command;
  if (entrypoint) plan.entrypoint = entrypoint;
  if (healthcheck !== undefined) plan.healthcheck = healthcheck;
  if (typeof raw.user === 'string') plan.user = raw.user;
  if (restartMaxRetries !== undefined) plan.restartMaxRetries = restartMaxRetries;
  if (memLimitBytes !== undefined) plan.memLimitBytes = memLimitBytes;
  if (logging) plan.logging = logging;
  Object.assign(plan, stop);
  return plan;
}

function buildPlan(data: Dict, ctx: BuildContext): DeployPlan | undefined {
  if (!isDict(data.services) || Object.keys(data.services).length === 0) {
    ctx.out.error(
      data.services === undefined ? [] : ['services'],
      'a lab needs at least one service under `services`',
      data.services === undefined ? 'value' : 'key',
    );
    return undefined;
  }
  if (isDict(data.secrets)) {
    for (const [name, secret] of Object.entries(data.secrets)) {
      if (!isDict(secret) || typeof secret.file !== 'string') {
        if (isDict(secret) && secret.environment === undefined && secret.external === undefined)
          ctx.out.error(['secrets', name], 'missing required key `file`: breakfix supports file secrets only', 'key');
        continue;
      }
      resolvePath(ctx, secret.file, ['secrets', name, 'file'], 'secret file', 'file');
    }
  }
  const services: Record<string, ServicePlan> = {};
  for (const [name, raw] of Object.entries(data.services)) {
    if (!isDict(raw)) continue;
    const service = buildService(name, raw, data, ctx);
    if (service) services[name] = service;
  }
  if (ctx.out.errors.length > 0) return undefined;
  const plan: DeployPlan = { services, volumes: isDict(data.volumes) ? Object.keys(data.volumes) : [] };
  for (const cycle of findCycles(plan)) {
    const [first, second] = cycle;
    if (first === undefined || second === undefined) continue;
    const raw = (data.services as Dict)[first] as Dict;
    const where: PathSegment[] = Array.isArray(raw.depends_on)
      ? ['services', first, 'depends_on', raw.depends_on.map(String).indexOf(second)]
      : ['services', first, 'depends_on', second];
    ctx.out.error(where, `dependency cycle: ${cycle.join(' → ')}`, Array.isArray(raw.depends_on) ? 'value' : 'key');
  }
  return ctx.out.errors.length > 0 ? undefined : plan;
}

/** Each cycle once, as a list of services that starts and ends with the same one. */
function findCycles(plan: DeployPlan): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string) => {
    state.set(name, 'active');
    stack.push(name);
    for (const { service } of plan.services[name]?.dependsOn ?? []) {
      if (state.get(service) === 'active') cycles.push([...stack.slice(stack.indexOf(service)), service]);
      else if (!state.has(service)) visit(service);
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of Object.keys(plan.services)) if (!state.has(name)) visit(name);
  return cycles;
}

/** Services in the order to start them: dependencies first, otherwise as declared. */
export function deployOrder(plan: DeployPlan): string[] {
  const names = Object.keys(plan.services);
  const done = new Set<string>();
  const order: string[] = [];
  while (order.length < names.length) {
    const next = names.find(
      (name) =>
        !done.has(name) &&
        (plan.services[name]?.dependsOn ?? []).every(
          (dependency) => done.has(dependency.service) || !(dependency.service in plan.services),
        ),
    );
    if (next === undefined)
      throw new Error(`dependency cycle among ${names.filter((name) => !done.has(name)).join(', ')}`);
    done.add(next);
    order.push(next);
  }
  return order;
}
