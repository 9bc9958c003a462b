// Preloaded with `node --import` by test/e2e/cli-startup.test.ts: records every module the
// process resolves (ESM imports and CommonJS requires alike, through Node's synchronous module
// hooks) as `importer<TAB>module` lines in $RECORD_IMPORTS_TO, written on exit, so a test can
// say not only *that* a heavy module loaded but through which chain of imports.
// Plain JavaScript on purpose: it runs before any TypeScript tooling could.
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const edges = new Map();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const result = nextResolve(specifier, context);
    if (!edges.has(result.url)) edges.set(result.url, context.parentURL ?? '');
    return result;
  },
});
process.on('exit', () => {
  if (!process.env.RECORD_IMPORTS_TO) return;
  writeFileSync(process.env.RECORD_IMPORTS_TO, [...edges].map(([url, parent]) => `${parent}\t${url}`).join('\n'));
});
