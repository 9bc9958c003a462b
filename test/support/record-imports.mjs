// Preloaded with `node --import` by test/e2e/cli-startup.test.ts: records the URL of every
// module the process resolves (ESM imports and CommonJS requires alike, through Node's
// synchronous module hooks) and writes them, one per line, to $RECORD_IMPORTS_TO on exit.
// Plain JavaScript on purpose: it runs before any TypeScript tooling could.
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const seen = new Set();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const result = nextResolve(specifier, context);
    seen.add(result.url);
    return result;
  },
});
process.on('exit', () => {
  if (process.env.RECORD_IMPORTS_TO) writeFileSync(process.env.RECORD_IMPORTS_TO, [...seen].join('\n'));
});
