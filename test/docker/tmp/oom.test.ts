import path from 'node:path';
import { writeFile, readFile } from 'node:fs/promises';
import { afterAll, it } from 'vitest';
import { LabHarness, waitFor } from '../../support/lab-harness.js';

const h = new LabHarness({ tag: 'oomx', labSource: path.resolve(import.meta.dirname, '../../../labs/shop-api') });
afterAll(async () => {
  await h.cleanup();
});

async function variant(mem: string, nodeOptions: string | undefined, conc: number, reqs: number, days: number) {
  const file = path.join(h.workspace, 'compose.yaml');
  let text = await readFile(file, 'utf8');
  text = text.replace(/    mem_limit: \d+m\n    logging:/, `    mem_limit: ${mem}\n    logging:`);
  text = text.replace(
    /      PORT: "8080"\n(      NODE_OPTIONS: .*\n)?/,
    `      PORT: "8080"\n${nodeOptions ? `      NODE_OPTIONS: "${nodeOptions}"\n` : ''}`,
  );
  await writeFile(file, text);
  await h.deploy();
  await waitFor(
    'healthy',
    async () =>
      (await h.runtime.inspectContainer(h.service('api').container))?.health === 'healthy' ? true : undefined,
    120_000,
    500,
  );
  const started = performance.now();
  const load = await h.check(
    'load',
    {
      service: 'api',
      path: `/reports/sales?days=${days}`,
      requests: reqs,
      concurrency: conc,
      requestTimeout: '20s',
      expect: { successRatio: 1 },
    },
    { timing: { timeoutMs: 180_000 } },
  );
  const state = await h.runtime.inspectContainer(h.service('api').container);
  const logs = await h.runtime.logs(h.service('api').container, { tail: 400 });
  console.log(
    'ERRORS',
    [
      ...new Set(
        logs
          .split('\n')
          .filter((l) => l.includes('"error"'))
          .map((l) => l.replace(/"ts":"[^"]*",/, '').slice(0, 300)),
      ),
    ]
      .slice(0, 5)
      .join('\n'),
  );
  console.log(
    `VARIANT mem=${mem} opts=${nodeOptions} c=${conc} n=${reqs} days=${days}: ${load.status} ${load.message} | oom=${state?.oomKilled} restarts=${state?.restartCount} ${Math.round(performance.now() - started)}ms`,
  );
}

it('explores', async () => {
  await h.prepare();
  const variants = (process.env.OOM_VARIANTS ?? '128m||4|24|90').split(';');
  for (const v of variants) {
    const [mem, opts, c, n, d] = v.split('|');
    await variant(mem!, opts || undefined, Number(c), Number(n), Number(d));
  }
}, 1_800_000);
