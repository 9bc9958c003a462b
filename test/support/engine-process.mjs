// One engine operation in its own process, as each CLI command is: used by the tests that prove
// a session survives across processes. Prints the result as JSON on stdout.
// usage: node engine-process.mjs start <scenario> <workspace> <seed> | send <workspace> <EVENT>
const api = await import(new URL('../../dist/engine/api.js', import.meta.url).href);
const { exitCodeOf } = await import(new URL('../../dist/engine/errors.js', import.meta.url).href);
const [operation, ...args] = process.argv.slice(2);
try {
  const result =
    operation === 'start'
      ? await api.startLabSession({ scenario: args[0], workspace: args[1], seed: Number(args[2]) })
      : await api.sendToLab(args[0], args[1]);
  process.stdout.write(
    JSON.stringify({
      state: result.state,
      sessionId: result.sessionId,
      report: result.context.lastReport ?? null,
      lastFailure: result.context.lastFailure ?? null,
    }),
  );
} catch (error) {
  process.stderr.write(`${error.message}\n`);
  process.exitCode = exitCodeOf(error);
}
