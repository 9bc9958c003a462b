/**
 * Run in a fresh process by the `cli` benchmark: how long importing the engine's entry and
 * connecting to Docker take, the fixed cost of every learner command that touches a lab.
 * Prints one JSON line.
 */
const started = performance.now();
const engine = await import('../engine/index.js');
const imported = performance.now();
const runtime = await engine.connect();
await runtime.info();
const connected = performance.now();
process.stdout.write(
  `${JSON.stringify({ importMs: imported - started, connectMs: connected - imported, processMs: performance.now() })}\n`,
);
