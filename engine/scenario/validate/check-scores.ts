/** Phase: check ids are unique and the checks' points add up to `maxScore`. */
import { isDict } from '../../source/dict.js';
import { problem, type Problem } from '../../source/issues.js';
import type { DocumentPhase } from './document-phase.js';

export const checkScores: DocumentPhase = ({ data }) => {
  if (!Array.isArray(data.checks)) return [];
  const problems: Problem[] = [];
  const firstIndex = new Map<string, number>();
  let sum = 0;
  let countable = true;
  data.checks.forEach((check, index) => {
    if (!isDict(check)) {
      countable = false;
      return;
    }
    if (typeof check.id === 'string') {
      const previous = firstIndex.get(check.id);
      if (previous !== undefined)
        problems.push(
          problem(['checks', index, 'id'], `duplicate check id \`${check.id}\` (first used by checks[${previous}])`),
        );
      else firstIndex.set(check.id, index);
    }
    if (typeof check.points === 'number' && Number.isInteger(check.points) && check.points > 0) sum += check.points;
    else countable = false;
  });
  const maxScore = data.maxScore === undefined ? 100 : data.maxScore;
  if (
    countable &&
    typeof maxScore === 'number' &&
    Number.isInteger(maxScore) &&
    maxScore > 0 &&
    sum !== maxScore &&
    data.checks.length > 0
  ) {
    const gap = maxScore - sum;
    problems.push(
      problem(
        ['checks'],
        `the checks' points add up to ${sum}, but maxScore is ${maxScore}${data.maxScore === undefined ? ' (the default)' : ''}: ${gap > 0 ? `add ${gap}` : `remove ${-gap}`} points or set maxScore: ${sum}`,
        'key',
      ),
    );
  }
  return problems;
};
