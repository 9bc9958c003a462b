/**
 * Running breakfix's fault helper (labs/images/fault-helper) for a runtime fault: beside the
 * target container, labelled with the session so teardown and `gc` sweep whatever a crash left,
 * with only the capability the fault needs. Lab containers themselves never get capabilities.
 */
import { createHash, randomBytes } from 'node:crypto';
import { containerName, labLabels } from '../deploy/lab.js';
import { imageSpec } from '../images/catalogue.js';
import { LABELS } from '../runtime/labels.js';
import type { ExecResult, HelperSpec } from '../runtime/runtime.js';
import { FaultError, type FaultContext } from './fault.js';

export const FAULT_HELPER_IMAGE = imageSpec('fault-helper').tag;

/** A short, stable id for one fault's parameters: names its iptables chains and helper. */
export function faultKey(type: string, params: unknown): string {
  return createHash('sha256')
    .update(`${type}\n${JSON.stringify(params)}`)
    .digest('hex')
    .slice(0, 8);
}

/** The running container a fault acts on; a stopped one has no network namespace to join. */
export async function runningTarget(ctx: FaultContext, service: string, why: string): Promise<string> {
  const { container } = ctx.service(service);
  const state = await ctx.runtime.inspectContainer(container);
  if (!state) throw new FaultError(`no such container: ${container} (service ${service} is not deployed)`);
  if (state.status !== 'running') throw new FaultError(`${service} is ${state.status}, not running: ${why}`);
  return container;
}

async function requireHelperImage(ctx: FaultContext): Promise<void> {
  if (!(await ctx.runtime.imageExists(FAULT_HELPER_IMAGE)))
    throw new FaultError(`the image ${FAULT_HELPER_IMAGE} is missing: run \`breakfix images\``);
}

export interface HelperRequest {
  type: string;
  service: string;
  command: string[];
  /** Join the service's network namespace with NET_ADMIN (network faults). */
  network?: boolean;
  volumes?: HelperSpec['volumes'];
  /** Capabilities besides NET_ADMIN (network faults); none by default. */
  capabilities?: string[];
  memoryBytes?: number;
  /** A fixed name for a helper that keeps running; a random one otherwise. */
  name?: string;
}

export function helperName(ctx: FaultContext, service: string, suffix: string): string {
  return `${containerName(ctx.lab, service)}-${suffix}`;
}

async function helperSpec(ctx: FaultContext, request: HelperRequest): Promise<HelperSpec> {
  await requireHelperImage(ctx);
  const target = ctx.service(request.service).container;
  return {
    name: request.name ?? helperName(ctx, request.service, `fault-${randomBytes(3).toString('hex')}`),
    image: FAULT_HELPER_IMAGE,
    // The fault label keeps the deployer from treating the helper as a service to remove.
    labels: labLabels(ctx.lab, { [LABELS.fault]: request.type }),
    command: request.command,
    ...(request.network ? { networkOf: target } : {}),
    capabilities: [...(request.network ? ['NET_ADMIN'] : []), ...(request.capabilities ?? [])],
    ...(request.volumes ? { volumes: request.volumes } : {}),
    ...(request.memoryBytes ? { memoryBytes: request.memoryBytes } : {}),
  };
}

/** Runs a short-lived helper; a non-zero exit is a FaultError carrying what it printed. */
export async function runFaultHelper(
  ctx: FaultContext,
  request: HelperRequest,
  timeoutMs = 30_000,
): Promise<ExecResult> {
  const result = await ctx.runtime.runHelper(await helperSpec(ctx, request), timeoutMs);
  if (result.exitCode !== 0)
    throw new FaultError(
      `${request.type} on ${request.service}: the helper exited with ${result.exitCode}: ${(result.stderr || result.stdout).trim().slice(-400)}`,
    );
  return result;
}

/** Runs a shell script (iptables rules) in a service's network namespace, with NET_ADMIN only. */
export async function runNetworkScript(
  ctx: FaultContext,
  type: string,
  service: string,
  script: string,
): Promise<void> {
  await runFaultHelper(ctx, { type, service, network: true, command: ['sh', '-c', script] });
}

/**
 * Takes a network fault's rules out again. A stopped or recreated container has a fresh network
 * namespace — the rules went with the old one — so there is nothing to remove from it.
 */
export async function undoNetworkScript(
  ctx: FaultContext,
  type: string,
  service: string,
  script: string,
): Promise<void> {
  const state = await ctx.runtime.inspectContainer(ctx.service(service).container);
  if (state?.status !== 'running') return;
  await runNetworkScript(ctx, type, service, script);
}

/** Starts a long-running helper and waits until it prints `ready` (or fails with its output). */
export async function startFaultHelper(
  ctx: FaultContext,
  request: HelperRequest & { name: string },
  readyTimeoutMs = 15_000,
): Promise<string> {
  await ctx.runtime.startHelper(await helperSpec(ctx, request));
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    const logs = await ctx.runtime.logs(request.name).catch(() => '');
    const ready = logs.split('\n').find((line) => line.startsWith('ready'));
    if (ready) return ready;
    const state = await ctx.runtime.inspectContainer(request.name);
    if (!state?.running || Date.now() > deadline) {
      const stopped = await ctx.runtime.stopHelper(request.name, 1);
      const said = (stopped ? stopped.stderr || stopped.stdout : logs).trim().slice(-400);
      throw new FaultError(
        `${request.type} on ${request.service}: the helper ${state?.running ? 'did not get ready in time' : 'stopped'}: ${said}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
