/**
 * Phase: a fault acts in the phase its place allows — escalation stages change the running lab
 * (never the learner's files), solution and wrong-fix edits change files, a release's faults act
 * on its running containers.
 */
import { problem, type Problem } from '../../source/issues.js';
import type { DocumentPhase } from './document-phase.js';

const WORKSPACE_TYPES = 'compose.set, compose.unset, file.replace, file.write, file.remove, env.set, env.unset';

export const entryPlacement: DocumentPhase = ({ entries }) => {
  const problems: Problem[] = [];
  for (const entry of entries) {
    // Symptoms and checks (escalation symptoms, a release's `ready`) have no phase.
    if (!entry.parsed || entry.kind !== 'fault') continue;
    const phase = entry.parsed.phase;
    const type = `\`${String(entry.raw.type)}\``;
    const place = entry.at[0];
    if (place === 'escalation' && phase === 'workspace') {
      problems.push(
        problem(
          [...entry.at, 'type'],
          `${type} is a workspace fault; escalation faults must act at runtime or on artifacts (the workspace belongs to the learner once the lab is active)`,
        ),
      );
    } else if ((place === 'solution' || place === 'wrongFixes' || place === 'rightFixes') && phase !== 'workspace') {
      problems.push(
        problem(
          [...entry.at, 'type'],
          `${type} is a ${phase ?? 'non-workspace'} fault; edits change workspace files, so use a workspace type (${WORKSPACE_TYPES})`,
        ),
      );
    } else if (place === 'releases' && phase !== 'runtime') {
      problems.push(
        problem(
          [...entry.at, 'type'],
          `${type} is a ${phase ?? 'non-runtime'} fault; a release's faults act on its running containers (runtime faults only)`,
        ),
      );
    }
  }
  return problems;
};
