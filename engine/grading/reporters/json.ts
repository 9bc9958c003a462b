/**
 * `--reporter json`: the contract shape `{scenario, passed, score, maxScore, checks:[{id,
 * passed, errored, points, message}]}` (engine/grading/report.ts `toContractJson`), plus fields
 * consumers may ignore: per check its title, type, status, maxPoints, evidence, hint and
 * duration; for the round its seed, start time and duration; for a grading (`breakfix grade`)
 * also the learner, the scenario file's hash, the breakfix version and the end time, so that
 * `breakfix report` can roll many result files up into a class view.
 */
import { toContractJson, type GradeReport } from '../report.js';

export function reportJson(report: GradeReport) {
  const contract = toContractJson(report);
  return {
    ...contract,
    checks: contract.checks.map((check, index) => {
      const source = report.checks[index]!;
      return {
        ...check,
        title: source.title,
        type: source.type,
        status: source.status,
        ...(!source.passed && source.hint ? { hint: source.hint } : {}),
        durationMs: source.durationMs,
      };
    }),
    ...(report.seed !== undefined ? { seed: report.seed } : {}),
    startedAt: report.startedAt,
    durationMs: report.durationMs,
    ...(report.endedAt !== undefined ? { endedAt: report.endedAt } : {}),
    ...(report.learner !== undefined ? { learner: report.learner } : {}),
    ...(report.scenarioHash !== undefined ? { scenarioHash: report.scenarioHash } : {}),
    ...(report.breakfixVersion !== undefined ? { breakfixVersion: report.breakfixVersion } : {}),
    ...(report.course !== undefined ? { course: report.course } : {}),
  };
}

export type ReportJson = ReturnType<typeof reportJson>;

export function renderJson(report: GradeReport): string {
  return `${JSON.stringify(reportJson(report), null, 2)}\n`;
}
