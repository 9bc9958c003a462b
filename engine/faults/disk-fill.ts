import path from 'node:path';
import { z } from 'zod';
import { serviceParam } from '../params/service.js';
import { byteSizeSchema, formatBytes } from '../util/bytes.js';
import { defineFault, FaultError, type Captured, type FaultContext } from './fault.js';
import { runFaultHelper, runningTarget } from './fault-helper.js';

/** The most one fault writes: a volume without a size limit lives on the host's own disk. */
const MAX_FILL = 1024 ** 3;
const MOUNT = '/fill';

const params = z
  .strictObject({
    service: serviceParam,
    file: z
      .string()
      .regex(/^\/[A-Za-z0-9._/-]+$/, 'must be an absolute path of letters, digits, ".", "_", "-" and "/"')
      .refine((value) => !value.split('/').includes('..'), 'must not contain ".."')
      .meta({ description: 'The file to create, as the service sees it: a path on one of its named volumes.' }),
    size: byteSizeSchema.optional().meta({ description: 'Bytes to write (less when the volume has less free).' }),
    leave: z
      .union([z.literal(0), byteSizeSchema])
      .optional()
      .meta({ description: 'Or: fill the volume until only this much is free (0: full).' }),
  })
  .refine((p) => p.size === undefined || p.leave === undefined, { message: 'give `size` or `leave`, not both' });
type Params = z.infer<typeof params>;

interface Where {
  volume: string;
  /** The file's path inside the volume. */
  relative: string;
}

async function locate(ctx: FaultContext, p: Params): Promise<Where> {
  const state = await ctx.runtime.inspectContainer(ctx.service(p.service).container);
  if (!state)
    throw new FaultError(`no such container: ${ctx.service(p.service).container} (${p.service} is not deployed)`);
  const mount = state.mounts
    .filter((candidate) => p.file.startsWith(`${candidate.target.replace(/\/$/, '')}/`))
    .sort((a, b) => b.target.length - a.target.length)[0];
  if (!mount) throw new FaultError(`disk.fill: ${p.file} is not on a named volume of ${p.service}`);
  return { volume: mount.volume, relative: path.posix.relative(mount.target, p.file) };
}

function fillScript(where: Where, p: Params): string {
  const file = `${MOUNT}/${where.relative}`;
  const want = p.size !== undefined ? String(p.size) : `$((avail - ${p.leave ?? 0}))`;
  return [
    'set -eu',
    `f='${file}'; d=$(dirname "$f")`,
    `[ -d "$d" ] || { echo "the folder $(dirname '${p.file}') does not exist on the volume" >&2; exit 4; }`,
    `[ ! -e "$f" ] || { echo "${p.file} already exists: disk.fill writes a new file" >&2; exit 5; }`,
    `avail=$(df -B1 --output=avail ${MOUNT} | tail -n 1 | tr -d ' ')`,
    `want=${want}; [ "$want" -le "$avail" ] || want=$avail`,
    `[ "$want" -gt 0 ] || { echo "the volume has only $avail bytes free" >&2; exit 6; }`,
    `[ "$want" -le ${MAX_FILL} ] || { echo "that is $want bytes: disk.fill writes at most 1 GiB; give the volume a size limit (driver_opts o: size=...)" >&2; exit 7; }`,
    // As if the service had written it: the owner of its folder.
    'fallocate -l "$want" "$f"',
    'chown --reference="$d" "$f"',
    `echo "wrote $want of $avail free bytes"`,
  ].join('\n');
}

/**
 * A volume filling up (a runaway log, a forgotten dump): a file of `size` bytes, or as much as
 * leaves `leave` free, written where the service writes, from the fault helper (it mounts the
 * volume; the service itself is not touched). Meant for size-limited volumes (a tmpfs volume
 * with `driver_opts: { type: tmpfs, device: tmpfs, o: size=… }`); at most 1 GiB is written.
 */
export const diskFill = defineFault({
  type: 'disk.fill',
  phase: 'runtime',
  summary:
    "Fill a service's volume with one file (`size` bytes, or until only `leave` is free): writes fail with ENOSPC. Restorable.",
  params,
  services: (p) => [p.service],
  async inject(ctx, p) {
    await runningTarget(ctx, p.service, 'disk.fill fills a volume the running service uses');
    const where = await locate(ctx, p);
    const result = await runFaultHelper(ctx, {
      type: 'disk.fill',
      service: p.service,
      command: ['sh', '-c', fillScript(where, p)],
      volumes: [{ name: where.volume, target: MOUNT, readOnly: false }],
      // Docker's defaults, no more: enter and write in the service's own folders as their owner.
      capabilities: ['CHOWN', 'DAC_OVERRIDE'],
      // tmpfs pages are charged to the helper that writes them.
      memoryBytes: MAX_FILL + 64 * 1024 ** 2,
    });
    const written = /wrote (\d+)/.exec(result.stdout)?.[1];
    return `filled ${p.service}'s volume with ${p.file} (${written ? formatBytes(Number(written)) : 'done'})`;
  },
  restore: {
    capture: async (ctx, p): Promise<Captured> => ({ ...(await locate(ctx, p)) }),
    async undo(ctx, p, captured) {
      const where =
        captured && typeof captured === 'object' && !Array.isArray(captured)
          ? (captured as unknown as Where)
          : await locate(ctx, p).catch(() => undefined);
      if (!where) return;
      await runFaultHelper(ctx, {
        type: 'disk.fill',
        service: p.service,
        command: ['rm', '-f', `${MOUNT}/${where.relative}`],
        volumes: [{ name: where.volume, target: MOUNT, readOnly: false }],
        capabilities: ['DAC_OVERRIDE'],
      });
    },
  },
});
