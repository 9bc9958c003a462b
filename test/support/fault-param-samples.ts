/**
 * One sample of params per registered fault type, for test/unit/faults-params.test.ts: what the
 * minimal params parse to, which keys are required, which values are refused and accepted.
 */
import type { FaultPhase } from '../../engine/faults/fault.js';
import type { ParamsSample } from './params-suite.js';
import { escapes, gitFaultSamples } from './fault-param-samples-git.js';

export interface FaultSample extends ParamsSample {
  phase: FaultPhase;
}

const badServices: Array<[string, Record<string, unknown>]> = [
  ['a service name with a space', { service: 'my api' }],
  ['a service name starting with a dash', { service: '-api' }],
  ['a service that is not a string', { service: 42 }],
];

export const faultSamples: Record<string, FaultSample> = {
  ...gitFaultSamples,
  'compose.set': {
    phase: 'workspace',
    minimal: { path: 'services.api.environment.PORT', value: '8080' },
    parsed: { path: 'services.api.environment.PORT', value: '8080', file: 'compose.yaml' },
    required: ['path', 'value'],
    services: ['api'],
    invalid: [
      ['an empty path', { path: '' }],
      ['an undefined value', { value: undefined }],
      ...escapes.map(([why, file]): [string, Record<string, unknown>] => [`a file that is ${why}`, { file }]),
    ],
    valid: [
      ['a number', { value: 8080 }, { value: 8080 }],
      ['null (clears a key)', { value: null }, { value: null }],
      ['a list', { value: ['8080:8080'] }, { value: ['8080:8080'] }],
      ['a map', { value: { test: ['CMD', 'true'] } }, { value: { test: ['CMD', 'true'] } }],
      ['another compose file', { file: 'deploy/compose.prod.yaml' }, { file: 'deploy/compose.prod.yaml' }],
    ],
  },
  'compose.unset': {
    phase: 'workspace',
    minimal: { path: 'services.api.secrets' },
    parsed: { path: 'services.api.secrets', file: 'compose.yaml' },
    required: ['path'],
    services: ['api'],
    invalid: [
      ['an empty path', { path: '' }],
      ['a path that is not text', { path: ['services', 'api'] }],
      ...escapes.map(([why, file]): [string, Record<string, unknown>] => [`a file that is ${why}`, { file }]),
    ],
  },
  'file.replace': {
    phase: 'workspace',
    minimal: { file: 'app/config.py', find: '8080', replace: '9090' },
    parsed: { file: 'app/config.py', find: '8080', replace: '9090', regex: false, all: false },
    required: ['file', 'find', 'replace'],
    invalid: [
      ['an empty find', { find: '' }],
      ['regex that is not a boolean', { regex: 'yes' }],
      ...escapes.map(([why, file]): [string, Record<string, unknown>] => [`a file that is ${why}`, { file }]),
    ],
    valid: [['an empty replacement (deletes the text)', { replace: '' }, { replace: '' }]],
  },
  'file.remove': {
    phase: 'workspace',
    minimal: { file: 'secrets/db_password.txt' },
    parsed: { file: 'secrets/db_password.txt' },
    required: ['file'],
    invalid: escapes.map(([why, file]) => [`a file that is ${why}`, { file }]),
  },
  'file.write': {
    phase: 'workspace',
    minimal: { file: 'migrations/004_x.sql', content: 'SELECT 1;' },
    parsed: { file: 'migrations/004_x.sql', content: 'SELECT 1;' },
    required: ['file', 'content'],
    invalid: [
      ['content that is not text', { content: 42 }],
      ...escapes.map(([why, file]): [string, Record<string, unknown>] => [`a file that is ${why}`, { file }]),
    ],
    valid: [['empty content', { content: '' }, { content: '' }]],
  },
  'file.chmod': {
    phase: 'workspace',
    minimal: { file: 'secrets/key.txt', mode: '0600' },
    parsed: { file: 'secrets/key.txt', mode: '0600' },
    required: ['file', 'mode'],
    invalid: [
      ['a mode with a digit above 7', { mode: '0680' }],
      ['a mode in words', { mode: 'u+rw' }],
      ['a four-digit number', { mode: 1644 }],
      ...escapes.map(([why, file]): [string, Record<string, unknown>] => [`a file that is ${why}`, { file }]),
    ],
    valid: [
      ['three octal digits', { mode: '644' }, { mode: '0644' }],
      ['its own parsed value again', { mode: '0640' }, { mode: '0640' }],
      ['octal digits as a number', { mode: 640 }, { mode: '0640' }],
    ],
  },
  'env.set': {
    phase: 'workspace',
    minimal: { name: 'API_PORT', value: '9090' },
    parsed: { name: 'API_PORT', value: '9090', file: '.env' },
    required: ['name', 'value'],
    invalid: [
      ['a name starting with a digit', { name: '1PORT' }],
      ['a name with a dash', { name: 'API-PORT' }],
      ['a name with an equals sign', { name: 'A=B' }],
      ['a value that is a list', { value: ['a'] }],
      ...escapes.map(([why, file]): [string, Record<string, unknown>] => [`a file that is ${why}`, { file }]),
    ],
    valid: [
      ['a number, written as text', { value: 9090 }, { value: '9090' }],
      ['a boolean, written as text', { value: false }, { value: 'false' }],
    ],
  },
  'env.unset': {
    phase: 'workspace',
    minimal: { name: 'DATABASE_HOST' },
    parsed: { name: 'DATABASE_HOST', file: '.env' },
    required: ['name'],
    invalid: [
      ['a name with a space', { name: 'DATABASE HOST' }],
      ...escapes.map(([why, file]): [string, Record<string, unknown>] => [`a file that is ${why}`, { file }]),
    ],
  },
  'image.retag': {
    phase: 'artifact',
    minimal: { service: 'api', from: 'releases/1.4.0' },
    parsed: { service: 'api', from: 'releases/1.4.0', dockerfile: 'Dockerfile', args: {} },
    required: ['service'],
    services: ['api'],
    invalid: [
      ['a folder outside the lab', { from: '../other-lab' }],
      ['a folder outside the lab, further down', { from: 'releases/../../x' }],
      ['an absolute folder', { from: '/srv/lab' }],
      ['build args that are not text or numbers', { args: { DEBUG: true } }],
      ...badServices,
    ],
    valid: [
      ['the lab folder itself by default', { from: undefined }, { from: '.' }],
      ['numeric build args, as text', { args: { PORT: 8080, MODE: 'prod' } }, { args: { PORT: '8080', MODE: 'prod' } }],
      ['a build target', { target: 'runtime' }, { target: 'runtime' }],
    ],
  },
  'image.bake-secret': {
    phase: 'artifact',
    minimal: { service: 'api', secret: 'secrets/db_password.txt', path: '/app/.env' },
    parsed: {
      service: 'api',
      secret: 'secrets/db_password.txt',
      path: '/app/.env',
      from: '.',
      dockerfile: 'Dockerfile',
      args: {},
    },
    required: ['service', 'secret', 'path'],
    services: ['api'],
    invalid: [
      ['a relative path inside the image', { path: 'app/.env' }],
      ['a folder outside the lab', { from: '../x' }],
      ...escapes.map(([why, secret]): [string, Record<string, unknown>] => [`a secret that is ${why}`, { secret }]),
      ...badServices,
    ],
  },
  'container.kill': {
    phase: 'runtime',
    minimal: { service: 'api' },
    parsed: { service: 'api', signal: 'SIGKILL' },
    required: ['service'],
    services: ['api'],
    invalid: [
      ['a signal without SIG', { signal: 'KILL' }],
      ['a lowercase signal', { signal: 'sigterm' }],
      ['a signal number', { signal: 9 }],
      ...badServices,
    ],
    valid: [
      ['SIGTERM', { signal: 'SIGTERM' }, { signal: 'SIGTERM' }],
      ['SIGUSR1', { signal: 'SIGUSR1' }, { signal: 'SIGUSR1' }],
    ],
  },
  'container.stop': {
    phase: 'runtime',
    minimal: { service: 'api' },
    parsed: { service: 'api', timeoutSeconds: 2 },
    required: ['service'],
    services: ['api'],
    invalid: [
      ['a negative timeout', { timeoutSeconds: -1 }],
      ['a fractional timeout', { timeoutSeconds: 1.5 }],
      ['a timeout over a minute', { timeoutSeconds: 61 }],
      ['a duration string', { timeoutSeconds: '5s' }],
      ...badServices,
    ],
    valid: [['no grace at all', { timeoutSeconds: 0 }, { timeoutSeconds: 0 }]],
  },
  'container.pause': {
    phase: 'runtime',
    minimal: { service: 'api' },
    parsed: { service: 'api' },
    required: ['service'],
    services: ['api'],
    invalid: badServices,
  },
  'container.memory': {
    phase: 'runtime',
    minimal: { service: 'api', limit: '64m' },
    parsed: { service: 'api', limit: 64 * 1024 ** 2 },
    required: ['service', 'limit'],
    services: ['api'],
    invalid: [
      ['a unit that does not exist', { limit: '64x' }],
      ['no number', { limit: 'm' }],
      ['zero bytes', { limit: 0 }],
      ['negative bytes', { limit: -1 }],
      ['fractional bytes', { limit: 1.5 }],
      ['a negative size', { limit: '-64m' }],
      ...badServices,
    ],
    valid: [
      ['gigabytes', { limit: '1g' }, { limit: 1024 ** 3 }],
      ['upper-case units with b', { limit: '512MB' }, { limit: 512 * 1024 ** 2 }],
      ['a fraction of a unit', { limit: '1.5k' }, { limit: 1536 }],
      ['plain bytes', { limit: 50_000_000 }, { limit: 50_000_000 }],
    ],
  },
  'network.disconnect': {
    phase: 'runtime',
    minimal: { service: 'db' },
    parsed: { service: 'db' },
    required: ['service'],
    services: ['db'],
    invalid: badServices,
  },
  'network.delay': {
    phase: 'runtime',
    minimal: { service: 'db', delay: '2s' },
    parsed: { service: 'db', delay: 2000, jitter: 0 },
    required: ['service', 'delay'],
    services: ['db'],
    invalid: [
      ['a delay without a unit that is text', { delay: '2' }],
      ['a negative delay', { delay: -5 }],
      ['a jitter that is not a duration', { jitter: 'lots' }],
      ['a peer with a space', { peer: 'my api' }],
      ...badServices,
    ],
    valid: [
      ['milliseconds as a number, with jitter', { delay: 250, jitter: '50ms' }, { delay: 250, jitter: 50 }],
      ['a peer', { peer: 'api' }, { peer: 'api' }],
    ],
  },
  'network.loss': {
    phase: 'runtime',
    minimal: { service: 'db', percent: 30 },
    parsed: { service: 'db', percent: 30 },
    required: ['service', 'percent'],
    services: ['db'],
    invalid: [
      ['no loss at all', { percent: 0 }],
      ['more than everything', { percent: 101 }],
      ['a percent as text', { percent: '30%' }],
      ...badServices,
    ],
    valid: [
      ['a fraction of a percent', { percent: 0.5 }, { percent: 0.5 }],
      ['a peer', { peer: 'api' }, { peer: 'api' }],
    ],
  },
  'network.blackhole': {
    phase: 'runtime',
    minimal: { service: 'payments' },
    parsed: { service: 'payments' },
    required: ['service'],
    services: ['payments'],
    invalid: [['a peer that is not a name', { peer: 42 }], ...badServices],
    valid: [['a peer', { peer: 'api' }, { peer: 'api' }]],
  },
  'network.refuse': {
    phase: 'runtime',
    minimal: { service: 'web' },
    parsed: { service: 'web' },
    required: ['service'],
    services: ['web'],
    invalid: [
      ['port 0', { port: 0 }],
      ['a port past 65535', { port: 70000 }],
      ['a port as text', { port: '8080' }],
      ['a fractional port', { port: 80.5 }],
      ...badServices,
    ],
    valid: [['one port', { port: 8080 }, { port: 8080 }]],
  },
  'disk.fill': {
    phase: 'runtime',
    minimal: { service: 'db', file: '/var/lib/postgresql/data/log/postgresql.log' },
    parsed: { service: 'db', file: '/var/lib/postgresql/data/log/postgresql.log' },
    required: ['service', 'file'],
    services: ['db'],
    invalid: [
      ['a relative file', { file: 'data/big.log' }],
      ['a file with ..', { file: '/var/lib/../etc/passwd' }],
      ['a file with a quote', { file: "/data/it's.log" }],
      ['both size and leave', { size: '10m', leave: '1m' }],
      ['a size that is not one', { size: 'lots' }],
      ...badServices,
    ],
    valid: [
      ['a size', { size: '48m' }, { size: 48 * 1024 ** 2 }],
      ['what to leave free', { leave: '512k' }, { leave: 512 * 1024 }],
      ['nothing left free', { leave: 0 }, { leave: 0 }],
    ],
  },
  'process.stress': {
    phase: 'runtime',
    minimal: { service: 'api', cpu: 1 },
    parsed: { service: 'api', cpu: 1 },
    // Either cpu or memory: without memory, cpu is required.
    required: ['service', 'cpu'],
    services: ['api'],
    invalid: [
      ['neither cpu nor memory', { cpu: undefined }],
      ['no CPU loop', { cpu: 0 }],
      ['more loops than it may', { cpu: 5 }],
      ['a fraction of a loop', { cpu: 1.5 }],
      ['a memory size that is not one', { memory: 'much' }],
      ...badServices,
    ],
    valid: [
      ['memory as well', { memory: '64m' }, { cpu: 1, memory: 64 * 1024 ** 2 }],
      ['memory only', { cpu: undefined, memory: 1000000 }, { memory: 1000000 }],
    ],
  },
  sql: {
    phase: 'runtime',
    minimal: { statement: 'DROP TABLE notes' },
    parsed: { service: 'db', statement: 'DROP TABLE notes' },
    required: ['statement'],
    services: ['db'],
    invalid: [['an empty statement', { statement: '' }], ['a user that is not text', { user: 1 }], ...badServices],
    valid: [
      [
        'another service, database and user',
        { service: 'pg', database: 'app', user: 'admin' },
        { service: 'pg', database: 'app', user: 'admin' },
      ],
    ],
  },
  'sql.reversible': {
    phase: 'runtime',
    minimal: {
      statement: 'ALTER TABLE orders RENAME TO orders_moved',
      undo: 'ALTER TABLE IF EXISTS orders_moved RENAME TO orders',
    },
    parsed: {
      service: 'db',
      statement: 'ALTER TABLE orders RENAME TO orders_moved',
      undo: 'ALTER TABLE IF EXISTS orders_moved RENAME TO orders',
    },
    required: ['statement', 'undo'],
    services: ['db'],
    invalid: [
      ['an empty statement', { statement: '' }],
      ['an empty undo', { undo: '' }],
      ['a database that is not text', { database: 5 }],
      ...badServices,
    ],
    valid: [
      [
        'another service, database and user',
        { service: 'pg', database: 'app', user: 'admin' },
        { service: 'pg', database: 'app', user: 'admin' },
      ],
    ],
  },
};
