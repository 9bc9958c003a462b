import { z } from 'zod';
import { isRootUser } from '../params/root-user.js';
import { serviceParam } from '../params/service.js';
import { byteSizeSchema, formatBytes } from '../util/bytes.js';
import { defineCheck, failed, passed, type CheckContext } from './check.js';
import { readLiveSecret, secretSource } from './live-secret.js';
import { readSecrets, workspaceFile } from './secret-files.js';
import { rememberedScan, rememberScan, scanKey } from './image-scan-cache.js';
import { secretForms } from './secret-forms.js';
import { streamContains } from './stream-search.js';
import { quote, regexSource } from './text-match.js';

/** Which of the named secrets occur in the image (a layer or its config). */
async function secretsInImage(ctx: CheckContext, imageId: string, secrets: Array<[string, string]>): Promise<string[]> {
  const key = scanKey(imageId, secrets);
  const remembered = await rememberedScan(ctx.lab.workspace, key);
  if (remembered) return remembered;
  // Each secret as it is and encoded (base64, hex): a key baked in encoded is still the key.
  const needles = secrets.flatMap(([name, value]) => secretForms(value).map((form) => ({ name, form })));
  const found = await streamContains(
    await ctx.runtime.saveImage(imageId),
    needles.map((needle) => needle.form),
    ctx.signal,
  );
  const leaked = [...new Set(found.map((index) => needles[index]?.name ?? ''))];
  // A scan cut short by the deadline saw only part of the image: not an answer to keep.
  if (!ctx.signal.aborted) await rememberScan(ctx.lab.workspace, key, leaked).catch(() => undefined);
  return leaked;
}

export const imageCheck = defineCheck({
  type: 'image',
  summary: 'Inspect the image a service runs (or a named image): labels, user, exposed ports, size, history.',
  params: z
    .strictObject({
      service: serviceParam.optional(),
      image: z.string().optional().meta({ description: 'An image reference, when not judging a service.' }),
      secret: secretSource.optional(),
      expect: z.strictObject({
        labels: z
          .record(z.string(), z.string())
          .optional()
          .meta({ description: 'Label values; "*" only requires the label to exist.' }),
        nonRootUser: z.boolean().optional(),
        exposedPorts: z.array(z.number().int()).optional(),
        maxSize: byteSizeSchema.optional(),
        envExcludes: z
          .array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/))
          .optional()
          .meta({
            description:
              'Variables the image must not set (ENV): deployment settings such as a database host belong to the deployment, so one image runs in every environment.',
          }),
        historyExcludes: z
          .array(regexSource)
          .optional()
          .meta({ description: 'No layer command may match these patterns (e.g. a secret file name).' }),
        secretsExcluded: z.array(workspaceFile).optional().meta({
          description:
            "Workspace files holding secrets (e.g. secrets/db_password.txt): no layer of the image, nor its config, may contain a file's content — whatever the layer's command or file name. Read at check time, so a rotated secret is what is looked for.",
        }),
        secretExcluded: z.boolean().optional().meta({
          description:
            'The secret the running service uses (read from its container, see `secret`) is in no layer of the image nor its config, as it is nor base64- or hex-encoded: follows a rotation to another file or path.',
        }),
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
    for (const name of expect.envExcludes ?? []) {
      if (image.env.some((entry) => entry.slice(0, entry.indexOf('=')) === name))
        return failed(
          `${what}: expected the image not to set ${name} (it belongs to the deployment), got it in its ENV`,
          evidence,
        );
    }
    for (const pattern of expect.historyExcludes ?? []) {
      const layer = image.history.find((entry) => new RegExp(pattern).test(entry.createdBy));
      if (layer)
        return failed(
          `${what}: expected no layer matching /${pattern}/, got ${quote(layer.createdBy.replace(/\s+/g, ' ').slice(0, 160))}`,
          evidence,
        );
    }
    const secrets: Array<[string, string]> = [];
    if (expect.secretsExcluded && expect.secretsExcluded.length > 0) {
      const read = await readSecrets(ctx.lab.workspace, expect.secretsExcluded);
      if (typeof read === 'string') return failed(`${what}: ${read}`, evidence);
      secrets.push(...read.map(([file, value]): [string, string] => [`the secret of ${file}`, value]));
    }
    if (expect.secretExcluded) {
      if (!params.secret) return failed(`${what}: expected a \`secret\` to look for, got none (scenario error)`);
      const live = await readLiveSecret(ctx, params.secret);
      if ('error' in live) return failed(live.error, evidence);
      secrets.push([`the secret ${params.secret.service} uses now`, live.value]);
    }
    if (secrets.length > 0) {
      const leaked = await secretsInImage(ctx, image.id, secrets);
      if (leaked.length > 0)
        return failed(
          `${what}: expected no layer to hold ${leaked.join(', ')}, got it inside the image (a layer or its config)`,
          evidence,
        );
    }
    return passed(`${what}: as expected`, evidence);
  },
});
