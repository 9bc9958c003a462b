/**
 * Tables of the instructor and housekeeping commands: `list`, `verify`, `gc`.
 */
import type { GcReport, ScenarioSummary, VerifyResult } from '../../engine/index.js';
import { MARK, type Style } from './style.js';
import { padEnd, plural } from './text.js';

export function scenarioListLines(scenarios: readonly ScenarioSummary[], style: Style): string[] {
  if (scenarios.length === 0) return ['no scenarios yet (scenarios/ is empty)'];
  const idWidth = Math.max(...scenarios.map((scenario) => scenario.id.length));
  const levelWidth = Math.max(...scenarios.map((scenario) => scenario.difficulty.length));
  const lines = scenarios.map(
    (scenario) =>
      `${padEnd(scenario.id, idWidth)}  ${padEnd(scenario.difficulty, levelWidth)}  ${scenario.title}${scenario.tags.length > 0 ? style.dim(`  [${scenario.tags.join(', ')}]`) : ''}`,
  );
  lines.push('', style.dim('start one: breakfix start <id>'));
  return lines;
}

/** The contract's `verify --json` entry: `{id, ok, symptomsObserved, solutionPassed, leaked, seconds}` (+ detail). */
export function verifyJsonEntry(result: VerifyResult) {
  return {
    id: result.id,
    ok: result.ok,
    symptomsObserved: result.symptomsObserved,
    solutionPassed: result.solutionPassed,
    leaked: result.leaked,
    seconds: result.seconds,
    ...(result.symptomSeconds !== undefined ? { symptomSeconds: result.symptomSeconds } : {}),
    failedBeforeFix: result.failedBeforeFix,
    ...(result.wrongFixesRejected.length > 0 ? { wrongFixesRejected: result.wrongFixesRejected } : {}),
    ...(result.escalation ? { escalation: result.escalation } : {}),
    ...(result.error ? { error: result.error } : {}),
  };
}

export function verifyResultLines(result: VerifyResult, style: Style): string[] {
  const yes = (value: boolean) => (value ? style.ok(MARK.passed) : style.bad(MARK.failed));
  const lines = [
    `${result.ok ? style.ok(MARK.passed) : style.bad(MARK.failed)} ${style.bold(result.id)}  ${result.seconds.toFixed(1)} s`,
    `    ${yes(result.symptomsObserved)} symptoms observed${result.symptomSeconds !== undefined ? style.dim(` (${result.symptomSeconds.toFixed(1)} s)`) : ''}`,
    `    ${yes(result.failedBeforeFix)} checks fail before the fix`,
  ];
  for (const stage of result.escalation ?? [])
    lines.push(
      `    ${yes(stage.fired && stage.symptomsObserved)} escalation stage ${stage.stage} fires and shows: ${stage.title}${style.dim(` (${stage.seconds.toFixed(1)} s)`)}`,
    );
  for (const fix of result.wrongFixesRejected)
    lines.push(
      `    ${yes(fix.rejected)} wrong fix rejected: ${fix.title}${fix.rejected ? '' : ` (scored ${fix.score})`}`,
    );
  lines.push(`    ${yes(result.solutionPassed)} the solution passes`);
  lines.push(
    `    ${yes(result.leaked === 0)} nothing left behind${result.leaked > 0 ? ` (${plural(result.leaked, 'resource')} leaked)` : ''}`,
  );
  if (result.error) lines.push(style.bad(`    ${result.error}`));
  return lines;
}

export function gcReportLines(report: GcReport, style: Style): string[] {
  const lines: string[] = [];
  const sessions = new Set(report.removed.map((entry) => entry.session));
  if (report.removed.length === 0) lines.push('nothing to remove');
  else {
    lines.push(
      `removed ${plural(report.removed.length, 'resource')} of ${plural(sessions.size, 'abandoned session')}:`,
    );
    for (const entry of report.removed)
      lines.push(`  ${entry.kind.padEnd(9)} ${entry.name}${style.dim(`  (session ${entry.session})`)}`);
  }
  for (const kept of report.kept)
    lines.push(
      style.dim(
        `kept session ${kept.session}: it is live in ${kept.workspace || 'an unknown workspace'} (\`breakfix stop\` there removes it)`,
      ),
    );
  return lines;
}
