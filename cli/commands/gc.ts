/**
 * `breakfix gc [--json]`: remove every container, network, volume and image breakfix labelled
 * that no live session owns — the reaper's job, since breakfix runs without Ryuk.
 */
import type { Command } from 'commander';
import { gcReportLines } from '../render/reports.js';
import { loadEngine } from '../shared/engine.js';
import { commandIO, printJson, printLines } from '../shared/io.js';
import { withExamples } from '../shared/options.js';

export function register(program: Command): void {
  const command = program
    .command('gc')
    .description('remove everything breakfix labelled that no live session owns')
    .option(
      '--json',
      'print {removed:[{kind, name, session}], kept:[{session, workspace}], restored:[{session, workspace, check}], skipped:[{session, reason}]} on stdout',
    )
    .action(async (options: { json?: boolean }) => {
      const io = commandIO(options.json === true);
      const engine = await loadEngine();
      const report = await engine.collectLabGarbage();
      if (io.json) printJson(io, report);
      else printLines(io.out, gcReportLines(report, io.style));
    });
  withExamples(command, [['breakfix gc', 'after a crash or a deleted workspace: clean Docker up']]);
}
