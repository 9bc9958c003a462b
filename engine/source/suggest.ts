import { distance } from 'fastest-levenshtein';

/** The candidate closest to `word`, when it is close enough to be a plausible typo. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const other = candidate.toLowerCase();
    let score = distance(lower, other);
    // `env` for `environment`, `health` for `healthcheck`: a clear prefix is a good guess too.
    if (lower.length >= 3 && (other.startsWith(lower) || lower.startsWith(other))) score = Math.min(score, 1.5);
    if (lower.replace(/[-_.]/g, '') === other.replace(/[-_.]/g, '')) score = Math.min(score, 0.5);
    if (isTransposition(lower, other)) score = Math.min(score, 1);
    if (score < bestScore) {
      bestScore = score;
      best = candidate;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(1, Math.floor(Math.max(word.length, best.length) / 3));
  return bestScore <= limit ? best : undefined;
}

/** `; did you mean \`x\`?` or the empty string. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const suggestion = closest(word, candidates);
  return suggestion === undefined ? '' : `; did you mean \`${suggestion}\`?`;
}

/** `prot` for `port`: two neighbouring letters swapped. */
function isTransposition(a: string, b: string): boolean {
  if (a.length !== b.length || a === b) return false;
  const diff: number[] = [];
  for (let index = 0; index < a.length; index += 1) if (a[index] !== b[index]) diff.push(index);
  const [i, j] = diff;
  return diff.length === 2 && i !== undefined && j === i + 1 && a[i] === b[j] && a[j] === b[i];
}
