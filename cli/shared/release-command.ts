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
    const failure = result.failure;
    // A workspace that does not deploy is the learner's file to fix: exit 1, like an invalid
    // file; Docker or a missing image is the environment: exit 2 (the CLI contract).
    process.exitCode = !failure ? 0 : failure.kind === 'workspace' || failure.kind === 'scenario' ? 1 : 2;
    if (io.json) {
      printJson(io, {
        state: result.state,
        release: result.release,
        ok: !failure,
        ...(failure
          ? { failure: failure.message, kind: failure.kind, ...(failure.hint ? { hint: failure.hint } : {}) }
          : {}),
      });
      return;
    }
    if (failure) {
      io.out(`${io.style.bad(MARK.failed)} ${VERB[event]} failed: ${failure.message}\n`);
      io.out(
        io.style.dim(
          failure.hint
            ? `${failure.hint}\n`
            : `fix it, then \`breakfix ${VERB[event]}\` again; \`breakfix status\` shows what runs now\n`,
        ),
      );
      return;
    }
    const view = await viewOf(lab);
    printLines(io.out, [
      `${io.style.ok(MARK.passed)} release ${result.release} is running`,
      ...serviceLines(view.services, lab.host, io.style).map((line) => `  ${line}`),
      io.style.dim('next: `breakfix check`'),
    ]);
  };
}
