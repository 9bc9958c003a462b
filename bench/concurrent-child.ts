/**
 * Run in its own process by the `concurrent` benchmark, so that its peak RSS is the engine's
 * alone: starts N labs at once (Promise.all of startLab on distinct workspaces), reports, holds
 * them briefly, stops them all, reports again. One JSON line per phase on stdout:
 *
 *   {"phase":"started", wallMs, ok, failures:[{workspace, error}], perSessionMs:[…], maxRssKb, rssKb, sessionIds:[…]}
 *   {"phase":"stopped", wallMs, failures:[…], maxRssKb}
 *
 * Usage: node dist/bench/concurrent-child.js <n> <scenario> <root>
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { connect, sendToLab, startLabSession as startLab } from '../engine/api.js';

const [countText, scenario, root] = process.argv.slice(2);
const count = Number(countText);
if (!Number.isInteger(count) || count < 1 || !scenario || !root) {
  process.stderr.write('usage: concurrent-child <n> <scenario> <root>\n');
  process.exit(2);
}
const emit = (value: object) => process.stdout.write(`${JSON.stringify(value)}\n`);
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

const runtime = await connect();
await mkdir(root, { recursive: true });
const workspaces = Array.from({ length: count }, (_, index) => path.join(root, `${scenario}-c${index + 1}`));

const started = performance.now();
const results = await Promise.all(
  workspaces.map(async (workspace, index) => {
    const begun = performance.now();
    try {
      const result = await startLab({ scenario, workspace, seed: index + 1, runtime });
      const ok = result.state === 'active';
      return {
        workspace,
        ms: performance.now() - begun,
        ok,
        sessionId: result.sessionId,
        ...(ok ? {} : { error: result.context.error?.message ?? `ended in ${result.state}` }),
      };
    } catch (error) {
      return { workspace, ms: performance.now() - begun, ok: false, error: message(error) };
    }
  }),
);
const wallMs = performance.now() - started;
emit({
  phase: 'started',
  wallMs,
  ok: results.filter((result) => result.ok).length,
  failures: results
    .filter((result) => !result.ok)
    .map((result) => ({ workspace: path.basename(result.workspace), error: result.error })),
  perSessionMs: results.map((result) => result.ms),
  maxRssKb: process.resourceUsage().maxRSS,
  rssKb: Math.round(process.memoryUsage().rss / 1024),
  sessionIds: results.flatMap((result) => ('sessionId' in result ? [result.sessionId] : [])),
});

const stopStarted = performance.now();
const stops = await Promise.all(
  workspaces.map((workspace) =>
    sendToLab(workspace, 'STOP', { runtime }).then(
      () => undefined,
      (error: unknown) => ({ workspace: path.basename(workspace), error: message(error) }),
    ),
  ),
);
emit({
  phase: 'stopped',
  wallMs: performance.now() - stopStarted,
  failures: stops.filter(Boolean),
  maxRssKb: process.resourceUsage().maxRSS,
});
