/** `image` and `build`: which image runs, and how to build it from the workspace. */
import path from 'node:path';
import { isDict, type Dict } from '../../source/dict.js';
import type { PathSegment } from '../../source/yaml-source.js';
import { isInside, pathKind } from '../../util/file-system.js';
import { resolvePath, type PlanContext } from '../context.js';
import type { BuildPlan } from '../plan.js';
import { listOrDict } from '../values.js';
import type { ServiceKey } from './service-key.js';

export const imageBuildKey: ServiceKey = {
  keys: ['image', 'build'],
  build({ name, raw, at, ctx }) {
    if (raw.image === undefined && raw.build === undefined) ctx.out.error(at, 'needs `image` or `build`', 'key');
    const build = raw.build === undefined ? undefined : buildSection(raw.build, [...at, 'build'], ctx);
    // A build-only service gets Compose's image name, `<project>-<service>`.
    const image = typeof raw.image === 'string' ? raw.image : `${ctx.project}-${name.toLowerCase()}`;
    return build ? { image, build } : { image };
  },
};

function buildSection(raw: unknown, at: PathSegment[], ctx: PlanContext): BuildPlan | undefined {
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
    if (!isInside(ctx.workspace, dockerfilePath))
      ctx.out.error(dockerfileAt, `dockerfile ${JSON.stringify(dockerfile)} is outside the workspace`);
    else if (pathKind(dockerfilePath) !== 'file')
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
