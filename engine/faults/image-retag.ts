import path from 'node:path';
import { z } from 'zod';
import { labLabels } from '../deploy/lab.js';
import { LABELS } from '../runtime/labels.js';
import { defineFault } from './fault.js';
import { buildArgsParam, labSourceParam } from './lab-source-param.js';
import { serviceParam } from '../params/service.js';

export const imageRetag = defineFault({
  type: 'image.retag',
  phase: 'artifact',
  summary: 'Make the tag a service runs point at an older build (built from another folder of the lab).',
  params: z.strictObject({
    service: serviceParam,
    from: labSourceParam.meta({ description: 'Folder of the lab holding the older source, e.g. releases/1.4.0' }),
    dockerfile: z.string().default('Dockerfile'),
    args: buildArgsParam,
    target: z.string().optional(),
  }),
  services: (params) => [params.service],
  async inject(ctx, params) {
    const { image } = ctx.service(params.service);
    await ctx.runtime.buildImage(
      {
        context: path.join(ctx.labSource, params.from),
        dockerfile: params.dockerfile,
        tag: image,
        labels: labLabels(ctx.lab, { [LABELS.fault]: 'image.retag' }),
        args: params.args,
        ...(params.target ? { target: params.target } : {}),
      },
      undefined,
      ctx.signal,
    );
    return `${image} now points at a build of ${params.from}`;
  },
});
