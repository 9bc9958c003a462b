/**
 * Global setup of the `docker` test project (integration and end-to-end tests).
 *
 * - Docker must answer. If it does not, the run fails here, loudly, with the reason: the
 *   design forbids skipping integration tests when Docker is missing.
 * - breakfix's images must exist and match their recipes; missing ones are built (with
 *   progress lines: a cold build takes about a minute).
 * - dist/ is rebuilt, so tests that run `bin/breakfix` exercise the code under test.
 * - Teardown: every resource labelled `breakfix.session` that appeared during the run and is
 *   still there is reported; under CI (a machine the run owns) it is also removed, since Ryuk
 *   is disabled and nothing else would. On a workstation it is only reported: the same daemon
 *   may be running a learner's lab or another developer's tests, which are not ours to delete.
 *   Resources that existed before the run are never touched.
 *
 * Vitest runs this teardown after the reporters, i.e. after the `N passed, N failed` line;
 * .ci/run repeats that line last so CI still reads it as the final line.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeImagesProgress, ensureImages } from '../../engine/images/index.js';
import { getDockerode, probeDocker } from '../../engine/runtime/docker-client.js';
import { LABELS } from '../../engine/runtime/labels.js';
import { describeResource, listLabelled, removeLabelled } from './labelled-resources.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const say = (line: string): void => {
  process.stdout.write(`[docker setup] ${line}\n`);
};

function buildDist(): void {
  const tsc = path.join(root, 'node_modules', '.bin', 'tsc');
  const result = spawnSync(tsc, ['-p', 'tsconfig.build.json'], { cwd: root, encoding: 'utf8' });
  // tsc emits even with type errors; those are `npm run typecheck`'s business. A missing entry
  // point is not: the CLI tests would then test nothing.
  if (!existsSync(path.join(root, 'dist', 'cli', 'main.js'))) {
    throw new Error(
      `building dist/ failed (tsc exit ${result.status ?? result.signal}):\n${(result.stdout + result.stderr).trim().split('\n').slice(-20).join('\n')}`,
    );
  }
  if (result.status !== 0) say(`tsc reported type errors (run \`npm run typecheck\`); dist/ was still emitted`);
}

export default async function setup(): Promise<() => Promise<void>> {
  const probe = await probeDocker({ timeoutMs: 3_000 });
  if (!probe.reachable) {
    throw new Error(
      `Docker integration tests need a reachable Docker Engine, and ${probe.endpoint.url} does not answer: ${probe.reason}. ` +
        'Run `bin/breakfix doctor --fix` (as root on Debian/Ubuntu it installs and starts Docker), then run the tests again.',
    );
  }
  say(`Docker Engine ${probe.serverVersion} (API ${probe.apiVersion}) at ${probe.endpoint.url}`);

  const started = performance.now();
  let built = 0;
  await ensureImages({
    onProgress: (event) => {
      if (event.kind === 'start') built += 1;
      if (event.kind === 'current') return;
      const line = describeImagesProgress(event);
      if (line !== undefined) say(line);
    },
  });
  say(
    built === 0
      ? 'breakfix images up to date'
      : `built ${built} image(s) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  buildDist();

  const docker = await getDockerode();
  const before = new Set((await listLabelled(docker, LABELS.session)).map((resource) => resource.id));

  return async function teardown(): Promise<void> {
    const leaked = (await listLabelled(docker, LABELS.session)).filter((resource) => !before.has(resource.id));
    const owned = Boolean(process.env.CI) || process.env.BREAKFIX_TEST_SWEEP === '1';
    if (leaked.length > 0) {
      process.stderr.write(
        `[docker teardown] ${leaked.length} resource(s) labelled ${LABELS.session} appeared during this run and are still there${owned ? ', removing' : ''}:\n`,
      );
      for (const resource of leaked) process.stderr.write(`  ${describeResource(resource, LABELS.session)}\n`);
      if (owned) {
        const failures = await removeLabelled(docker, leaked);
        for (const failure of failures) process.stderr.write(`  could not remove ${failure}\n`);
      } else {
        process.stderr.write(
          '  left alone (not CI: they may belong to someone else on this daemon); BREAKFIX_TEST_SWEEP=1 removes them\n',
        );
      }
    }
  };
}
