/** The compose loader: interpolation from .env only, errors located at file:line:col, the start order. */

import { afterAll, describe, expect, it } from 'vitest';
import { deployOrder, loadCompose, type ServicePlan } from '../../engine/compose/index.js';
import { errors, oneError, plan, removeWorkspaces, service, workspace } from '../support/compose-workspace.js';

afterAll(removeWorkspaces);

describe('loadCompose: interpolation from .env only', () => {
  const env = { '.env': 'TAG=2.0\nEMPTY=\nPORT=8080\nNAME=notes\n' };

  it('substitutes $VAR, ${VAR}, defaults, alternatives and $$', () => {
    const api = service(
      `services:
  api:
    image: "example/\${NAME}:\${TAG}"
    environment:
      PLAIN: $NAME-$TAG
      DEFAULT_UNSET: \${MISSING:-fallback}
      DEFAULT_EMPTY: \${EMPTY:-fallback}
      DASH_EMPTY: \${EMPTY-fallback}
      DASH_UNSET: \${MISSING-fallback}
      NESTED: \${MISSING:-\${NAME:-x}-nested}
      ALT_SET: \${NAME:+yes}
      ALT_UNSET: \${MISSING:+yes}
      ALT_PLUS_EMPTY: \${EMPTY+set}
      DOLLAR: "cost: $$5 and $\${NAME}"
    ports:
      - "127.0.0.1:\${PORT}:8080"
`,
      'api',
      env,
    );
    expect(api.image).toBe('example/notes:2.0');
    expect(api.environment).toEqual({
      PLAIN: 'notes-2.0',
      DEFAULT_UNSET: 'fallback',
      DEFAULT_EMPTY: 'fallback',
      DASH_EMPTY: '',
      DASH_UNSET: 'fallback',
      NESTED: 'notes-nested',
      ALT_SET: 'yes',
      ALT_UNSET: '',
      ALT_PLUS_EMPTY: 'set',
      DOLLAR: 'cost: $5 and ${NAME}',
    });
    expect(api.ports).toEqual([{ container: 8080, host: 8080, protocol: 'tcp' }]);
  });

  it('ignores the process environment', () => {
    process.env.BREAKFIX_TEST_ONLY_IN_PROCESS = 'leaked';
    try {
      const result = loadCompose(
        workspace('services:\n  api:\n    image: "x:${BREAKFIX_TEST_ONLY_IN_PROCESS:-from-default}"\n'),
      );
      expect(plan(result).services.api?.image).toBe('x:from-default');
    } finally {
      delete process.env.BREAKFIX_TEST_ONLY_IN_PROCESS;
    }
  });

  it('an unset variable becomes empty, with a warning at its line', () => {
    const result = loadCompose(workspace('services:\n  api:\n    image: x\n    environment:\n      A: "${NOPE}"\n'));
    expect(plan(result).services.api?.environment).toEqual({ A: '' });
    expect(result.warnings.map((warning) => `${warning.line}:${warning.col}: ${warning.message}`)).toEqual([
      '5:10: services.api.environment.A: the NOPE variable is not set in .env; defaulting to a blank string',
    ]);
  });

  it('${VAR:?message} and ${VAR?message} are errors at the value', () => {
    expect(oneError('services:\n  api:\n    image: "x:${TAG:?set TAG in .env}"\n')).toBe(
      '3:12: services.api.image: required variable TAG is not set in .env: set TAG in .env',
    );
    expect(oneError('services:\n  api:\n    image: "x:${EMPTY:?}"\n', env)).toBe(
      '3:12: services.api.image: required variable EMPTY is empty in .env',
    );
    expect(service('services:\n  api:\n    image: "x${EMPTY?}"\n', 'api', env).image).toBe('x');
  });

  it('a lone $ and an unclosed ${ are errors', () => {
    expect(oneError('services:\n  api:\n    image: x\n    command: echo $1\n')).toBe(
      '4:14: services.api.command: invalid interpolation "$1": write $$ for a literal $',
    );
    expect(oneError('services:\n  api:\n    image: x\n    command: echo ${A\n')).toMatch(
      /^4:14: services\.api\.command: invalid interpolation "\$\{A": missing "\}"/,
    );
    expect(oneError('services:\n  api:\n    image: x\n    command: echo ${A=1}\n')).toMatch(
      /^4:14: .*unknown operator/,
    );
  });
});

describe('loadCompose: errors are located', () => {
  it('YAML syntax errors use the parser position', () => {
    expect(oneError('services:\n  api:\n    image: x\n   bad: [1,\n')).toMatch(/^4:\d+: YAML syntax: /);
    expect(oneError('services:\n\tapi:\n')).toMatch(/^2:1: YAML syntax: Tabs/);
  });

  it('an empty file, a missing file', () => {
    expect(oneError('')).toBe('1:1: compose.yaml is empty: it needs a `services` mapping');
    const result = loadCompose(workspace('services: {}\n'), { file: 'other.yaml' });
    expect(!result.ok && result.errors[0]?.message).toMatch(/cannot read other\.yaml/);
    const outside = loadCompose(workspace('services: {}\n'), { file: '../compose.yaml' });
    expect(!outside.ok && outside.errors[0]?.message).toMatch(/outside the workspace/);
  });

  it('schema errors: wrong types at the value, unknown keys at the key with a suggestion', () => {
    expect(oneError('services:\n  api:\n    image: 5\n')).toBe(
      '3:12: services.api.image: must be a string, got an integer',
    );
    expect(oneError('services:\n  api:\n    image: x\n    enviroment: {A: 1}\n')).toBe(
      '4:5: services.api.enviroment: unknown key `enviroment`; did you mean `environment`?',
    );
    expect(oneError('servics:\n  api:\n    image: x\n')).toBe(
      '1:1: servics: unknown key `servics`; did you mean `services`?',
    );
    expect(oneError('services:\n  api:\n    image: x\n    depends_on: [1]\n')).toBe(
      '4:18: services.api.depends_on[0]: must be a string, got an integer',
    );
    expect(oneError('services:\n  api:\n    image: x\n    build: {context: 1}\n')).toBe(
      '4:22: services.api.build.context: must be a string, got an integer',
    );
    expect(oneError('services:\n  "bad name":\n    image: x\n')).toBe(
      '2:3: services["bad name"]: `bad name` is not a valid name (use letters, digits, ".", "_" and "-")',
    );
    expect(oneError('services:\n  api:\n    image: x\n    depends_on:\n      db: {}\n  db:\n    image: y\n')).toBe(
      '5:7: services.api.depends_on.db: missing required key `condition`',
    );
    expect(
      oneError(
        'services:\n  api:\n    image: x\n    depends_on:\n      db: {condition: healthy}\n  db:\n    image: y\n',
      ),
    ).toMatch(
      /^5:23: services\.api\.depends_on\.db\.condition: must be one of "service_started", "service_healthy", "service_completed_successfully", got "healthy"/,
    );
  });

  it('keys of the spec outside the subset: named, located, explained', () => {
    expect(oneError('services:\n  api:\n    image: x\n    network_mode: host\n')).toMatch(
      /^4:5: services\.api\.network_mode: not supported by breakfix \(supported keys: image, build, environment, env_file, ports, secrets, volumes, healthcheck, depends_on, command, entrypoint, user, restart, mem_limit, cpus, networks, labels, logging, stop_signal, stop_grace_period, init\); lab containers never get extra privileges/,
    );
    expect(oneError('services:\n  api:\n    image: x\nnetworks:\n  front:\n    driver: overlay\n')).toMatch(
      /^6:5: networks\.front\.driver: not supported by breakfix \(supported keys: internal\); lab networks are bridge networks/,
    );
    expect(oneError('services:\n  api:\n    image: x\n    privileged: true\n')).toMatch(
      /^4:5: services\.api\.privileged: not supported by breakfix .*never get extra privileges/,
    );
    expect(oneError('services:\n  api:\n    image: x\n    container_name: mine\n')).toMatch(
      /^4:5: .*bf-<session>-<service>/,
    );
    expect(oneError('services:\n  api:\n    image: x\n    build:\n      context: .\n      cache_from: [x]\n')).toMatch(
      /^6:7: services\.api\.build\.cache_from: not supported by breakfix \(supported keys: context, dockerfile, args, target\)/,
    );
    expect(
      oneError(
        'services:\n  api:\n    image: x\n    healthcheck:\n      test: [CMD, "true"]\n      start_interval: 1s\n',
      ),
    ).toMatch(/^6:7: services\.api\.healthcheck\.start_interval: not supported/);
    expect(
      oneError('services:\n  api:\n    image: x\n    ports:\n      - target: 80\n        mode: ingress\n'),
    ).toMatch(/^6:9: services\.api\.ports\[0\]\.mode: not supported/);
    expect(oneError('services:\n  api:\n    image: x\nvolumes:\n  data:\n    driver: local\n')).toMatch(
      /^6:5: volumes\.data\.driver: not supported by breakfix \(supported keys: driver_opts\); named volumes use the default local driver/,
    );
    expect(oneError('services:\n  api:\n    image: x\nsecrets:\n  s:\n    environment: S\n')).toMatch(
      /^6:5: secrets\.s\.environment: not supported by breakfix \(supported keys: file\); only file secrets/,
    );
    expect(
      oneError(
        'services:\n  api:\n    image: x\n    depends_on:\n      db: {condition: service_started, restart: true}\n  db:\n    image: y\n',
      ),
    ).toMatch(/^5:40: services\.api\.depends_on\.db\.restart: not supported/);
    expect(
      oneError('services:\n  api:\n    image: x\n    env_file:\n      - path: a.env\n        format: raw\n', {
        'a.env': '',
      }),
    ).toMatch(/^6:9: services\.api\.env_file\[0\]\.format: not supported/);
    expect(
      oneError(
        'services:\n  api:\n    image: x\n    secrets:\n      - source: s\n        mode: 0400\nsecrets:\n  s:\n    file: secrets/db_password.txt\n',
      ),
    ).toMatch(/^6:9: services\.api\.secrets\[0\]\.mode: not supported/);
  });

  it('a service needs image or build', () => {
    expect(oneError('services:\n  api:\n    user: app\n')).toBe('2:3: services.api: needs `image` or `build`');
  });

  it('ports: host IPs other than loopback, ranges, bad numbers, bad protocols', () => {
    expect(oneError('services:\n  api:\n    image: x\n    ports: ["0.0.0.0:80:8080"]\n')).toMatch(
      /^4:13: services\.api\.ports\[0\]: host IP 0\.0\.0\.0 is not allowed: breakfix publishes ports on 127\.0\.0\.1 only/,
    );
    expect(
      oneError('services:\n  api:\n    image: x\n    ports:\n      - target: 80\n        host_ip: 10.0.0.1\n'),
    ).toMatch(/^6:18: services\.api\.ports\[0\]\.host_ip: host IP 10\.0\.0\.1 is not allowed/);
    expect(oneError('services:\n  api:\n    image: x\n    ports: ["[::]:80:8080"]\n')).toMatch(
      /^4:13: .*host IP :: is not allowed/,
    );
    expect(oneError('services:\n  api:\n    image: x\n    ports: ["3000-3005:8000-8005"]\n')).toMatch(
      /^4:13: .*port ranges are not supported/,
    );
    expect(oneError('services:\n  api:\n    image: x\n    ports: ["70000"]\n')).toMatch(/^4:13: .*between 1 and 65535/);
    expect(oneError('services:\n  api:\n    image: x\n    ports: ["80/sctp"]\n')).toMatch(
      /^4:13: .*protocol "sctp" is not supported/,
    );
    expect(oneError('services:\n  api:\n    image: x\n    ports:\n      - published: 80\n')).toMatch(
      /^5:9: services\.api\.ports\[0\]: missing required key `target`/,
    );
  });

  it('volumes: bind mounts are refused with the reason; undeclared and anonymous volumes', () => {
    const bind = oneError('services:\n  api:\n    image: x\n    volumes:\n      - ./data:/data\n');
    expect(bind).toMatch(
      /^5:9: services\.api\.volumes\[0\]: bind mounts are not supported: a lab must also work against a remote Docker engine \(DOCKER_HOST\)/,
    );
    expect(oneError('services:\n  api:\n    image: x\n    volumes:\n      - /srv:/data:ro\n')).toMatch(
      /^5:9: .*bind mounts/,
    );
    expect(
      oneError(
        'services:\n  api:\n    image: x\n    volumes:\n      - type: bind\n        source: .\n        target: /x\n',
      ),
    ).toMatch(/^5:15: services\.api\.volumes\[0\]\.type: bind mounts/);
    expect(oneError('services:\n  api:\n    image: x\n    volumes:\n      - dat:/data\nvolumes:\n  data: {}\n')).toBe(
      '5:9: services.api.volumes[0]: volume `dat` is not declared under the top-level volumes; did you mean `data`?',
    );
    expect(oneError('services:\n  api:\n    image: x\n    volumes:\n      - /data\n')).toMatch(/anonymous volume/);
    expect(
      oneError('services:\n  api:\n    image: x\n    volumes:\n      - data:/data:z\nvolumes:\n  data:\n'),
    ).toMatch(/mount mode "z" is not supported/);
  });

  it('secrets: undeclared, missing files, non-file secrets', () => {
    expect(
      oneError(
        'services:\n  api:\n    image: x\n    secrets: [db_pasword]\nsecrets:\n  db_password:\n    file: secrets/db_password.txt\n',
      ),
    ).toBe(
      '4:15: services.api.secrets[0]: secret `db_pasword` is not declared under the top-level secrets; did you mean `db_password`?',
    );
    expect(
      oneError('services:\n  api:\n    image: x\n    secrets: [s]\nsecrets:\n  s:\n    file: secrets/missing.txt\n'),
    ).toBe('7:11: secrets.s.file: secret file "secrets/missing.txt" does not exist in the workspace');
    expect(oneError('services:\n  api:\n    image: x\nsecrets:\n  s:\n    file: ../outside.txt\n')).toMatch(
      /^6:11: secrets\.s\.file: .*outside the workspace/,
    );
    expect(oneError('services:\n  api:\n    image: x\nsecrets:\n  s: {}\n')).toBe(
      '5:3: secrets.s: missing required key `file`: breakfix supports file secrets only',
    );
  });

  it('build: context outside the workspace, missing context or Dockerfile, remote contexts', () => {
    expect(oneError('services:\n  api:\n    build: ..\n')).toMatch(
      /^3:12: services\.api\.build: build context "\.\." is outside the workspace/,
    );
    expect(oneError('services:\n  api:\n    build:\n      context: ./nope\n')).toMatch(
      /^4:16: services\.api\.build\.context: build context "\.\/nope" does not exist/,
    );
    expect(oneError('services:\n  api:\n    build:\n      context: .\n      dockerfile: Missing.Dockerfile\n')).toMatch(
      /^5:19: services\.api\.build\.dockerfile: dockerfile "Missing\.Dockerfile" does not exist/,
    );
    expect(oneError('services:\n  api:\n    build: https://github.com/x/y.git\n')).toMatch(/remote build context/);
  });

  it('env_file: missing, outside the workspace', () => {
    expect(oneError('services:\n  api:\n    image: x\n    env_file: missing.env\n')).toBe(
      '4:15: services.api.env_file: env file "missing.env" does not exist in the workspace',
    );
    expect(oneError('services:\n  api:\n    image: x\n    env_file: [../x.env]\n')).toMatch(
      /^4:16: services\.api\.env_file\[0\]: env file "\.\.\/x\.env" is outside the workspace/,
    );
  });

  it('healthcheck: bad durations, retries, test forms, missing test', () => {
    expect(
      oneError(
        'services:\n  api:\n    image: x\n    healthcheck:\n      test: ["CMD", "true"]\n      interval: 10 seconds\n',
      ),
    ).toBe(
      '6:17: services.api.healthcheck.interval: expected a duration like "10s", "1m30s" or "500ms", got "10 seconds"',
    );
    expect(
      oneError('services:\n  api:\n    image: x\n    healthcheck:\n      test: ["CMD", "true"]\n      retries: many\n'),
    ).toMatch(/^6:16: .*retries: expected a whole number/);
    expect(oneError('services:\n  api:\n    image: x\n    healthcheck:\n      test: ["curl", "-f", "x"]\n')).toMatch(
      /^5:13: services\.api\.healthcheck\.test: a test list starts with CMD/,
    );
    expect(oneError('services:\n  api:\n    image: x\n    healthcheck:\n      interval: 5s\n')).toMatch(
      /^4:5: services\.api\.healthcheck: missing required key `test`/,
    );
  });

  it('depends_on: unknown services, itself, cycles', () => {
    expect(oneError('services:\n  api:\n    image: x\n    depends_on: [dbb]\n  db:\n    image: y\n')).toBe(
      '4:18: services.api.depends_on[0]: depends on unknown service `dbb`; did you mean `db`?',
    );
    expect(
      oneError('services:\n  api:\n    image: x\n    depends_on:\n      api: {condition: service_started}\n'),
    ).toBe('5:7: services.api.depends_on.api: api cannot depend on itself');
    const cycle = errors(
      'services:\n  a:\n    image: x\n    depends_on: [b]\n  b:\n    image: x\n    depends_on:\n      c: {condition: service_healthy}\n  c:\n    image: x\n    depends_on: [a]\n',
    );
    expect(cycle.map((error) => `${error.line}:${error.col}: ${error.message}`)).toEqual([
      '4:18: services.a.depends_on[0]: dependency cycle: a → b → c → a',
    ]);
  });

  it('restart, mem_limit, command quoting', () => {
    expect(oneError('services:\n  api:\n    image: x\n    restart: allways\n')).toBe(
      '4:14: services.api.restart: expected one of no, always, on-failure[:N], unless-stopped, got "allways"; did you mean `always`?',
    );
    expect(oneError('services:\n  api:\n    image: x\n    mem_limit: lots\n')).toBe(
      '4:16: services.api.mem_limit: expected a size like "256m" or "1g", got "lots"',
    );
    expect(oneError('services:\n  api:\n    image: x\n    command: echo "unterminated\n')).toBe(
      '4:14: services.api.command: cannot split "echo \\"unterminated" into words: unterminated double quote',
    );
  });

  it('no services', () => {
    expect(oneError('name: x\n')).toBe('1:1: a lab needs at least one service under `services`');
    expect(oneError('services: {}\n')).toBe('1:1: services: a lab needs at least one service under `services`');
  });

  it('reports several errors at once, each with its own line', () => {
    const found = errors(
      'services:\n  api:\n    image: x\n    network_mode: host\n    privileged: true\n  db:\n    imag: y\n',
    );
    expect(found.map((error) => error.line).sort()).toEqual([4, 5, 7]);
    expect(found.every((error) => error.file.endsWith('compose.yaml'))).toBe(true);
  });
});

describe('deployOrder', () => {
  it('throws on a cycle in a hand-made plan', () => {
    const make = (name: string, dependency: string): ServicePlan => ({
      name,
      image: 'x',
      environment: {},
      ports: [],
      secrets: [],
      volumes: [],
      dependsOn: [{ service: dependency, condition: 'service_started' }],
      restart: 'no',
      labels: {},
    });
    expect(() => deployOrder({ services: { a: make('a', 'b'), b: make('b', 'a') }, volumes: [] })).toThrow(/cycle/);
  });
});
