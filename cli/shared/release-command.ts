/**
 * `apply` and `rollback` differ only in the event they send: both deploy a release and report
 * it the same way.
 */
import type { SessionCommandOptions } from './options.js';
import { serviceLines } from '../render/services.js';
import { MARK } from '../render/style.js';
import { commandIO, printJson, printLines } from './io.js';
import { openLab, sendEvent, viewOf } from './session-event.js';

const VERB = { APPLY: 'apply', ROLLBACK: 'rollback' } as const;

export function releaseCommand(event: 'APPLY' | 'ROLLBACK') {
  return async (options: SessionCommandOptions): Promise<void> => {
    const io = commandIO(options.json === true);
    const lab = await openLab(options.workspace);
    const result = await sendEvent(lab, event, io);
    const failure = result.context.lastFailure;
    // A workspace that does not deploy is the learner's file to fix: exit 1, like an invalid file.
    process.exitCode = failure ? 1 : 0;
    if (io.json) {
      printJson(io, { state: result.state, release: result.context.release, ok: !failure, ...(failure ? { failure } : {}) });
      return;
    }
    if (failure) {
      io.out(`${io.style.bad(MARK.failed)} ${VERB[event]} failed: ${failure}\n`);
      io.out(io.style.dim(`fix it, then \`breakfix ${VERB[event]}\` again; \`breakfix status\` shows what runs now\n`));
      return;
    }
    const view = await viewOf(lab);
    printLines(io.out, [`${io.style.ok(MARK.passed)} release ${result.context.release} is running`, ...serviceLines(view.services, lab.host, io.style).map((line) => `  ${line}`), io.style.dim('next: `breakfix check`')]);
  };
}
