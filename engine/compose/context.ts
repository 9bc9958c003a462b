/**
 * What every part of the plan builder shares: where the workspace is, the project name, the
 * `.env` values for interpolation, and the collector problems go to.
 */
import path from 'node:path';
import type { Dict } from '../source/dict.js';
import type { IssueCollector } from '../source/issues.js';
import type { PathSegment } from '../source/yaml-source.js';
import { isInside, pathKind } from '../util/file-system.js';

export interface PlanContext {
  workspace: string;
  /** The folder of the compose file: relative paths in it resolve from here. */
  projectDir: string;
  project: string;
  dotenv: Record<string, string>;
  out: IssueCollector;
}

/** One service as the key builders see it. */
export interface ServiceInput {
  name: string;
  /** The service's mapping as written (after interpolation). */
  raw: Dict;
  /** `['services', name]`. */
  at: PathSegment[];
  /** The whole compose file, for what a service refers to (top-level volumes, secrets, services). */
  file: Dict;
  ctx: PlanContext;
}

/**
 * A path the compose file names (a build context, a secret file), resolved against the project
 * folder; it must stay inside the workspace and be the expected kind of thing.
 */
export function resolvePath(
  ctx: PlanContext,
  text: string,
  at: PathSegment[],
  what: string,
  expect: 'file' | 'dir',
): string | undefined {
  const absolute = path.resolve(ctx.projectDir, text);
  if (!isInside(ctx.workspace, absolute)) {
    ctx.out.error(at, `${what} ${JSON.stringify(text)} is outside the workspace; keep every file of the lab inside it`);
    return undefined;
  }
  const found = pathKind(absolute);
  if (found !== expect) {
    ctx.out.error(
      at,
      `${what} ${JSON.stringify(text)} ${found ? `is not a ${expect === 'dir' ? 'folder' : 'file'}` : 'does not exist in the workspace'}`,
    );
    return undefined;
  }
  return absolute;
}
