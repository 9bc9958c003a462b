/**
 * A held start: the service's container starts (so whatever waits only for it to *start* goes
 * ahead), but its own program runs only after the hold. `grading.hold` and the `deploy.hold`
 * probe use it to show an ordering that was luck.
 *
 * Why not freeze the container right after it starts (`docker pause`): the pause is a second
 * API call, and on a loaded machine a quick job (a migration) finished its work between the
 * start and the freeze — the hold then held nothing, and a wrong fix passed. Here no instruction
 * of the program can run before the hold is over. The wrapper execs the program, so it is
 * PID 1 with its own signal handling, exactly as without the hold.
 */
import type { ContainerSpec } from '../runtime/runtime.js';

/** The image's own program, as `docker inspect` reports it (used when compose sets none). */
export interface ImageProgram {
  entrypoint: string[];
  command: string[];
}

/**
 * The argv Docker runs: compose's entrypoint replaces the image's and drops the image's CMD;
 * compose's command replaces the image's CMD.
 */
export function effectiveArgv(spec: Pick<ContainerSpec, 'entrypoint' | 'command'>, image: ImageProgram): string[] {
  if (spec.entrypoint && spec.entrypoint.length > 0) return [...spec.entrypoint, ...(spec.command ?? [])];
  return [...image.entrypoint, ...(spec.command ?? image.command)];
}

// `$0` is the hold in seconds, `$@` the program. A stop during the hold ends the wait at once
// (a shell as PID 1 ignores SIGTERM without a trap, which would cost the whole grace period).
const HOLD_SCRIPT = `trap 'exit 143' TERM INT; sleep "$0" & wait $!; exec "$@"`;

/**
 * The spec with its program held back for `ms`, or undefined when there is no program to hold
 * (an image without entrypoint and command). Needs `/bin/sh` and `sleep` in the image, as every
 * Debian-based lab image has.
 */
export function withHeldStart(spec: ContainerSpec, image: ImageProgram, ms: number): ContainerSpec | undefined {
  const argv = effectiveArgv(spec, image);
  if (argv.length === 0) return undefined;
  const seconds = Math.max(0, ms / 1000).toFixed(3);
  return { ...spec, entrypoint: ['/bin/sh', '-c', HOLD_SCRIPT, seconds], command: argv };
}
