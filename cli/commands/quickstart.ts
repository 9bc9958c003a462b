/**
 * `breakfix quickstart` (what `npm start` runs): get this machine ready — Docker running, images
 * built — then open the first lab. Its workspace is `workspaces/<scenario>` in the project
 * (ignored by git); running it again reopens that lab instead of starting a second one.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { runDoctorCommand } from './doctor.js';
import { runStart } from './start.js';
import { loadEngine } from '../shared/engine.js';
import { isInteractiveSession } from '../shared/terminal.js';
import { exitWith, type ExitOutcome } from '../shared/exit.js';

export async function runQuickstart(): Promise<ExitOutcome> {
  process.stdout.write('breakfix quickstart: checking this machine (doctor --fix)\n');
  const report = await runDoctorCommand({ fix: true });
  if (!report.ok) {
    process.stderr.write('breakfix: the machine is not ready; fix the failed checks above and run `npm start` again\n');
    return 'error';
  }
  const engine = await loadEngine();
  const first = engine.listCourseScenarios()[0];
  if (!first) {
    process.stderr.write(`breakfix: no scenario found in ${engine.scenariosDir}\n`);
    return 'error';
  }
  const workspace = path.join(engine.packageRoot, 'workspaces', first.id);
  if (engine.hasSession(workspace) && !isInteractiveSession()) {
    const view = await (await engine.openLab(workspace)).describe();
    if (view.state !== 'stopped') {
      process.stdout.write(
        `\nYour first lab, ${first.id}, is already ${view.state} in ${path.relative(process.cwd(), workspace) || '.'}.\n` +
          `  cd ${path.relative(process.cwd(), workspace)} && ../../bin/breakfix status\n`,
      );
      return 'ok';
    }
  }
  process.stdout.write(`\nThe machine is ready. Opening the first lab: ${first.id} — ${first.title}\n`);
  // The commands below say `breakfix`: one line puts this checkout's launcher on the PATH.
  process.stdout.write(
    `(to type \`breakfix\` anywhere: export PATH="${path.join(engine.packageRoot, 'bin')}:$PATH")\n\n`,
  );
  return runStart(first.ref, { workspace });
}

export function register(program: Command): void {
  program
    .command('quickstart')
    .description('prepare this machine (doctor --fix: Docker running, images built) and open the first lab')
    .action(exitWith(() => runQuickstart()));
}
