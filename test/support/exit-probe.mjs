// Loaded with `node --import` into a breakfix process under test: records when the process last
// wrote to stdout or stderr, when it exited, whether it ended by itself (Node emits
// 'beforeExit' only when the event loop ran empty: no live handle left, no process.exit()),
// and — if it was still alive 2 s after its last output — which handles kept it alive, with
// the stack that created each one. Writes JSON to $BREAKFIX_EXIT_PROBE on exit.
import { createHook } from 'node:async_hooks';
import { writeFileSync } from 'node:fs';

const file = process.env.BREAKFIX_EXIT_PROBE;
const LINGER_MS = 2_000;
// Handle types that keep the event loop alive; promises and the like do not.
const HANDLES = new Set([
  'TCPWRAP',
  'PIPEWRAP',
  'Timeout',
  'TTYWRAP',
  'PROCESSWRAP',
  'SIGNALWRAP',
  'FSEVENTWRAP',
  'UDPWRAP',
  'TLSWRAP',
  'HTTPCLIENTREQUEST',
  'Immediate',
]);
const alive = new Map();
createHook({
  init(id, type) {
    if (HANDLES.has(type)) alive.set(id, { type, stack: new Error().stack?.split('\n').slice(3, 12).join('\n') ?? '' });
  },
  destroy(id) {
    alive.delete(id);
  },
}).enable();

/** When the process last wrote to stdout or stderr; null until it writes anything. */
let lastOutput = null;
let lingering;
for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream);
  stream.write = (...args) => {
    lastOutput = Date.now();
    lingering = undefined;
    return write(...args);
  };
}

const watch = setInterval(() => {
  // The latest picture taken more than LINGER_MS after the last output: what kept it alive.
  if (lastOutput !== null && Date.now() - lastOutput > LINGER_MS) {
    lingering = { resources: process.getActiveResourcesInfo(), handles: [...alive.values()] };
  }
}, 250);
watch.unref();

let emptied = false;
process.on('beforeExit', () => {
  emptied = true;
});

process.on('exit', (code) => {
  if (!file) return;
  writeFileSync(
    file,
    JSON.stringify(
      { code, emptied, lastOutputAt: lastOutput, exitAt: Date.now(), lingering: lingering ?? null },
      null,
      2,
    ),
  );
});
