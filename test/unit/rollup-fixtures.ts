/** Result documents as `breakfix grade --reporter json` writes them, for the roll-up tests. */
export interface CheckSpec {
  id: string;
  max: number;
  got: number;
  errored?: boolean;
  title?: string;
}

export function result(learner: string | undefined, scenario: string, checks: CheckSpec[], endedAt: string) {
  const list = checks.map((check) => ({
    id: check.id,
    title: check.title ?? check.id,
    passed: check.got === check.max,
    errored: check.errored === true,
    points: check.got,
    maxPoints: check.max,
    message: check.got === check.max ? 'ok' : `${check.id}: expected 200, got 502`,
    durationMs: 250,
  }));
  return {
    scenario,
    passed: list.every((check) => check.passed),
    score: list.reduce((sum, check) => sum + check.points, 0),
    maxScore: list.reduce((sum, check) => sum + check.maxPoints, 0),
    checks: list,
    seed: 7,
    startedAt: new Date(Date.parse(endedAt) - 9_000).toISOString(),
    durationMs: 9_000,
    endedAt,
    ...(learner ? { learner } : {}),
    scenarioHash: 'sha256:0f',
    breakfixVersion: '0.1.0',
  };
}

export const WRONG_PORT = (reachable: number, healthy: number, notes = 20): CheckSpec[] => [
  { id: 'api-reachable', max: 40, got: reachable, title: 'The API answers on its port' },
  { id: 'api-healthy', max: 40, got: healthy, title: 'The API | is healthy' },
  { id: 'notes-work', max: 20, got: notes },
];
