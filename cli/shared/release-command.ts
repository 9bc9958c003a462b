/**
 * `apply` and `rollback` differ only in the event they send: both deploy a release and report
 * it the same way. A rollback also names its target before it starts, and says afterwards
 * when the workspace files no longer describe what runs.
 */
import type { ReleaseHistory } from '../../engine/index.js';
import { exitWith, outcomeOfKind, type ExitOutcome } from './exit.js';
import type { SessionCommandOptions } from './options.js';
import { releaseName, workspaceNote } from '../render/releases.js';
import { serviceLines } from '../render/services.js';
import { MARK } from '../render/style.js';
import { commandIO, printJson, printLines } from './io.js';
import { openLab, sendEvent, viewOf } from './session-event.js';

const VERB = { APPLY: 'apply', ROLLBACK: 'rollback' } as const;

export interface ReleaseCommandOptions extends SessionCommandOptions {
  /** `rollback --to N` */
  to?: number;
}

export function releaseCommand(event: 'APPLY' | 'ROLLBACK') {
  return exitWith(async (options: ReleaseCommandOptions): Promise<ExitOutcome> => {
    const io = commandIO(options.json === true);
    const lab = await openLab(options.workspace);
    const before = event === 'ROLLBACK' ? await lab.engine.readLabReleases(lab.workspace) : undefined;
    const target = before?.releases.find((release) => release.number === (options.to ?? before.rollbackTo));
    if (target) io.progress(`${io.style.accent('→')} rolling back to ${releaseName(target)}\n`);
    const result = await sendEvent(lab, event, io, options.to !== undefined ? { rollbackTo: options.to } : {});
    const failure = result.failure;
    // After a deploy (even one whose services are not all up) the history says what runs now.
    const after: ReleaseHistory | undefined =
      event === 'ROLLBACK' && result.release !== before?.releases.at(-1)?.number
        ? await lab.engine.readLabReleases(lab.workspace)
        : undefined;
    const restored = after?.releases.at(-1)?.restores;
    // A workspace that does not deploy is the learner's file to fix: exit 1, like an invalid
    // file; Docker or a missing image is the environment: exit 2 (the CLI contract).
    const outcome: ExitOutcome = failure ? outcomeOfKind(failure.kind) : 'ok';
    if (io.json) {
      printJson(io, {
        state: result.state,
        release: result.release,
        ok: !failure,
        ...(restored !== undefined ? { restores: restored } : {}),
        ...(target && restored !== undefined ? { version: target.version } : {}),
        ...(after?.workspaceMatches !== undefined ? { workspaceMatches: after.workspaceMatches } : {}),
        ...(failure
          ? { failure: failure.message, kind: failure.kind, ...(failure.hint ? { hint: failure.hint } : {}) }
          : {}),
      });
      return outcome;
    }
    const note = after ? workspaceNote(after, io.style) : [];
    if (failure) {
      io.out(`${io.style.bad(MARK.failed)} ${VERB[event]} failed: ${failure.message}\n`);
      io.out(
        io.style.dim(
          failure.hint
            ? `${failure.hint}\n`
            : `fix it, then \`breakfix ${VERB[event]}\` again; \`breakfix status\` shows what runs now\n`,
        ),
      );
      printLines(io.out, note);
      return outcome;
    }
    const view = await viewOf(lab);
    printLines(io.out, [
      target && restored !== undefined
        ? `${io.style.ok(MARK.passed)} release ${result.release} is running ${releaseName(target)} again`
        : `${io.style.ok(MARK.passed)} release ${result.release} is running`,
      ...serviceLines(view.services, lab.host, io.style).map((line) => `  ${line}`),
      ...note,
      io.style.dim('next: `breakfix check`'),
    ]);
    return outcome;
  });
}
