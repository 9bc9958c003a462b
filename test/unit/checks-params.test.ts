/**
 * The zod params of every registered check type: defaults, required keys, unknown keys (at the
 * top and inside `expect`) and bad values — regular expressions, durations, sizes, paths that
 * leave the workspace. Generated from the registry: a new check type fails this file until it
 * has a sample below.
 */
import { expect, it } from 'vitest';
import { checkRegistry, findCheck } from '../../engine/checks/registry.js';
import { documentCheckSamples } from '../support/check-param-samples-documents.js';
import { describeRegistryParams, type ParamsSample } from '../support/params-suite.js';

type Sample = ParamsSample;

const badRegex = '([unclosed';
const badServices: Array<[string, Record<string, unknown>]> = [
  ['a service name with a space', { service: 'my api' }],
  ['a service that is not a string', { service: ['api'] }],
];

const samples: Record<string, Sample> = {
  http: {
    minimal: { service: 'api' },
    parsed: {
      service: 'api',
      path: '/',
      method: 'GET',
      headers: {},
      expect: { reachable: true, status: 200, json: [], headers: {} },
    },
    required: ['service'],
    services: ['api'],
    invalid: [
      ['a path without a leading slash', { path: 'health' }],
      ['port 0', { port: 0 }],
      ['a port above 65535', { port: 65536 }],
      ['a port as text', { port: '8080' }],
      ['an unknown method', { method: 'FETCH' }],
      ['an empty status list', { expect: { status: [] } }],
      ['a fractional status', { expect: { status: 200.5 } }],
      ['a bad bodyMatches pattern', { expect: { bodyMatches: badRegex } }],
      ['a bad JSON pattern', { expect: { json: [{ path: 'version', matches: badRegex }] } }],
      ['a JSON expectation without a path', { expect: { json: [{ equals: 1 }] } }],
      ['an unknown key in a JSON expectation', { expect: { json: [{ path: 'a', equal: 1 }] } }],
      ['a latency without a unit', { expect: { maxLatency: '5' } }],
      ['a latency in days', { expect: { maxLatency: '1d' } }],
      ['a negative latency', { expect: { maxLatency: -5 } }],
      ['a header value that is not text', { headers: { 'x-token': 1 } }],
      ...badServices,
    ],
    valid: [
      ['a latency in seconds', { expect: { maxLatency: '1.5s' } }, { expect: { maxLatency: 1500 } }],
      ['a latency in milliseconds', { expect: { maxLatency: 250 } }, { expect: { maxLatency: 250 } }],
      ['a list of statuses', { expect: { status: [200, 204] } }, { expect: { status: [200, 204] } }],
      [
        'reachable: false alone',
        { expect: { reachable: false } },
        { expect: { reachable: false, status: 200, json: [], headers: {} } },
      ],
      ['a JSON body', { method: 'POST', body: { title: 'x' } }, { method: 'POST', body: { title: 'x' } }],
    ],
  },
  container: {
    minimal: { service: 'api', expect: {} },
    parsed: { service: 'api', expect: {} },
    required: ['service', 'expect'],
    services: ['api'],
    invalid: [
      ['running as text', { expect: { running: 'yes' } }],
      ['a fractional exit code', { expect: { exitCode: 1.5 } }],
      ['restarts min above max', { expect: { restarts: { min: 3, max: 1 } } }],
      ['negative restarts', { expect: { restarts: { max: -1 } } }],
      ['an unknown key in restarts', { expect: { restarts: { most: 1 } } }],
      ['a bad healthcheck pattern', { expect: { healthcheck: { excludes: [badRegex] } } }],
      ['an empty healthcheck contains list', { expect: { healthcheck: { contains: [] } } }],
      ['an unknown key in healthcheck', { expect: { healthcheck: { matches: 'x' } } }],
      ...badServices,
    ],
    valid: [
      [
        'one string for contains',
        { expect: { healthcheck: { contains: '/health' } } },
        { expect: { healthcheck: { contains: ['/health'] } } },
      ],
      ['a restart range', { expect: { restarts: { min: 0, max: 0 } } }, { expect: { restarts: { min: 0, max: 0 } } }],
      [
        'a negative exit code (Docker reports -1 for some failures)',
        { expect: { exitCode: -1 } },
        { expect: { exitCode: -1 } },
      ],
    ],
  },
  logs: {
    minimal: { service: 'api', expect: {} },
    parsed: { service: 'api', since: 'container', expect: {} },
    required: ['service', 'expect'],
    services: ['api'],
    invalid: [
      ['an unknown since', { since: 'yesterday' }],
      ['a duration as since', { since: '5m' }],
      ['a bad pattern', { expect: { matches: badRegex } }],
      ['an empty contains list', { expect: { contains: [] } }],
      ['minLines 0', { expect: { minLines: 0 } }],
      ['negative maxLines', { expect: { maxLines: -1 } }],
      ...badServices,
    ],
    valid: [
      ['since apply', { since: 'apply' }, { since: 'apply' }],
      ['since session', { since: 'session' }, { since: 'session' }],
      [
        'one string for contains and absent',
        { expect: { contains: 'ready', absent: 'ERROR' } },
        { expect: { contains: ['ready'], absent: ['ERROR'] } },
      ],
      ['maxLines 0 (nothing reaches docker logs)', { expect: { maxLines: 0 } }, { expect: { maxLines: 0 } }],
    ],
  },
  exec: {
    minimal: { service: 'api', command: 'true' },
    parsed: { service: 'api', command: ['sh', '-c', 'true'], expect: { exitCode: 0 } },
    required: ['service', 'command'],
    services: ['api'],
    invalid: [
      ['an empty command', { command: '' }],
      ['an empty command list', { command: [] }],
      ['a command list with a number', { command: ['sleep', 1] }],
      ['a bad stdout pattern', { expect: { stdoutMatches: badRegex } }],
      ['a fractional exit code', { expect: { exitCode: 0.5 } }],
      ...badServices,
    ],
    valid: [
      ['a command list, run as given', { command: ['id', '-u'] }, { command: ['id', '-u'] }],
      [
        'expectations without an exit code (0 is assumed)',
        { expect: { stdoutContains: 'x' } },
        { expect: { exitCode: 0, stdoutContains: 'x' } },
      ],
    ],
  },
  sql: {
    minimal: { query: 'SELECT 1', expect: {} },
    parsed: { service: 'db', query: 'SELECT 1', expect: {} },
    required: ['query', 'expect'],
    services: ['db'],
    invalid: [
      ['an empty query', { query: '' }],
      ['rows min above max', { expect: { rows: { min: 2, max: 1 } } }],
      ['negative rows', { expect: { rows: { min: -1 } } }],
      ['equals as a list', { expect: { equals: [1] } }],
      ...badServices,
    ],
    valid: [
      ['a number to compare, as text', { expect: { equals: 1 } }, { expect: { equals: '1' } }],
      ['a boolean to compare, as text', { expect: { equals: true } }, { expect: { equals: 'true' } }],
    ],
  },
  image: {
    minimal: { service: 'api', expect: {} },
    parsed: { service: 'api', expect: {} },
    // `service` or `image`: exactly one (see the cases below).
    required: ['expect', 'service'],
    services: ['api'],
    invalid: [
      ['both service and image', { image: 'notes-api:2.0.0' }],
      ['neither service nor image', { service: undefined }],
      ['a size with an unknown unit', { expect: { maxSize: '200q' } }],
      ['a size of zero', { expect: { maxSize: 0 } }],
      ['a bad history pattern', { expect: { historyExcludes: [badRegex] } }],
      ['an exposed port as text', { expect: { exposedPorts: ['8080'] } }],
      ['a label value that is not text', { expect: { labels: { version: 2 } } }],
      ...badServices,
    ],
    valid: [
      [
        'an image instead of a service',
        { service: undefined, image: 'breakfix/postgres:15' },
        { image: 'breakfix/postgres:15' },
      ],
      ['a size in megabytes', { expect: { maxSize: '200m' } }, { expect: { maxSize: 200 * 1024 ** 2 } }],
      ['a size in bytes', { expect: { maxSize: 1000 } }, { expect: { maxSize: 1000 } }],
    ],
  },
  env: {
    minimal: { service: 'api', expect: {} },
    parsed: { service: 'api', expect: {} },
    required: ['service', 'expect'],
    services: ['api'],
    invalid: [
      ['a present name with a dash', { expect: { present: ['API-KEY'] } }],
      ['an absent name starting with a digit', { expect: { absent: ['1X'] } }],
      ['an equals name with a space', { expect: { equals: { 'A B': 'x' } } }],
      ['an equals value that is a list', { expect: { equals: { A: ['x'] } } }],
      ...badServices,
    ],
    valid: [
      [
        'a number to compare, as text',
        { expect: { equals: { PORT: 8080 } } },
        { expect: { equals: { PORT: '8080' } } },
      ],
    ],
  },
  ...documentCheckSamples,
  load: {
    minimal: { service: 'api', requests: 100 },
    parsed: {
      service: 'api',
      path: '/',
      method: 'GET',
      headers: {},
      requests: 100,
      concurrency: 4,
      requestTimeout: 5000,
      expect: { successRatio: { min: 1 } },
    },
    required: ['service', 'requests'],
    services: ['api'],
    invalid: [
      ['zero requests', { requests: 0 }],
      ['fractional requests', { requests: 1.5 }],
      ['a concurrency of 0', { concurrency: 0 }],
      ['a concurrency above 256', { concurrency: 257 }],
      ['a success ratio above 1', { expect: { successRatio: 1.5 } }],
      ['a status key that is not a status', { expect: { status: { ok: { max: 0 } } } }],
      ['a status range with min above max', { expect: { status: { '503': { min: 2, max: 1 } } } }],
      ['a p95 without a unit', { expect: { p95: '5' } }],
      ['negative errors', { expect: { errors: { max: -1 } } }],
      ['a success ratio range with min above max', { expect: { successRatio: { min: 0.9, max: 0.5 } } }],
      ['a path without a leading slash', { path: 'health' }],
      ...badServices,
    ],
    valid: [
      ['a p95 in milliseconds', { expect: { p95: '250ms' } }, { expect: { p95: 250, successRatio: { min: 1 } } }],
      ['a success ratio as a number', { expect: { successRatio: 0.9 } }, { expect: { successRatio: { min: 0.9 } } }],
      [
        'a success ratio at most',
        { expect: { successRatio: { max: 0.5 } } },
        { expect: { successRatio: { max: 0.5 } } },
      ],
      ['a request timeout', { requestTimeout: '2s' }, { requestTimeout: 2000 }],
      [
        'a JSON body and success statuses',
        { method: 'POST', body: { sku: 'x' }, expect: { success: [201] } },
        { method: 'POST', body: { sku: 'x' }, expect: { success: [201] } },
      ],
    ],
  },
  metrics: {
    minimal: { service: 'api', sample: 'http_requests_total', expect: {} },
    parsed: { service: 'api', path: '/metrics', sample: 'http_requests_total', labels: {}, expect: {} },
    required: ['service', 'sample', 'expect'],
    services: ['api'],
    invalid: [
      ['a sample name with a dash', { sample: 'http-requests' }],
      ['a label value that is not text', { labels: { status: 200 } }],
      ['an increase without traffic or interval', { expect: { increase: { min: 1 } } }],
      ['a rate without traffic or interval', { expect: { rate: { max: 1 } } }],
      ['a value range with min above max', { expect: { value: { min: 2, max: 1 } } }],
      ['traffic without requests', { traffic: { path: '/' } }],
      ['an interval without a unit', { interval: '2' }],
      ['a share of the memory limit above 1', { expect: { belowMemoryLimit: 1.5 } }],
      ['a share of the memory limit of 0', { expect: { belowMemoryLimit: 0 } }],
      ...badServices,
    ],
    valid: [
      ['an interval', { interval: '1s', expect: { rate: { max: 2 } } }, { interval: 1000 }],
      ['a share of the memory limit', { expect: { belowMemoryLimit: 0.85 } }, { expect: { belowMemoryLimit: 0.85 } }],
      [
        'traffic to another service',
        { traffic: { service: 'web', path: '/a', requests: 5 }, expect: { increase: { min: 5 } } },
        {
          traffic: {
            service: 'web',
            path: '/a',
            method: 'GET',
            headers: {},
            requests: 5,
            concurrency: 4,
            requestTimeout: 5000,
          },
        },
      ],
      ['a fractional value range', { expect: { value: { min: 0.5 } } }, { expect: { value: { min: 0.5 } } }],
    ],
  },
  'redis-info': {
    minimal: { service: 'cache', field: 'keyspace_hits', expect: {} },
    parsed: { service: 'cache', section: 'stats', field: 'keyspace_hits', expect: {} },
    required: ['service', 'field', 'expect'],
    services: ['cache'],
    invalid: [
      ['a field with capitals', { field: 'Keyspace' }],
      ['an increase without traffic', { expect: { increase: { min: 1 } } }],
      ['an increase with traffic to no service', { traffic: { requests: 3 }, expect: { increase: { min: 1 } } }],
      ...badServices,
    ],
    valid: [
      [
        'an increase around traffic to the api',
        { traffic: { service: 'api', path: '/p', requests: 3 }, expect: { increase: { min: 1 } } },
        { traffic: { service: 'api', path: '/p', requests: 3 } },
      ],
    ],
  },
  stop: {
    minimal: { service: 'api', inFlight: { path: '/orders', body: { a: 1 } } },
    parsed: {
      service: 'api',
      inFlight: { path: '/orders', method: 'POST', body: { a: 1 }, requests: 3, sendFor: 1500 },
      backWithin: 60_000,
      expect: { answered: true },
    },
    required: ['service', 'inFlight'],
    services: ['api'],
    invalid: [
      ['a GET in flight (no body to send slowly)', { inFlight: { path: '/', method: 'GET', body: 'x' } }],
      ['no in-flight path', { inFlight: { body: 'x' } }],
      ['a grace period without a unit', { grace: '10' }],
      ...badServices,
    ],
    valid: [
      ['an exit code and a time', { expect: { exitCode: 0, within: '5s' } }, { expect: { exitCode: 0, within: 5000 } }],
    ],
  },
  memory: {
    minimal: { service: 'api', expect: { limit: { max: '128m' } } },
    parsed: { service: 'api', expect: { limit: { max: 128 * 1024 ** 2 } } },
    required: ['service', 'expect'],
    services: ['api'],
    invalid: [
      ['a size with an unknown unit', { expect: { limit: { max: '1q' } } }],
      ['min above max', { expect: { limit: { min: '1g', max: '1m' } } }],
      ...badServices,
    ],
  },
  'git-history': {
    minimal: { expect: {} },
    parsed: { expect: {} },
    required: ['expect'],
    services: [],
    invalid: [
      ['a secret without a file', { secret: { service: 'api' } }],
      ['a secret file that is relative', { secret: { service: 'api', file: 'run/x' } }],
      ['a variable in lower case', { secret: { service: 'api', file: '/x', fileEnv: 'key_file' } }],
      ['commits min above max', { expect: { commits: { min: 3, max: 1 } } }],
    ],
    valid: [
      [
        'a live secret to look for',
        { secret: { service: 'api', fileEnv: 'KEY_FILE', file: '/run/secrets/key' }, expect: { secretAbsent: true } },
        { secret: { service: 'api', fileEnv: 'KEY_FILE', file: '/run/secrets/key' } },
      ],
    ],
  },
};

describeRegistryParams({
  kind: 'check',
  file: 'checks-params.test.ts',
  registry: checkRegistry,
  find: findCheck,
  samples,
  unknownType: 'vibes',
  more: (definition, sample) => {
    it('refuses unknown keys, at the top and inside expect (a typo must not pass silently)', () => {
      const top = definition.params.safeParse({ ...sample.minimal, timeout: '5s' });
      expect(top.success).toBe(false);
      expect(top.error?.issues.some((issue) => issue.code === 'unrecognized_keys')).toBe(true);
      const parsedExpect = (definition.params.parse(sample.minimal) as { expect?: unknown }).expect;
      if (parsedExpect !== undefined) {
        const inner = definition.params.safeParse({
          ...sample.minimal,
          expect: { ...(sample.minimal.expect as object), stauts: 200 },
        });
        expect(inner.success).toBe(false);
        expect(
          inner.error?.issues.some((issue) => issue.code === 'unrecognized_keys' && issue.path[0] === 'expect'),
        ).toBe(true);
      }
    });
  },
});
