/**
 * Workspace faults (compose.set, compose.unset, file.replace, file.remove, file.write, env.set,
 * env.unset) applied through their registry definitions to a real workspace copy of the tiny
 * lab. Their effect is read back from the files and from the deploy plan the engine would
 * deploy (loadComposePlan): comments survive, list-form `environment` works, and a fault that
 * finds nothing to change throws FaultError. Deploying such an edit for real is covered by
 * faults-runtime.test.ts (compose.set → the container's environment).
 */
import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { loadComposePlan } from '../../engine/compose/load-plan.js';
import type { Lab } from '../../engine/deploy/lab.js';
import type { FaultContext } from '../../engine/faults/fault.js';
import { findFault } from '../../engine/faults/registry.js';
import type { Runtime } from '../../engine/runtime/runtime.js';
import { TINY_LAB, TINY_SECRETS } from '../support/lab-harness.js';

let root: string;
let workspace: string;

/** Workspace faults never touch Docker: a runtime that throws proves it. */
const noDocker = new Proxy({} as Runtime, {
  get: (_, name) => () => Promise.reject(new Error(`workspace faults must not call runtime.${String(name)}`)),
});

function context(): FaultContext {
  const lab: Lab = { sessionId: 'tws000', scenarioId: 'test-workspace-faults', workspace };
  return {
    lab,
    runtime: noDocker,
    labSource: TINY_LAB,
    network: 'bf-tws000-net',
    service: (name) => ({ container: `bf-tws000-${name}`, image: `bf-tws000/${name}:latest` }),
  };
}

async function apply(type: string, params: Record<string, unknown>): Promise<string> {
  const definition = findFault(type);
  if (!definition) throw new Error(`no fault type ${type}`);
  expect(definition.phase).toBe('workspace');
  return definition.inject(context(), definition.params.parse(params));
}

async function failure(type: string, params: Record<string, unknown>): Promise<Error> {
  const error = await apply(type, params).then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error, `${type} ${JSON.stringify(params)} must fail`).toBeInstanceOf(Error);
  return error as Error;
}

const read = (file: string) => readFile(path.join(workspace, file), 'utf8');

beforeEach(async () => {
  root ??= await mkdtemp(path.join(os.tmpdir(), 'bf-faults-workspace-'));
  workspace = path.join(root, `ws-${Math.random().toString(36).slice(2, 8)}`);
  await cp(TINY_LAB, workspace, { recursive: true });
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('compose.set', () => {
  it('sets a map-form key, keeps every comment, and the plan deploys the new value', async () => {
    const before = await read('compose.yaml');
    expect(await apply('compose.set', { path: 'services.db.environment.POSTGRES_DB', value: 'other' })).toBe(
      'set services.db.environment.POSTGRES_DB in compose.yaml',
    );
    const after = await read('compose.yaml');
    expect(after).toContain('POSTGRES_DB: other');
    for (const comment of before.split('\n').filter((line) => line.trim().startsWith('#')))
      expect(after).toContain(comment);
    expect(after).toContain("# the site's greeting");
    // Exactly one line changed.
    const changed = after.split('\n').filter((line, index) => line !== before.split('\n')[index]);
    expect(changed).toEqual(['      POSTGRES_DB: other']);
    expect((await loadComposePlan(workspace)).services.db?.environment.POSTGRES_DB).toBe('other');
  });

  it('replaces a KEY=value item of a list-form environment in place, keeping its comment', async () => {
    await apply('compose.set', { path: 'services.web.environment.GREETING', value: 'bonjour' });
    const after = await read('compose.yaml');
    expect(after).toContain('- GREETING=bonjour');
    expect(after).not.toContain('GREETING=hello');
    expect(after).toContain("# the site's greeting");
    const plan = await loadComposePlan(workspace);
    expect(plan.services.web?.environment).toMatchObject({ GREETING: 'bonjour', API_TOKEN: TINY_SECRETS.apiToken });
  });

  it('appends a new KEY=value item to a list-form environment (never turns the list into a map)', async () => {
    await apply('compose.set', { path: 'services.web.environment.PORT', value: 9000 });
    const after = await read('compose.yaml');
    expect(after).toMatch(/- API_TOKEN=\$\{API_TOKEN\}\n\s+- PORT=9000\n/);
    expect((await loadComposePlan(workspace)).services.web?.environment.PORT).toBe('9000');
  });

  it('creates missing parents, handles bracketed keys, and writes structured values', async () => {
    await apply('compose.set', { path: 'services.web.labels["com.example.team"]', value: 'blue' });
    await apply('compose.set', { path: 'services.web.ports', value: ['8001'] });
    await apply('compose.set', {
      path: 'services.quiet.healthcheck',
      value: { test: ['CMD', 'true'], interval: '2s' },
    });
    const plan = await loadComposePlan(workspace);
    expect(plan.services.web?.labels['com.example.team']).toBe('blue');
    expect(plan.services.web?.ports).toEqual([{ container: 8001, protocol: 'tcp' }]);
    expect(plan.services.quiet?.healthcheck).toMatchObject({ test: ['CMD', 'true'], intervalMs: 2000 });
  });

  it('a missing or unparsable compose file is a FaultError', async () => {
    const missing = await failure('compose.set', { path: 'services.web.image', value: 'x', file: 'nope.yaml' });
    expect(missing.name).toBe('FaultError');
    expect(missing.message).toBe('nope.yaml does not exist in the workspace');
    await writeFile(path.join(workspace, 'broken.yaml'), 'services: [unclosed\n');
    const broken = await failure('compose.set', { path: 'services.web.image', value: 'x', file: 'broken.yaml' });
    expect(broken.name).toBe('FaultError');
    expect(broken.message).toMatch(/^broken\.yaml is not valid YAML/);
  });
});

describe('compose.unset', () => {
  it('removes a map key, keeping comments; the plan no longer has it', async () => {
    expect(await apply('compose.unset', { path: 'services.web.build' })).toBe(
      'removed services.web.build from compose.yaml',
    );
    const after = await read('compose.yaml');
    expect(after).not.toContain('build: .');
    expect(after).toContain('# tiny: the smallest lab');
    expect(after).toContain('# List form on purpose');
    expect((await loadComposePlan(workspace)).services.web?.build).toBeUndefined();
  });

  it('removes a KEY=value item of a list-form environment', async () => {
    await apply('compose.unset', { path: 'services.web.environment.API_TOKEN' });
    const after = await read('compose.yaml');
    expect(after).not.toContain('API_TOKEN');
    expect(after).toContain('- GREETING=hello');
    const env = (await loadComposePlan(workspace)).services.web?.environment ?? {};
    expect(Object.keys(env)).toEqual(['GREETING']);
  });

  it('removes a parent that became empty, so the file stays valid', async () => {
    await apply('compose.unset', { path: 'services.web.environment.API_TOKEN' });
    await apply('compose.unset', { path: 'services.web.environment.GREETING' });
    expect(await read('compose.yaml')).not.toMatch(/web:[\s\S]*environment:[\s\S]*quiet:/);
    expect((await loadComposePlan(workspace)).services.web?.environment).toEqual({});
  });

  it('finding nothing to remove is a FaultError (a scenario bug, said loudly), and the file is untouched', async () => {
    const before = await read('compose.yaml');
    for (const target of [
      'services.web.environment.NOT_THERE',
      'services.ghost.image',
      'services.db.environment.POSTGRES_USER.deeper',
    ]) {
      const error = await failure('compose.unset', { path: target });
      expect(error.name).toBe('FaultError');
      expect(error.message).toBe(`compose.yaml has no ${target} to remove`);
    }
    expect(await read('compose.yaml')).toBe(before);
  });
});

describe('file.replace', () => {
  it('replaces the first literal occurrence only, unless all: true', async () => {
    await writeFile(path.join(workspace, 'app.conf'), 'port=8000\n# port=8000 is the default\n');
    expect(await apply('file.replace', { file: 'app.conf', find: 'port=8000', replace: 'port=9000' })).toBe(
      'edited app.conf',
    );
    expect(await read('app.conf')).toBe('port=9000\n# port=8000 is the default\n');
    await apply('file.replace', { file: 'app.conf', find: '0', replace: '1', all: true });
    expect(await read('app.conf')).toBe('port=9111\n# port=8111 is the default\n');
  });

  it('takes find literally: regex characters and `$&` in the replacement mean themselves', async () => {
    await writeFile(path.join(workspace, 'price.txt'), 'cost: $5.00 (a+b)\n');
    await apply('file.replace', { file: 'price.txt', find: '$5.00 (a+b)', replace: '$&$1 cheap' });
    expect(await read('price.txt')).toBe('cost: $&$1 cheap\n');
  });

  it('with regex: true, matches per line and replaces with capture groups', async () => {
    await apply('file.replace', {
      file: 'Dockerfile',
      find: '^USER (\\d+):(\\d+)$',
      replace: 'USER 0:$2 # was $1',
      regex: true,
    });
    expect(await read('Dockerfile')).toContain('\nUSER 0:10001 # was 10001\n');
    await apply('file.replace', {
      file: 'compose.yaml',
      find: 'mem_limit: \\d+m',
      replace: 'mem_limit: 8m',
      regex: true,
      all: true,
    });
    const plan = await loadComposePlan(workspace);
    expect(Object.values(plan.services).map((service) => service.memLimitBytes)).toEqual([
      8 * 1024 ** 2,
      8 * 1024 ** 2,
      8 * 1024 ** 2,
      8 * 1024 ** 2,
    ]);
  });

  it('text that is not there, or a missing file, is a FaultError and changes nothing', async () => {
    const before = await read('Dockerfile');
    const absent = await failure('file.replace', { file: 'Dockerfile', find: 'FROM debian', replace: 'x' });
    expect(absent.name).toBe('FaultError');
    expect(absent.message).toBe('Dockerfile does not contain "FROM debian"');
    const absentRegex = await failure('file.replace', {
      file: 'Dockerfile',
      find: '^EXPOSE 9\\d+$',
      replace: 'x',
      regex: true,
    });
    expect(absentRegex.name).toBe('FaultError');
    expect(await read('Dockerfile')).toBe(before);
    const missing = await failure('file.replace', { file: 'nope.txt', find: 'a', replace: 'b' });
    expect(missing).toMatchObject({ name: 'FaultError', message: 'nope.txt does not exist in the workspace' });
  });
});

describe('file.remove', () => {
  it('deletes a file, or a folder with its content', async () => {
    expect(await apply('file.remove', { file: 'secrets/token.txt' })).toBe('removed secrets/token.txt');
    await expect(stat(path.join(workspace, 'secrets/token.txt'))).rejects.toThrow(/ENOENT/);
    await apply('file.remove', { file: 'site' });
    await expect(stat(path.join(workspace, 'site'))).rejects.toThrow(/ENOENT/);
    expect((await stat(path.join(workspace, 'compose.yaml'))).isFile()).toBe(true);
  });

  it('a path that does not exist is a FaultError', async () => {
    expect(await failure('file.remove', { file: 'secrets/nope.txt' })).toMatchObject({
      name: 'FaultError',
      message: 'secrets/nope.txt does not exist in the workspace',
    });
  });
});

describe('file.write', () => {
  it('creates a file with its folders, or overwrites one', async () => {
    expect(await apply('file.write', { file: 'migrations/004_break.sql', content: 'DROP TABLE notes;\n' })).toBe(
      'wrote migrations/004_break.sql',
    );
    expect(await read('migrations/004_break.sql')).toBe('DROP TABLE notes;\n');
    await apply('file.write', { file: 'VERSION', content: '3.0.0\n' });
    expect(await read('VERSION')).toBe('3.0.0\n');
  });
});

describe('env.set', () => {
  it('changes a variable in place, keeping comments and other lines; compose interpolates the new value', async () => {
    expect(await apply('env.set', { name: 'API_TOKEN', value: 'new token with spaces' })).toBe('set API_TOKEN in .env');
    expect(await read('.env')).toBe(
      `# Values compose.yaml interpolates.\nAPI_TOKEN="new token with spaces"\nDB_PASSWORD=${TINY_SECRETS.dbPassword}\n`,
    );
    expect((await loadComposePlan(workspace)).services.web?.environment.API_TOKEN).toBe('new token with spaces');
  });

  it('appends a new variable, and creates the file when it is missing', async () => {
    await apply('env.set', { name: 'PORT', value: 8080 });
    expect((await read('.env')).endsWith('\nPORT=8080\n')).toBe(true);
    await apply('env.set', { name: 'DEBUG', value: true, file: 'app.env' });
    expect(await read('app.env')).toBe('DEBUG=true\n');
  });
});

describe('env.unset', () => {
  it('removes the variable and nothing else; compose then resolves it as unset', async () => {
    expect(await apply('env.unset', { name: 'API_TOKEN' })).toBe('removed API_TOKEN from .env');
    expect(await read('.env')).toBe(`# Values compose.yaml interpolates.\nDB_PASSWORD=${TINY_SECRETS.dbPassword}\n`);
    expect((await loadComposePlan(workspace)).services.web?.environment.API_TOKEN).toBe('');
  });

  it('a variable that is not set, or a missing file, is a FaultError', async () => {
    expect(await failure('env.unset', { name: 'NOT_SET' })).toMatchObject({
      name: 'FaultError',
      message: '.env does not set NOT_SET',
    });
    expect(await failure('env.unset', { name: 'X', file: 'missing.env' })).toMatchObject({
      name: 'FaultError',
      message: 'missing.env does not exist in the workspace',
    });
  });
});
