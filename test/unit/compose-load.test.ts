/** The compose loader on the real lab and every key of the subset it deploys. */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deployOrder, loadCompose, type ServicePlan } from '../../engine/compose/index.js';
import { labsDir } from '../../engine/paths.js';
import { plan, removeWorkspaces, service, workspace } from '../support/compose-workspace.js';

afterAll(removeWorkspaces);

describe('loadCompose: the real lab', () => {
  it('loads labs/notes-api/compose.yaml into a plan', () => {
    const result = loadCompose(path.join(labsDir, 'notes-api'));
    const lab = plan(result);
    expect(Object.keys(lab.services).sort()).toEqual(['api', 'db', 'migrate']);
    expect(deployOrder(lab)).toEqual(['db', 'migrate', 'api']);
    expect(lab.volumes).toContain('db-data');
    const api = lab.services.api as ServicePlan;
    expect(api.build?.context).toBe(path.join(labsDir, 'notes-api'));
    expect(api.ports[0]?.container).toBe(8080);
    expect(api.secrets[0]).toMatchObject({ name: 'db_password', target: '/run/secrets/db_password' });
    expect(api.secrets[0]?.file).toBe(path.join(labsDir, 'notes-api', 'secrets', 'db_password.txt'));
    expect(api.healthcheck?.test[0]).toBe('CMD');
    expect(result.ok && result.project).toBe('notes-api');
  });

  it('loads the frozen fixture copy of the lab', () => {
    const lab = plan(loadCompose(path.join(import.meta.dirname, '..', 'fixtures', 'labs', 'notes-api')));
    expect(lab.services.db?.memLimitBytes).toBe(256 * 1024 * 1024);
    expect(lab.services.api?.logging).toEqual({ driver: 'json-file', options: { 'max-size': '10m', 'max-file': '3' } });
    expect(lab.services.migrate?.dependsOn).toEqual([{ service: 'db', condition: 'service_healthy' }]);
  });
});

describe('loadCompose: supported keys', () => {
  it('image, user, restart, mem_limit, labels (map), command and entrypoint (lists)', () => {
    const api = service(`services:
  api:
    image: example/api:1.0
    user: "10001:10001"
    restart: always
    mem_limit: 64m
    labels:
      com.example.team: ops
      tier: "1"
    command: ["serve", "--port", "8080"]
    entrypoint: ["/bin/tini", "--"]
`);
    expect(api).toMatchObject({
      name: 'api',
      image: 'example/api:1.0',
      user: '10001:10001',
      restart: 'always',
      memLimitBytes: 64 * 1024 * 1024,
      labels: { 'com.example.team': 'ops', tier: '1' },
      command: ['serve', '--port', '8080'],
      entrypoint: ['/bin/tini', '--'],
      environment: {},
      ports: [],
      secrets: [],
      volumes: [],
      dependsOn: [],
    });
    expect(api.build).toBeUndefined();
  });

  it('labels as a list, command and entrypoint as strings split like a shell', () => {
    const api = service(`services:
  api:
    image: x
    labels: ["a=1", "b=two=2", "flag"]
    command: python3 -m app --name "notes api" --greeting 'hi there' esc\\ aped
    entrypoint: /entry.sh
`);
    expect(api.labels).toEqual({ a: '1', b: 'two=2', flag: '' });
    expect(api.command).toEqual(['python3', '-m', 'app', '--name', 'notes api', '--greeting', 'hi there', 'esc aped']);
    expect(api.entrypoint).toEqual(['/entry.sh']);
  });

  it('command: null means the image default', () => {
    expect(service('services:\n  api:\n    image: x\n    command: null\n').command).toBeUndefined();
  });

  it('restart on-failure:N keeps the retry count; default is no', () => {
    expect(service('services:\n  api:\n    image: x\n    restart: on-failure:3\n')).toMatchObject({
      restart: 'on-failure',
      restartMaxRetries: 3,
    });
    expect(service('services:\n  api:\n    image: x\n    restart: "no"\n').restart).toBe('no');
    expect(service('services:\n  api:\n    image: x\n    restart: no\n').restart).toBe('no');
    expect(service('services:\n  api:\n    image: x\n').restart).toBe('no');
    expect(service('services:\n  api:\n    image: x\n    restart: unless-stopped\n').restart).toBe('unless-stopped');
  });

  it('mem_limit as a number of bytes and as a size', () => {
    expect(service('services:\n  api:\n    image: x\n    mem_limit: 1048576\n').memLimitBytes).toBe(1048576);
    expect(service('services:\n  api:\n    image: x\n    mem_limit: 1g\n').memLimitBytes).toBe(1024 ** 3);
  });

  it('build as a string and as a mapping; build-only services get <project>-<service>', () => {
    const short = plan(loadCompose(workspace('services:\n  Api:\n    build: .\n', {}, 'My Lab!'))).services
      .Api as ServicePlan;
    expect(short.image).toBe('mylab-api');
    expect(short.build).toEqual({ context: expect.stringMatching(/My Lab!$/), dockerfile: 'Dockerfile', args: {} });

    const dir = workspace(
      `name: notes
services:
  api:
    build:
      context: ./app
      dockerfile: docker/Dockerfile.prod
      target: runtime
      args:
        VERSION: "2.0.0"
        FROM_ENV:
        UNSET:
`,
      { 'app/docker/Dockerfile.prod': 'FROM scratch\n', '.env': 'FROM_ENV=from-dotenv\n' },
    );
    const result = loadCompose(dir);
    const api = plan(result).services.api as ServicePlan;
    expect(api.image).toBe('notes-api');
    expect(api.build).toEqual({
      context: path.join(dir, 'app'),
      dockerfile: 'docker/Dockerfile.prod',
      target: 'runtime',
      args: { VERSION: '2.0.0', FROM_ENV: 'from-dotenv' },
    });
    expect(result.ok && result.project).toBe('notes');
  });

  it('build args as a list; projectName option wins', () => {
    const result = loadCompose(
      workspace('name: ignored\nservices:\n  api:\n    build:\n      context: .\n      args: ["A=1", "B"]\n', {
        '.env': 'B=2\n',
      }),
      { projectName: 'Custom' },
    );
    expect(plan(result).services.api).toMatchObject({ image: 'custom-api', build: { args: { A: '1', B: '2' } } });
  });

  it('environment as a map and as a list; bare names come from .env; env_file is read first', () => {
    const files = {
      '.env': 'FROM_DOTENV=yes\n',
      'config/app.env': '# comment\nA=from-file\nB="quoted value"\nexport C=3\n',
      'config/more.env': 'C=override\n',
    };
    const map = service(
      `services:
  api:
    image: x
    env_file: [config/app.env, config/more.env]
    environment:
      A: from-environment
      NUM: 5
      BOOL: true
      FROM_DOTENV:
      NOT_SET:
`,
      'api',
      files,
    );
    expect(map.environment).toEqual({
      A: 'from-environment',
      B: 'quoted value',
      C: 'override',
      NUM: '5',
      BOOL: 'true',
      FROM_DOTENV: 'yes',
    });

    const list = service(
      'services:\n  api:\n    image: x\n    env_file: config/app.env\n    environment:\n      - A=list\n      - EMPTY=\n      - FROM_DOTENV\n      - NOT_SET\n',
      'api',
      files,
    );
    expect(list.environment).toEqual({ A: 'list', B: 'quoted value', C: '3', EMPTY: '', FROM_DOTENV: 'yes' });
  });

  it('env_file long form with required: false', () => {
    const api = service(
      'services:\n  api:\n    image: x\n    env_file:\n      - path: missing.env\n        required: false\n      - path: present.env\n',
      'api',
      { 'present.env': 'P=1\n' },
    );
    expect(api.environment).toEqual({ P: '1' });
  });

  it('ports: every short form and the long form', () => {
    const api = service(`services:
  api:
    image: x
    ports:
      - 8080
      - "8081"
      - "3000:8082"
      - "127.0.0.1:3001:8083"
      - "localhost:3002:8084"
      - "127.0.0.1::8085"
      - "8086/udp"
      - "3003:8087/tcp"
      - target: 8088
      - target: 8089
        published: "3004"
        host_ip: 127.0.0.1
        protocol: udp
      - target: "8090"
        published: 3005
`);
    expect(api.ports).toEqual([
      { container: 8080, protocol: 'tcp' },
      { container: 8081, protocol: 'tcp' },
      { container: 8082, host: 3000, protocol: 'tcp' },
      { container: 8083, host: 3001, protocol: 'tcp' },
      { container: 8084, host: 3002, protocol: 'tcp' },
      { container: 8085, protocol: 'tcp' },
      { container: 8086, protocol: 'udp' },
      { container: 8087, host: 3003, protocol: 'tcp' },
      { container: 8088, protocol: 'tcp' },
      { container: 8089, host: 3004, protocol: 'udp' },
      { container: 8090, host: 3005, protocol: 'tcp' },
    ]);
  });

  it('secrets: short and long form, default and custom targets', () => {
    const api = service(
      `services:
  api:
    image: x
    secrets:
      - db_password
      - source: api_key
        target: key.txt
      - source: api_key
        target: /etc/app/key
secrets:
  db_password:
    file: ./secrets/db_password.txt
  api_key:
    file: secrets/api_key
`,
      'api',
      { 'secrets/api_key': 'k\n' },
    );
    expect(api.secrets.map(({ name, target }) => ({ name, target }))).toEqual([
      { name: 'db_password', target: '/run/secrets/db_password' },
      { name: 'api_key', target: '/run/secrets/key.txt' },
      { name: 'api_key', target: '/etc/app/key' },
    ]);
    expect(path.isAbsolute(api.secrets[0]?.file ?? '')).toBe(true);
    expect(api.secrets[1]?.file).toMatch(/secrets\/api_key$/);
  });

  it('volumes: named short form (rw, ro) and long form; top-level list', () => {
    const result = loadCompose(
      workspace(`services:
  api:
    image: x
    volumes:
      - data:/var/data
      - cache:/cache:ro
      - type: volume
        source: logs
        target: /logs
        read_only: true
volumes:
  data:
  cache: {}
  logs:
`),
    );
    expect(plan(result).volumes).toEqual(['data', 'cache', 'logs']);
    expect(plan(result).services.api?.volumes).toEqual([
      { volume: 'data', target: '/var/data', readOnly: false },
      { volume: 'cache', target: '/cache', readOnly: true },
      { volume: 'logs', target: '/logs', readOnly: true },
    ]);
  });

  it('healthcheck: list and string tests, durations, defaults, disable, NONE', () => {
    const list = service(
      'services:\n  api:\n    image: x\n    healthcheck:\n      test: ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]\n      interval: 1m30s\n      timeout: 1.5s\n      retries: 5\n      start_period: 500ms\n',
    );
    expect(list.healthcheck).toEqual({
      test: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'],
      intervalMs: 90_000,
      timeoutMs: 1500,
      retries: 5,
      startPeriodMs: 500,
    });
    const text = service('services:\n  api:\n    image: x\n    healthcheck:\n      test: curl -f http://localhost/\n');
    expect(text.healthcheck).toEqual({
      test: ['CMD-SHELL', 'curl -f http://localhost/'],
      intervalMs: 30_000,
      timeoutMs: 30_000,
      retries: 3,
      startPeriodMs: 0,
    });
    expect(service('services:\n  api:\n    image: x\n    healthcheck:\n      disable: true\n').healthcheck).toBeNull();
    expect(service('services:\n  api:\n    image: x\n    healthcheck:\n      test: ["NONE"]\n').healthcheck).toBeNull();
    expect(service('services:\n  api:\n    image: x\n').healthcheck).toBeUndefined();
  });

  it('depends_on as a list and as a map with conditions; deployOrder is topological and stable', () => {
    const lab = plan(
      loadCompose(
        workspace(`services:
  web:
    image: x
    depends_on: [api, cache]
  api:
    image: x
    depends_on:
      db: { condition: service_healthy }
      migrate: { condition: service_completed_successfully }
  cache:
    image: x
  migrate:
    image: x
    depends_on: [db]
  db:
    image: x
`),
      ),
    );
    expect(lab.services.web?.dependsOn).toEqual([
      { service: 'api', condition: 'service_started' },
      { service: 'cache', condition: 'service_started' },
    ]);
    expect(lab.services.api?.dependsOn).toEqual([
      { service: 'db', condition: 'service_healthy' },
      { service: 'migrate', condition: 'service_completed_successfully' },
    ]);
    expect(deployOrder(lab)).toEqual(['cache', 'db', 'migrate', 'api', 'web']);
  });

  it('logging: driver and options', () => {
    expect(service('services:\n  api:\n    image: x\n    logging:\n      driver: none\n').logging).toEqual({
      driver: 'none',
      options: {},
    });
    expect(
      service(
        'services:\n  api:\n    image: x\n    logging:\n      options:\n        max-size: 1m\n        max-file: 2\n        dropped: null\n',
      ).logging,
    ).toEqual({ driver: 'json-file', options: { 'max-size': '1m', 'max-file': '2' } });
  });

  it('x- extensions, anchors and merge keys', () => {
    const lab = plan(
      loadCompose(
        workspace(`x-common: &common
  image: shared:1
  restart: always
  environment: { LOG_FORMAT: json }
services:
  a:
    <<: *common
  b:
    <<: *common
    restart: "no"
    x-note: ignored
`),
      ),
    );
    expect(lab.services.a).toMatchObject({ image: 'shared:1', restart: 'always', environment: { LOG_FORMAT: 'json' } });
    expect(lab.services.b).toMatchObject({ image: 'shared:1', restart: 'no' });
  });

  it('`version` is accepted with a warning', () => {
    const result = loadCompose(workspace('version: "3.9"\nservices:\n  api:\n    image: x\n'));
    expect(result.ok).toBe(true);
    expect(result.warnings.map((warning) => `${warning.line}:${warning.col}: ${warning.message}`)).toEqual([
      '1:1: version: `version` is obsolete and ignored',
    ]);
  });
});
