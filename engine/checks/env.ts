import { createHash } from 'node:crypto';
import { z } from 'zod';
import { serviceParam } from '../params/service.js';
import { variableNameParam as name } from '../params/variable-name.js';
import { defineCheck, failed, passed } from './check.js';
import { readSecrets, workspaceFile } from './secret-files.js';

export const envCheck = defineCheck({
  type: 'env',
  summary: "Inspect the environment of a service's container. Values are compared, never printed.",
  params: z.strictObject({
    service: serviceParam,
    expect: z.strictObject({
      present: z.array(name).optional(),
      absent: z.array(name).optional(),
      equals: z.record(name, z.union([z.string(), z.number()]).transform(String)).optional(),
      absentMatching: z.array(z.string()).optional().meta({
        description: 'No variable name may match these patterns, e.g. "PASSWORD$" (a secret passed as plain env).',
      }),
      secretsExcluded: z.array(workspaceFile).optional().meta({
        description:
          "Workspace files holding secrets (e.g. secrets/db_password.txt): no variable's value, nor the container's command, entrypoint or labels, may contain a file's content — whatever the variable is called. Read at check time.",
      }),
    }),
  }),
  services: (params) => [params.service],
  async run(ctx, params) {
    const service = params.service;
    const state = await ctx.runtime.inspectContainer(ctx.service(service).container);
    if (!state) return failed(`${service}: expected a container, got none`);
    const env = new Map(
      state.env.map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
    );
    // Evidence shows names and a short fingerprint of values, so a grader can compare without seeing secrets.
    const fingerprint = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 8);
    const evidence = [...env.keys()].sort().join(', ');
    const expect = params.expect;
    for (const key of expect.present ?? [])
      if (!env.has(key)) return failed(`${service} env: expected ${key} to be set, got it missing`, evidence);
    for (const key of expect.absent ?? [])
      if (env.has(key)) return failed(`${service} env: expected ${key} to be absent, got it set`, evidence);
    for (const pattern of expect.absentMatching ?? []) {
      const hit = [...env.keys()].find((key) => new RegExp(pattern).test(key));
      if (hit !== undefined)
        return failed(`${service} env: expected no variable matching /${pattern}/, got ${hit}`, evidence);
    }
    for (const [key, value] of Object.entries(expect.equals ?? {})) {
      const actual = env.get(key);
      if (actual !== value) {
        return failed(
          `${service} env: expected ${key} to have the required value, got ${actual === undefined ? 'it missing' : `a different value (sha256 ${fingerprint(actual)}…)`}`,
          evidence,
        );
      }
    }
    if (expect.secretsExcluded) {
      const exposed = await readSecrets(ctx.lab.workspace, expect.secretsExcluded);
      if (typeof exposed === 'string') return failed(`${service}: ${exposed}`, evidence);
      const config = [...env.values(), ...state.command, ...state.entrypoint, ...Object.values(state.labels)];
      for (const [file, secret] of exposed) {
        const where = [...env.entries()].find(([, value]) => value.includes(secret))?.[0];
        if (where !== undefined)
          return failed(`${service} env: expected the secret of ${file} in no variable, got it in ${where}`, evidence);
        if (config.some((part) => part.includes(secret)))
          return failed(
            `${service}: expected the secret of ${file} nowhere in the container's configuration, got it in its command, entrypoint or labels (\`docker inspect\` shows it)`,
            evidence,
          );
      }
    }
    return passed(`${service} env: as expected`, evidence);
  },
});
