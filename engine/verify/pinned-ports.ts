/**
 * A fix may pin a host port (`ports: ["3000:8080"]`, what a learner who read the app's log
 * really writes). `verify` judges several fixes side by side, each in a live lab of its own, so
 * two of them could ask for 127.0.0.1:3000 and the second deploy would fail with "port is
 * already allocated" — a failure of verify, not of the fix. Such fixes take turns; fixes that
 * let Docker pick ports keep running in parallel. (Graded deploys never pin: deploy's
 * `anyHostPort`.)
 */
import { loadCompose } from '../compose/load.js';

/** Whether a workspace's compose.yaml pins a host port; false when it cannot be read (grade says why). */
export function pinsHostPorts(workspace: string): boolean {
  const loaded = loadCompose(workspace);
  return (
    loaded.ok &&
    Object.values(loaded.plan.services).some((service) => service.ports.some((port) => (port.host ?? 0) > 0))
  );
}

let queue: Promise<unknown> = Promise.resolve();

/** Runs `work` after every earlier pinned-port run of this process has finished. */
export function withPinnedPorts<T>(work: () => Promise<T>): Promise<T> {
  const run = queue.then(work, work);
  queue = run.catch(() => undefined);
  return run;
}
