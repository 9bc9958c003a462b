/**
 * Probe verdicts remembered between live `check`s. A probe disturbs the lab (stops the
 * database, holds a deploy) and watches it react: seconds of work, and a learner types `check`
 * dozens of times. Its verdict depends on the workspace's files and on the containers that
 * run them, so a pass is kept under a key of both — the workspace hash, the scenario, and every
 * lab container's id, image and configuration. Any apply, rollback, reset or edit changes the
 * key and the probe runs again. Failures are never kept: a probe that failed runs every time.
 *
 * Why containers by id and not their start time: a probe's own restore restarts what it
 * stopped, and a restart of the same container with the same configuration behaves the same.
 * A hand edit inside a running container keeps its id, but it can only keep a pass that was
 * observed on these very containers, and the durability proof deploys the files afresh anyway.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { TimedOutcome } from '../checks/runner.js';
import { LABELS } from '../runtime/labels.js';
import type { Runtime } from '../runtime/runtime.js';
import { STATE_DIR } from '../session/store.js';
import { writeStateFile } from '../util/state-file.js';
import { workspaceHash } from './workspace-hash.js';

interface CacheFile {
  key: string;
  passed: Record<string, TimedOutcome>;
}

const fileOf = (workspace: string) => path.join(workspace, STATE_DIR, 'probes.json');

async function readCache(workspace: string): Promise<CacheFile | undefined> {
  try {
    const parsed = JSON.parse(await readFile(fileOf(workspace), 'utf8')) as Partial<CacheFile>;
    return typeof parsed.key === 'string' && parsed.passed && typeof parsed.passed === 'object'
      ? { key: parsed.key, passed: parsed.passed }
      : undefined;
  } catch {
    return undefined;
  }
}

export interface ProbeCacheInput {
  workspace: string;
  runtime: Runtime;
  /** The lab's containers (by name), in a stable order. */
  containers: string[];
  /** What the verdicts also depend on: the scenario (its checks) and the seed. */
  scenario: unknown;
}

/**
 * The key of the lab as it is now. `files` (the workspace hash and the scenario) is read once per
 * round; the containers are inspected again after each probe, since a probe may recreate them.
 */
async function keyOf(input: ProbeCacheInput, files: string): Promise<string> {
  const states = await Promise.all(input.containers.map((container) => input.runtime.inspectContainer(container)));
  const hash = createHash('sha256').update(files);
  input.containers.forEach((container, index) => {
    const state = states[index];
    hash.update(
      `\0${container}\0${state ? `${state.id}\0${state.imageId}\0${state.labels[LABELS.configHash] ?? ''}` : '-'}`,
    );
  });
  return hash.digest('hex');
}

export interface ProbeCache {
  /** A pass observed on this very lab, or undefined: run the probe. */
  lookup(id: string): TimedOutcome | undefined;
  /** Keeps a passing outcome (a failure is dropped), under the lab as it is now. */
  record(id: string, outcome: TimedOutcome): Promise<void>;
}

export async function openProbeCache(input: ProbeCacheInput): Promise<ProbeCache> {
  const files = createHash('sha256')
    .update(await workspaceHash(input.workspace))
    .update(JSON.stringify(input.scenario))
    .digest('hex');
  const [stored, key] = await Promise.all([readCache(input.workspace), keyOf(input, files)]);
  const passed: Record<string, TimedOutcome> = stored?.key === key ? { ...stored.passed } : {};
  const usable = new Set(Object.keys(passed));
  return {
    lookup: (id) => {
      const outcome = usable.has(id) ? passed[id] : undefined;
      return outcome && { ...outcome, message: `${outcome.message} (observed at an earlier check of this lab)` };
    },
    async record(id, outcome) {
      if (outcome.status === 'passed') passed[id] = outcome;
      else delete passed[id];
      // After a probe ran, the key is read again: the verdicts stay tied to the lab they saw.
      await writeStateFile(fileOf(input.workspace), JSON.stringify({ key: await keyOf(input, files), passed }));
    },
  };
}
