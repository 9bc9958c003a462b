/**
 * `breakfix hint [--workspace DIR] [--json]`: reveal the next unlocked hint and show the ones
 * already revealed. Hints unlock after failed check rounds or time; when none is unlocked, say
 * when the next one will be.
 */
import type { Command } from 'commander';
import { nextHintRule } from '../render/status.js';
import { plainMarkdown } from '../render/text.js';
import { commandIO, printJson, printLines } from '../shared/io.js';
import { withExamples, withSessionOptions, type SessionCommandOptions } from '../shared/options.js';
import { openLab, sendEvent, viewOf } from '../shared/session-event.js';

export function register(program: Command): void {
  const command = withSessionOptions(
    program.command('hint').description('reveal the next unlocked hint (hints unlock after failed checks or time)'),
  ).action(async (options: SessionCommandOptions) => {
    const io = commandIO(options.json === true);
    const lab = await openLab(options.workspace);
    const before = await viewOf(lab);
    // The engine refuses a HINT with none unlocked; saying when one unlocks is more useful.
    const available = before.hints.unlocked > before.hints.revealed.length;
    if (available) await sendEvent(lab, 'HINT', io);
    const view = available ? await viewOf(lab) : before;
    const next = view.hints.unlocked < view.hints.total ? nextHintRule(view, Date.now()) : undefined;
    if (io.json) {
      printJson(io, {
        revealed: view.hints.revealed,
        new: available,
        unlocked: view.hints.unlocked,
        total: view.hints.total,
        ...(next ? { next } : {}),
      });
      return;
    }
    const lines = view.hints.revealed.map((text, index) => {
      const fresh = available && index === view.hints.revealed.length - 1;
      return `${fresh ? io.style.accent('new') : '   '} ${index + 1}. ${plainMarkdown(text)}`;
    });
    if (!available && view.state === 'passed') lines.push('the lab is solved: no more hints unlock');
    else if (!available)
      lines.push(view.hints.revealed.length === 0 ? 'no hint is unlocked yet' : 'no new hint is unlocked yet');
    if (next) lines.push(io.style.dim(next));
    else if (view.hints.revealed.length >= view.hints.total)
      lines.push(io.style.dim(`that was all ${view.hints.total} hints`));
    printLines(io.out, lines);
  });
  withExamples(command, [
    ['breakfix hint', 'reveal the next hint, if one is unlocked'],
    ['breakfix check; breakfix hint', 'a failed check round may unlock one'],
  ]);
}
