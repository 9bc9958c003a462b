/**
 * Static checks of the notes-api lab (no Docker): its compose.yaml is valid Compose that
 * breakfix can deploy, its Dockerfiles build a non-root runtime image with the legacy builder,
 * and its releases and reference fixes fit together.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadCompose } from '../../engine/compose/index.js';

const lab = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../labs/notes-api');
const read = (file: string) => fs.readFileSync(path.join(lab, file), 'utf8');

type Service = Record<string, unknown>;
interface ComposeFile {
  services: Record<string, Service>;
  secrets?: Record<string, { file?: string }>;
  volumes?: Record<string, unknown>;
}

const compose = parse(read('compose.yaml')) as ComposeFile;

/** The Compose subset breakfix deploys (engine/compose). */
const TOP_LEVEL_KEYS = ['services', 'secrets', 'volumes'];
const SERVICE_KEYS = [
  'image',
  'build',
  'environment',
  'env_file',
  'ports',
  'secrets',
  'volumes',
  'healthcheck',
  'depends_on',
  'command',
  'entrypoint',
  'user',
  'restart',
  'mem_limit',
  'labels',
  'logging',
];
const BUILD_KEYS = ['context', 'dockerfile', 'args', 'target'];
const HEALTHCHECK_KEYS = ['test', 'interval', 'timeout', 'retries', 'start_period', 'disable'];
const CONDITIONS = ['service_started', 'service_healthy', 'service_completed_successfully'];

interface Stage {
  name: string | undefined;
  from: string;
  lines: string[];
}

/** Splits a Dockerfile into stages, joining continuation lines and dropping comments. */
function stages(dockerfile: string): { args: Record<string, string>; stages: Stage[] } {
  const logical = dockerfile
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const args: Record<string, string> = {};
  const result: Stage[] = [];
  for (const line of logical) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?$/i.exec(line);
    if (from) {
      result.push({ from: from[1]!, name: from[2], lines: [] });
    } else if (result.length === 0) {
      const arg = /^ARG\s+(\w+)=(\S*)$/i.exec(line);
      if (arg) args[arg[1]!] = arg[2]!;
    } else {
      result.at(-1)!.lines.push(line);
    }
  }
  return { args, stages: result };
}

function checkDockerfile(file: string) {
  const text = read(file);
  const parsed = stages(text);
  const resolve = (image: string) => image.replace(/\$\{(\w+)\}/g, (_, name: string) => parsed.args[name] ?? '');
  expect(parsed.stages.length, 'a multi-stage build').toBeGreaterThanOrEqual(2);
  for (const stage of parsed.stages) {
    expect(resolve(stage.from), `${file}: stages build FROM breakfix's local images`).toMatch(/^breakfix\//);
  }
  // The legacy builder (Engine 20.10 without BuildKit) supports neither of these.
  expect(text).not.toMatch(/RUN\s+--mount/);
  expect(text).not.toMatch(/<<-?\s*['"]?[A-Z]+/);
  const runtime = parsed.stages.at(-1)!;
  expect(runtime.name).toBe('runtime');
  const users = runtime.lines.filter((line) => /^USER\s/i.test(line)).map((line) => line.split(/\s+/)[1]!);
  expect(users.length, `${file}: the runtime stage sets USER`).toBeGreaterThan(0);
  const user = users.at(-1)!.split(':')[0]!;
  expect(['root', '0']).not.toContain(user);
  expect(runtime.lines).toContain('EXPOSE 8080');
  expect(
    runtime.lines.some((line) => /^CMD\s+\[/.test(line)),
    'exec-form CMD: python is PID 1 and gets SIGTERM',
  ).toBe(true);
  expect(runtime.lines.some((line) => /^COPY\s+--from=build\s/.test(line))).toBe(true);
  return parsed;
}

describe('labs/notes-api compose.yaml', () => {
  it('is valid against the Compose Specification', () => {
    // The official schema, as vendored by engine/compose (see compose-spec.SOURCE.md there).
    const schema = JSON.parse(
      fs.readFileSync(path.resolve(lab, '../../engine/compose/compose-spec.json'), 'utf8'),
    ) as Record<string, unknown>;
    delete schema.$schema;
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    const validate = ajv.compile(schema);
    expect(validate(compose), ajv.errorsText(validate.errors)).toBe(true);
  });

  it("loads into breakfix's deploy plan without errors or warnings", () => {
    const result = loadCompose(lab);
    expect(result.ok ? [] : result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  it('uses only the keys breakfix deploys', () => {
    expect(Object.keys(compose).filter((key) => !TOP_LEVEL_KEYS.includes(key))).toEqual([]);
    for (const [name, service] of Object.entries(compose.services)) {
      expect(
        Object.keys(service).filter((key) => !SERVICE_KEYS.includes(key)),
        name,
      ).toEqual([]);
      if (typeof service.build === 'object') {
        expect(
          Object.keys(service.build as object).filter((key) => !BUILD_KEYS.includes(key)),
          name,
        ).toEqual([]);
      }
      if (service.healthcheck) {
        const keys = Object.keys(service.healthcheck as object);
        expect(
          keys.filter((key) => !HEALTHCHECK_KEYS.includes(key)),
          name,
        ).toEqual([]);
      }
      if (service.depends_on !== undefined) {
        expect(Array.isArray(service.depends_on), `${name}: depends_on in long form`).toBe(false);
        for (const [dependency, spec] of Object.entries(service.depends_on as Record<string, { condition: string }>)) {
          expect(Object.keys(compose.services)).toContain(dependency);
          expect(CONDITIONS).toContain(spec.condition);
        }
      }
      if (service.environment !== undefined) {
        expect(Array.isArray(service.environment), `${name}: environment in map form`).toBe(false);
      }
    }
  });

  it('publishes container ports only: breakfix picks the host port on 127.0.0.1', () => {
    const ports = Object.values(compose.services).flatMap((service) => (service.ports as unknown[]) ?? []);
    expect(ports.length).toBeGreaterThan(0);
    for (const port of ports) {
      expect(String(port)).toMatch(/^\d+(\/tcp)?$/);
    }
  });

  it('mounts named volumes and declared secrets only, and the secret file exists', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const volume of (service.volumes as string[]) ?? []) {
        const source = volume.split(':')[0]!;
        expect(source, `${name}: no bind mounts`).not.toMatch(/^[./~]/);
        expect(Object.keys(compose.volumes ?? {})).toContain(source);
      }
      for (const secret of (service.secrets as string[]) ?? []) {
        expect(Object.keys(compose.secrets ?? {})).toContain(secret);
      }
    }
    for (const secret of Object.values(compose.secrets ?? {})) {
      expect(fs.existsSync(path.join(lab, secret.file!))).toBe(true);
    }
  });

  it('runs the api as a healthchecked, secret-fed service after the migrate job', () => {
    const api = compose.services.api!;
    const env = api.environment as Record<string, string>;
    expect(Object.keys(env)).toEqual(
      expect.arrayContaining(['PORT', 'DATABASE_HOST', 'DATABASE_NAME', 'DATABASE_USER', 'DATABASE_PASSWORD_FILE']),
    );
    expect(Object.keys(env).filter((key) => /PASSWORD$/.test(key))).toEqual([]);
    expect(api.secrets).toContain('db_password');
    // PORT comes from .env (API_PORT, default 8080): the published container port is its default.
    expect(env.PORT).toBe('${API_PORT:-8080}');
    expect(api.ports).toEqual(['8080']);
    expect((api.healthcheck as { test: string[] }).test.join(' ')).toContain('http://127.0.0.1:8080/health');
    expect(api.depends_on).toEqual({
      db: { condition: 'service_healthy' },
      migrate: { condition: 'service_completed_successfully' },
    });
    const migrate = compose.services.migrate!;
    expect(migrate.image).toBe(api.image);
    expect(migrate.command).toEqual(['python3', '-m', 'app.migrate']);
  });

  it('tags the image with the version of the source', () => {
    const version = read('VERSION').trim();
    expect(compose.services.api!.image).toBe(`notes-api:${version}`);
  });
});

describe('labs/notes-api Dockerfiles', () => {
  it('the current release builds a non-root runtime stage', () => {
    const { stages: built } = checkDockerfile('Dockerfile');
    const target = (compose.services.api!.build as { target?: string }).target;
    expect(built.map((stage) => stage.name)).toContain(target);
  });

  it('the previous release (releases/1.4.0) is a complete tree that builds the same way', () => {
    checkDockerfile('releases/1.4.0/Dockerfile');
    expect(read('releases/1.4.0/VERSION').trim()).toBe('1.4.0');
    for (const file of ['app/__main__.py', 'app/migrate.py', 'tests/unit/test_api.py', '.dockerignore']) {
      expect(fs.existsSync(path.join(lab, 'releases/1.4.0', file)), file).toBe(true);
    }
  });

  it('keeps secrets out of the build context', () => {
    const ignored = read('.dockerignore').split('\n');
    expect(ignored).toContain('secrets/');
  });
});

describe('labs/notes-api migrations and fixes', () => {
  const list = (dir: string) =>
    fs
      .readdirSync(path.join(lab, dir))
      .filter((file) => file.endsWith('.sql'))
      .sort();

  it('1.4.0 ships a prefix of 2.0.0 migration history, byte for byte', () => {
    const current = list('migrations');
    const previous = list('releases/1.4.0/migrations');
    expect(current.slice(0, previous.length)).toEqual(previous);
    expect(current.length).toBeGreaterThan(previous.length);
    for (const file of previous) {
      expect(read(`releases/1.4.0/migrations/${file}`)).toBe(read(`migrations/${file}`));
    }
  });

  it('the expand/contract fix replaces the naive migration file by name (a solution overlay can only add or overwrite)', () => {
    const naive = list('migrations').at(-1)!;
    expect(list('fixes/rollback-schema-change/expand/migrations')).toEqual([naive]);
    const expand = read(`fixes/rollback-schema-change/expand/migrations/${naive}`);
    expect(expand).not.toMatch(/RENAME\s+COLUMN/i);
    expect(expand).toMatch(/CREATE TRIGGER/);
  });
});
