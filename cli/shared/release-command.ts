/**
 * `apply` and `rollback` differ only in the event they send: both deploy a release and report
 * it the same way.
 */
import { exitWith, outcomeOfKind, type ExitOutcome } from './exit.js';
import type { SessionCommandOptions } from './options.js';
import { serviceLines } from '../render/services.js';
import { MARK } from '../render/style.js';
import { commandIO, printJson, printLines } from './io.js';
import { openLab, sendEvent, viewOf } from './session-event.js';

const VERB = { APPLY: 'apply', ROLLBACK: 'rollback' } as const;

export function releaseCommand(event: 'APPLY' | 'ROLLBACK') {
  return exitWith(async (options: SessionCommandOptions): Promise<ExitOutcome> => {
    const io = commandIO(options.json === true);
    const lab = await openLab(options.workspace);
    const result = await sendEvent(lab, event, io);
    const failure = result.failure;
    // A workspace that does not deploy is the learner's file to fix: exit 1, like an invalid
    // file; Docker or a missing image is the environment: exit 2 (the CLI contract).
    const outcome: ExitOutcome = failure ? outcomeOfKind(failure.kind) : 'ok';
    if (io.json) {
      printJson(io, {
        state: result.state,
        release: result.release,
        ok: !failure,
        ...(failure
          ? { failure: failure.message, kind: failure.kind, ...(failure.hint ? { hint: failure.hint } : {}) }
          : {}),
      });
      return outcome;
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
      return outcome;
    }
    const view = await viewOf(lab);
    printLines(io.out, [
      `${io.style.ok(MARK.passed)} release ${result.release} is running`,
      ...serviceLines(view.services, lab.host, io.style).map((line) => `  ${line}`),
      io.style.dim('next: `breakfix check`'),
    ]);
    return outcome;
  });
}
