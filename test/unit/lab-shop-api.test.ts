/**
 * Static checks of the shop-api lab (no Docker): compose loads into a deploy plan with the api
 * depending on db, cache and the migrate job; the Dockerfile is a real multi-stage build (the
 * runtime stage takes the compiled output from the build stage, has no compiler, runs as a
 * non-root user, exec-form CMD); secrets stay out of the build context and out of git; the two
 * environment files differ where the scenarios rely on it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadComposePlan } from '../../engine/compose/load-plan.js';

const lab = path.resolve(import.meta.dirname, '../../labs/shop-api');
const read = (file: string) => fs.readFileSync(path.join(lab, file), 'utf8');

function stages(dockerfile: string): Array<{ from: string; name: string; lines: string[] }> {
  const out: Array<{ from: string; name: string; lines: string[] }> = [];
  const joined = dockerfile.replace(/\\\n/g, ' ');
  for (const line of joined.split('\n').map((text) => text.trim())) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) out.push({ from: from[1]!, name: from[2] ?? '', lines: [] });
    else if (line && !line.startsWith('#')) out.at(-1)?.lines.push(line);
  }
  return out;
}

function envFile(file: string): Record<string, string> {
  return Object.fromEntries(
    read(file)
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

describe('labs/shop-api', () => {
  it('loads into a deploy plan: db, cache, migrate, api, the api waiting for all three', async () => {
    const plan = await loadComposePlan(lab);
    expect(Object.keys(plan.services).sort()).toEqual(['api', 'cache', 'db', 'migrate']);
    const api = plan.services.api!;
    expect(api.dependsOn.map((dep) => `${dep.service}:${dep.condition}`).sort()).toEqual([
      'cache:service_healthy',
      'db:service_healthy',
      'migrate:service_completed_successfully',
    ]);
    expect(api.ports.map((port) => port.container)).toEqual([8080]);
    expect(api.environment.NODE_ENV).toBe('production');
    expect(api.secrets.map((secret) => secret.name).sort()).toEqual(['admin_api_key', 'db_password']);
    expect(plan.services.migrate!.command).toEqual(['node', 'dist/migrate.js']);
  });

  it('builds in two stages: the runtime takes dist/ from the build, has no compiler, runs as shop', () => {
    const [build, runtime] = stages(read('Dockerfile'));
    expect(build).toMatchObject({ from: 'breakfix/node-build:18', name: 'build' });
    expect(build!.lines.some((line) => /^RUN tsc\b/.test(line))).toBe(true);
    expect(runtime).toMatchObject({ from: 'breakfix/node:18', name: 'runtime' });
    expect(runtime!.lines).toContain('COPY --from=build /src/dist/ ./dist/');
    expect(runtime!.lines.filter((line) => /^COPY\s+(?!--from)/.test(line)).join(' ')).not.toMatch(/src\//);
    expect(runtime!.lines.filter((line) => /^USER /.test(line))).toEqual(['USER shop:shop']);
    expect(runtime!.lines).toContain('CMD ["node", "dist/server.js"]');
    expect(runtime!.lines.join('\n')).toMatch(/install -d -o shop -g shop -m 0750 \/var\/lib\/shop/);
  });

  it('keeps secrets and settings out of the build context and secrets out of git', () => {
    const ignored = read('.dockerignore').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['*', 'secrets/', 'config/']));
    expect(read('.gitignore').split('\n')).toEqual(expect.arrayContaining(['secrets/*.txt', '.breakfix/']));
    for (const file of ['secrets/db_password.txt', 'secrets/admin_api_key.txt'])
      expect(fs.statSync(path.join(lab, file)).mode & 0o044).toBe(0o044);
  });

  it('has production and development settings that differ where the scenarios look', () => {
    const production = envFile('config/production.env');
    const development = envFile('config/development.env');
    expect(production).toMatchObject({ NODE_ENV: 'production', LOG_LEVEL: 'info', REDIS_URL: 'redis://cache:6379/0' });
    expect(production.DATABASE_URL).toMatch(/@db:5432\/shop$/);
    expect(development).toMatchObject({ NODE_ENV: 'development', LOG_LEVEL: 'debug' });
    expect(development.DATABASE_URL).not.toBe(production.DATABASE_URL);
    for (const env of [production, development]) expect(env.DATABASE_URL).not.toMatch(/:[^/@]+@/);
  });

  it('vendors the typings Debian lacks, with their licences', () => {
    for (const name of ['express-serve-static-core', 'connect', 'range-parser', 'mime']) {
      expect(fs.existsSync(path.join(lab, 'types', name, 'index.d.ts')), name).toBe(true);
      expect(fs.existsSync(path.join(lab, 'types', name, 'LICENSE')), name).toBe(true);
    }
  });

  it('ships numbered migrations and a VERSION matching package.json', () => {
    expect(fs.readdirSync(path.join(lab, 'migrations')).sort()).toEqual([
      '001_products.sql',
      '002_orders.sql',
      '003_order_history.sql',
    ]);
    expect(read('VERSION').trim()).toBe((JSON.parse(read('package.json')) as { version: string }).version);
  });
});
