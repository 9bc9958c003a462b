import { copyFile, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { labLabels } from '../deploy/lab.js';
import { LABELS } from '../runtime/labels.js';
import { resolveInWorkspace, workspacePathSchema } from '../util/workspace-path.js';
import { defineFault, FaultError } from './fault.js';
import { buildArgsParam, labSourceParam } from './lab-source-param.js';
import { serviceParam } from '../params/service.js';

export const imageBakeSecret = defineFault({
  type: 'image.bake-secret',
  phase: 'artifact',
  summary: "Build a service's image with a secret file copied into a layer (it stays in the image history).",
  params: z.strictObject({
    service: serviceParam,
    secret: workspacePathSchema.meta({
      description: 'Workspace file holding the secret, e.g. secrets/db_password.txt',
    }),
    path: z.string().startsWith('/').meta({ description: 'Where the secret lands inside the image.' }),
    from: labSourceParam,
    dockerfile: z.string().default('Dockerfile'),
    args: buildArgsParam,
  }),
  services: (params) => [params.service],
  async inject(ctx, params) {
    const { image } = ctx.service(params.service);
    // Checked before building: a missing secret is a scenario bug (said like the other
    // workspace-reading faults do), and the tag must not be rebuilt by a fault that then fails.
    const secretFile = resolveInWorkspace(ctx.lab.workspace, params.secret);
    if (!(await stat(secretFile).catch(() => undefined))?.isFile())
      throw new FaultError(`${params.secret} does not exist in the workspace`);
    const labels = labLabels(ctx.lab, { [LABELS.fault]: 'image.bake-secret' });
    await ctx.runtime.buildImage(
      {
        context: path.join(ctx.labSource, params.from),
        dockerfile: params.dockerfile,
        tag: image,
        labels,
        args: params.args,
      },
      undefined,
      ctx.signal,
    );
    // A second, tiny build adds the secret as its own layer, exactly what `COPY .env .` does.
    const context = await mkdtemp(path.join(os.tmpdir(), 'breakfix-bake-'));
    try {
      await copyFile(secretFile, path.join(context, 'secret'));
      await writeFile(path.join(context, 'Dockerfile'), `FROM ${image}\nCOPY secret ${params.path}\n`);
      await ctx.runtime.buildImage(
        { context, dockerfile: 'Dockerfile', tag: image, labels, args: {} },
        undefined,
        ctx.signal,
      );
    } finally {
      await rm(context, { recursive: true, force: true });
    }
    return `${image} carries ${params.secret} at ${params.path}`;
  },
});
