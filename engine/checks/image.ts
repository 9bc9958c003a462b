import { z } from 'zod';
import { isRootUser } from '../params/root-user.js';
import { serviceParam } from '../params/service.js';
import { byteSizeSchema, formatBytes } from '../util/bytes.js';
import { defineCheck, failed, passed } from './check.js';
import { quote, regexSource } from './text-match.js';

export const imageCheck = defineCheck({
  type: 'image',
  summary: 'Inspect the image a service runs (or a named image): labels, user, exposed ports, size, history.',
  params: z
    .strictObject({
      service: serviceParam.optional(),
      image: z.string().optional().meta({ description: 'An image reference, when not judging a service.' }),
      expect: z.strictObject({
        labels: z
          .record(z.string(), z.string())
          .optional()
          .meta({ description: 'Label values; "*" only requires the label to exist.' }),
        nonRootUser: z.boolean().optional(),
        exposedPorts: z.array(z.number().int()).optional(),
        maxSize: byteSizeSchema.optional(),
        historyExcludes: z
          .array(regexSource)
          .optional()
          .meta({ description: 'No layer command may match these patterns (e.g. a secret file name).' }),
      }),
    })
    .refine(
      (params) => (params.service === undefined) !== (params.image === undefined),
      'give exactly one of service or image',
    ),
  services: (params) => (params.service ? [params.service] : []),
  async run(ctx, params) {
    let ref = params.image;
    let what = ref ?? '';
    if (params.service !== undefined) {
      const state = await ctx.runtime.inspectContainer(ctx.service(params.service).container);
      // The running container's image id is the truth; a tag may have moved since it started.
      ref = state?.imageId ?? ctx.service(params.service).image;
      what = `${params.service} image`;
    }
    const image = ref === undefined ? undefined : await ctx.runtime.inspectImage(ref);
    if (!image) return failed(`${what}: expected an image, got none`);
    const evidence = `id ${image.id.slice(7, 19)}, user "${image.user || 'root'}", ${formatBytes(image.sizeBytes)}, ${image.history.length} layers`;
    const expect = params.expect;
    for (const [key, value] of Object.entries(expect.labels ?? {})) {
      const actual = image.labels[key];
      if (actual === undefined || (value !== '*' && actual !== value))
        return failed(
          `${what}: expected label ${key}=${value}, got ${actual === undefined ? 'no such label' : quote(actual)}`,
          evidence,
        );
    }
    if (expect.nonRootUser !== undefined) {
      if (isRootUser(image.user) === expect.nonRootUser)
        return failed(
          `${what}: expected ${expect.nonRootUser ? 'a non-root USER' : 'root'}, got ${quote(image.user || 'root')}`,
          evidence,
        );
    }
    for (const port of expect.exposedPorts ?? []) {
      if (!image.exposedPorts.some((exposed) => exposed.startsWith(`${port}/`)))
        return failed(`${what}: expected EXPOSE ${port}, got ${image.exposedPorts.join(', ') || 'none'}`, evidence);
    }
    if (expect.maxSize !== undefined && image.sizeBytes > expect.maxSize)
      return failed(
        `${what}: expected at most ${formatBytes(expect.maxSize)}, got ${formatBytes(image.sizeBytes)}`,
        evidence,
      );
    for (const pattern of expect.historyExcludes ?? []) {
      const layer = image.history.find((entry) => new RegExp(pattern).test(entry.createdBy));
      if (layer)
        return failed(
          `${what}: expected no layer matching /${pattern}/, got ${quote(layer.createdBy.replace(/\s+/g, ' ').slice(0, 160))}`,
          evidence,
        );
    }
    return passed(`${what}: as expected`, evidence);
  },
});
