/**
 * `breakfix` with no command: where the learner is — the workspace they stand in, the labs that
 * are up, their progress, the last lab — and the next unsolved scenario of the course with the
 * command that starts it (as rustlings greets its users). Reads files only: it answers at once,
 * even without Docker.
 */
import { homeLines } from '../render/journey.js';
import { loadEngine } from '../shared/engine.js';
import type { ExitOutcome } from '../shared/exit.js';
import { commandIO, printJson, printLines } from '../shared/io.js';

export async function runHome(options: { json?: boolean } = {}): Promise<ExitOutcome> {
  const io = commandIO(options.json === true);
  const engine = await loadEngine();
  const journey = await engine.describeLearnerJourney();
  if (io.json) printJson(io, journey);
  else printLines(io.out, homeLines(journey, io.style));
  return 'ok';
}
