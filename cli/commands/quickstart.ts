/**
 * `breakfix quickstart` (what `npm start` runs): get this machine ready — Docker running, images
 * built — then say what to do next.
 */
import type { Command } from 'commander';
import { runDoctorCommand } from './doctor.js';

export async function runQuickstart(): Promise<void> {
  process.stdout.write('breakfix quickstart: checking this machine (doctor --fix)\n');
  const report = await runDoctorCommand({ fix: true });
  if (!report.ok) {
    process.stderr.write('breakfix: the machine is not ready; fix the failed checks above and run `npm start` again\n');
    process.exitCode = 2;
    return;
  }
  process.stdout.write(
    [
      '',
      'Docker and the breakfix images are ready.',
      'No lab can be opened yet: the labs and scenarios are not part of this version.',
      'What works today: `bin/breakfix doctor`, `bin/breakfix images`, and `npm test`.',
      '',
    ].join('\n'),
  );
}


export function register(program: Command): void {
  program
    .command('quickstart')
    .description('prepare this machine: doctor --fix (Docker running, images built), then what to do next')
    .action(async () => {
      await runQuickstart();
    });
}
