/**
 * Shared helpers of the fault and check integration tests (test/docker/faults-*, checks-*):
 * a real lab (by default the tiny fixture lab, test/fixtures/labs/tiny) deployed through the
 * engine's own path — workspace copy, loadComposePlan, buildLabImages, deployLab — under a
 * session id unique to one test file, with a real FaultContext and CheckContext.
 *
 * Cleanup is a sweep by `breakfix.session=<this file's id>` and nothing else, so tests never
 * touch another session's resources on a shared daemon. Create the harness synchronously at
 * the top of the file and call `cleanup()` in afterAll: the id exists before anything is
 * deployed, so a beforeAll that fails half-way still gets swept.
 */
import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Dockerode from 'dockerode';
import type { CheckContext } from '../../engine/checks/check.js';
import { findCheck } from '../../engine/checks/registry.js';
import { runCheck, type CheckTiming, type TimedOutcome } from '../../engine/checks/runner.js';
import { loadComposePlan } from '../../engine/compose/load-plan.js';
import type { DeployPlan } from '../../engine/compose/plan.js';
import { deployLab, type DeployedService } from '../../engine/deploy/deploy.js';
import { buildLabImages } from '../../engine/deploy/images.js';
import { containerName, networkName, sessionImageTag, type Lab } from '../../engine/deploy/lab.js';
import { teardownLab } from '../../engine/deploy/teardown.js';
import type { FaultContext } from '../../engine/faults/fault.js';
import { findFault } from '../../engine/faults/registry.js';
import { getDockerode } from '../../engine/runtime/docker-client.js';
import { DockerConnection } from '../../engine/runtime/docker-connection.js';
import { DockerRuntime } from '../../engine/runtime/docker-runtime.js';
import { connectRuntime, LABELS } from '../../engine/runtime/index.js';
import type { ExecResult, ResourceRef, Runtime } from '../../engine/runtime/runtime.js';

export const FIXTURE_LABS = path.join(import.meta.dirname, '..', 'fixtures', 'labs');
export const TINY_LAB = path.join(FIXTURE_LABS, 'tiny');

/** Values in the tiny lab's `.env` and `secrets/` that no check may ever print. */
export const TINY_SECRETS = {
  apiToken: 'tok-7f3a9c-do-not-print',
  dbPassword: 'tiny-db-password',
  baked: 'baked-secret-3b1d',
} as const;

/** Lowercase and short: it becomes `bf-<id>-<service>` container names and image repositories. */
export function newSessionId(tag: string): string {
  return `t${tag}${randomBytes(3).toString('hex')}`.toLowerCase();
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls until `probe` returns a value other than undefined, or fails with the last observation. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 15_000,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

export interface HarnessOptions {
  /** A few letters naming the test file, part of the session id. */
  tag: string;
  /** Lab source folder (labs/<lab> or a fixture); the tiny fixture lab by default. */
  labSource?: string;
  scenarioId?: string;
}

export class LabHarness {
  readonly sessionId: string;
  readonly labSource: string;
  readonly scenarioId: string;
  runtime!: DockerRuntime;
  docker!: Dockerode;
  host = '127.0.0.1';
  lab!: Lab;
  plan!: DeployPlan;
  private root: string | undefined;

  constructor(options: HarnessOptions) {
    this.sessionId = newSessionId(options.tag);
    this.labSource = options.labSource ?? TINY_LAB;
    this.scenarioId = options.scenarioId ?? `test-${options.tag}`;
  }

  get workspace(): string {
    return this.lab.workspace;
  }

  /** Copies the lab into a fresh workspace and connects to Docker; deploys nothing yet. */
  async prepare(): Promise<this> {
    this.runtime = await connectRuntime();
    this.docker = await getDockerode();
    this.host = (await this.runtime.info()).host;
    this.root = await mkdtemp(path.join(os.tmpdir(), `bf-${this.sessionId}-`));
    const workspace = path.join(this.root, 'ws');
    // Like the session's copyLab: the lab's instructor-only folders stay out of the workspace.
    await cp(this.labSource, workspace, {
      recursive: true,
      filter: (source) => path.relative(this.labSource, source) !== 'releases',
    });
    this.lab = { sessionId: this.sessionId, scenarioId: this.scenarioId, workspace };
    return this;
  }

  /** Reads the workspace compose file again (after workspace faults) and keeps only `services`. */
  async loadPlan(services?: string[]): Promise<DeployPlan> {
    const full = await loadComposePlan(this.workspace);
    this.plan = services
      ? {
          ...full,
          services: Object.fromEntries(Object.entries(full.services).filter(([name]) => services.includes(name))),
        }
      : full;
    return this.plan;
  }

  /** `breakfix apply`: build what has `build:`, then deploy (only what changed is recreated). */
  async deploy(services?: string[]): Promise<Record<string, DeployedService>> {
    const plan = await this.loadPlan(services);
    await buildLabImages(this.lab, plan, this.runtime);
    return (await deployLab({ lab: this.lab, plan, runtime: this.runtime })).services;
  }

  /** Waits until the service's container reports healthy. */
  waitForHealthy(service: string): Promise<true> {
    return waitFor(`${service} to be healthy`, async () =>
      (await this.runtime.inspectContainer(this.service(service).container))?.health === 'healthy' ? true : undefined,
    );
  }

  service(name: string): { container: string; image: string } {
    return {
      container: containerName(this.lab, name),
      image: sessionImageTag(this.lab, this.plan?.services[name]?.image ?? name),
    };
  }

  faultContext(overrides: Partial<FaultContext> = {}): FaultContext {
    return {
      lab: this.lab,
      runtime: this.runtime,
      labSource: this.labSource,
      network: networkName(this.lab),
      service: (name) => this.service(name),
      ...overrides,
    };
  }

  checkContext(overrides: Partial<Omit<CheckContext, 'signal'>> = {}): Omit<CheckContext, 'signal'> {
    const now = new Date();
    return {
      lab: this.lab,
      runtime: this.runtime,
      host: this.host,
      since: { session: now, apply: now },
      service: (name) => this.service(name),
      ...overrides,
    };
  }

  /** Applies a fault through its registry definition, params parsed by its own schema. */
  async applyFault(
    type: string,
    params: Record<string, unknown>,
    ctx: FaultContext = this.faultContext(),
  ): Promise<string> {
    const definition = findFault(type);
    if (!definition) throw new Error(`no fault type ${type}`);
    return definition.inject(ctx, definition.params.parse(params));
  }

  /** Runs a check through the runner with real timings (defaults: 5 s per attempt, no retry window). */
  async check(
    type: string,
    params: Record<string, unknown>,
    options: { timing?: Partial<CheckTiming>; ctx?: Omit<CheckContext, 'signal'>; signal?: AbortSignal } = {},
  ): Promise<TimedOutcome> {
    const definition = findCheck(type);
    if (!definition) throw new Error(`no check type ${type}`);
    const timing: CheckTiming = { timeoutMs: 5000, withinMs: 0, ...options.timing };
    return runCheck(
      definition,
      definition.params.parse(params),
      options.ctx ?? this.checkContext(),
      timing,
      options.signal,
    );
  }

  async inspect(service: string): Promise<Dockerode.ContainerInspectInfo> {
    return this.docker.getContainer(this.service(service).container).inspect();
  }

  async exec(service: string, command: string[], user?: string): Promise<ExecResult> {
    return this.runtime.exec(this.service(service).container, command, {
      timeoutMs: 15_000,
      ...(user ? { user } : {}),
    });
  }

  /** The 127.0.0.1 port a container port of a service is published on. */
  async publishedPort(service: string, containerPort: number): Promise<number> {
    const state = await this.runtime.inspectContainer(this.service(service).container);
    const port = state?.ports.find((entry) => entry.container === containerPort);
    if (!port) throw new Error(`${service} does not publish ${containerPort}`);
    return port.host;
  }

  /** Resources carrying this harness's session label, and nothing else. */
  async leftovers(): Promise<ResourceRef[]> {
    return this.runtime.listLabelled(LABELS.session, this.sessionId);
  }

  /**
   * Sweeps everything labelled with this session (twice: an image whose child image was
   * removed in the same pass may refuse the first time), then the workspace. Safe to call when
   * `prepare` never ran or failed half-way. Returns what is still there (should be nothing).
   */
  async cleanup(): Promise<ResourceRef[]> {
    let left: ResourceRef[] = [];
    if (this.runtime) {
      for (let pass = 0; pass < 3; pass += 1) {
        await teardownLab(this.runtime, this.sessionId).catch(() => undefined);
        left = await this.leftovers();
        if (left.length === 0) break;
      }
    }
    if (this.root) await rm(this.root, { recursive: true, force: true });
    return left;
  }
}

/**
 * A real DockerRuntime whose daemon does not exist: every Docker call fails the way an
 * unreachable engine does (connect ENOENT on the socket), which is what `errored` is for.
 */
export function unreachableRuntime(socketPath = '/nonexistent/breakfix-test/docker.sock'): Runtime {
  return new DockerRuntime(new DockerConnection({ socketPath }), async () => {
    throw Object.assign(new Error(`connect ENOENT ${socketPath}`), { code: 'ENOENT' });
  });
}

/** GET with its own deadline: `undefined` when no HTTP answer came (refused, reset, timed out). */
export async function httpGet(
  url: string,
  timeoutMs = 2000,
): Promise<{ status: number; body: string } | { error: string }> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { error: (error as Error).name === 'TimeoutError' ? 'timeout' : (cause?.code ?? (error as Error).message) };
  }
}
