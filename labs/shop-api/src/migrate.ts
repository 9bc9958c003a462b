// Applies migrations/NNN_name.sql in order, each in its own transaction with its row in
// schema_migrations, under an advisory lock. Run once per deploy, before the api starts.
import { readdirSync, readFileSync } from 'fs';
import path from 'path';
import { Client } from 'pg';
import { pgSettings, readSecret } from './config';
import { configureLog, log } from './log';

const LOCK = 7314001;

async function main(): Promise<void> {
  configureLog('info', { service: 'shop-migrate' });
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  const password = readSecret(process.env.DATABASE_PASSWORD_FILE ?? '/run/secrets/db_password', 'database password');
  const dir = path.join(__dirname, '..', 'migrations');
  const files = readdirSync(dir).filter((name) => name.endsWith('.sql')).sort();
  for (const name of files) if (!/^\d{3}_[a-z0-9_]+\.sql$/.test(name)) throw new Error(`badly named migration: ${name}`);
  const client = new Client({ ...pgSettings(url, password), application_name: 'shop-migrate' });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const applied = new Set((await client.query<{ version: string }>('SELECT version FROM schema_migrations')).rows.map((row) => row.version));
    let count = 0;
    for (const name of files) {
      const version = name.slice(0, 3);
      if (applied.has(version)) continue;
      const started = Date.now();
      await client.query('BEGIN');
      try {
        await client.query(readFileSync(path.join(dir, name), 'utf8'));
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [version, name]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`${name}: ${(error as Error).message}`);
      }
      count += 1;
      log('info', 'applied migration', { name, ms: Date.now() - started });
    }
    log('info', count > 0 ? 'migrations applied' : 'database is up to date', { applied: count, total: files.length });
  } finally {
    await client.end();
  }
}

main().catch((error: Error) => {
  log('fatal', 'migration failed', { error: error.message });
  process.exit(1);
});
