/** POST /v1/grade: uploads (multipart, raw tar.gz), reporters, limits (fake engine, no Docker). */
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BROKEN_COMPOSE, deferred, FIXED_COMPOSE } from '../support/fake-engine.js';
import { makeTar } from './server-tar-fixture.js';
import { createSession, errorOf, harness, json, replaceHarness, useServerHarness } from '../support/server-harness.js';

useServerHarness();

describe('POST /v1/grade', () => {
  const fixedTar = () =>
    makeTar([
      { name: 'compose.yaml', content: FIXED_COMPOSE },
      { name: 'app/', type: '5' },
      { name: 'app/main.py', content: 'print(1)\n' },
    ]);
  const brokenTar = () => makeTar([{ name: 'compose.yaml', content: BROKEN_COMPOSE }]);

  function multipart(fields: Record<string, string>, archive?: Uint8Array): RequestInit {
    const form = new FormData();
    for (const [key, value] of Object.entries(fields)) form.set(key, value);
    if (archive) form.set('workspace', new File([archive], 'workspace.tar', { type: 'application/x-tar' }));
    return { method: 'POST', body: form };
  }

  it('grades a multipart upload and answers the JSON report with what was dropped', async () => {
    const response = await harness.request('/v1/grade', multipart({ scenario: 'wrong-port', seed: '7' }, fixedTar()));
    expect(response.status).toBe(200);
    expect(response.headers.get('x-breakfix-passed')).toBe('true');
    const body = (await response.json()) as {
      scenario: string;
      passed: boolean;
      score: number;
      maxScore: number;
      checks: unknown[];
      dropped: unknown[];
      seed: number;
    };
    expect(body).toMatchObject({
      scenario: 'wrong-port',
      passed: true,
      score: 100,
      maxScore: 100,
      dropped: [],
      seed: 7,
    });
    expect(harness.engine.graded).toEqual([
      { scenario: 'wrong-port', seed: 7, files: ['app/', 'app/main.py', 'compose.yaml'] },
    ]);
    expect(harness.services.capacity.inUse).toBe(0);
  });

  it('grades a raw tar.gz body (fields in the query), wrapped in a top folder; JUnit by Accept, TAP and text by reporter', async () => {
    const archive = gzipSync(
      makeTar([
        { name: 'my-lab/', type: '5' },
        { name: 'my-lab/compose.yaml', content: BROKEN_COMPOSE },
      ]),
    );
    const junit = await harness.request('/v1/grade?scenario=wrong-port', {
      method: 'POST',
      headers: { 'Content-Type': 'application/gzip', Accept: 'application/xml' },
      body: archive,
    });
    expect(junit.status).toBe(200);
    expect(junit.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    expect(junit.headers.get('x-breakfix-passed')).toBe('false');
    const xml = await junit.text();
    expect(xml).toContain('<testsuite name="wrong-port"');
    expect(xml).toContain(
      '<failure message="GET http://127.0.0.1:8080/health: expected 200, got connection refused" type="http">',
    );
    expect(harness.engine.graded[0]!.files).toEqual(['compose.yaml']);

    const tap = await harness.request('/v1/grade?scenario=wrong-port&reporter=tap', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-tar', Accept: 'application/json' },
      body: brokenTar(),
    });
    expect(tap.headers.get('content-type')).toBe('text/x-tap; charset=utf-8');
    expect((await tap.text()).split('\n').slice(0, 1)).toEqual(['TAP version 14']);
    const text = await harness.request('/v1/grade?scenario=wrong-port', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-tar', Accept: 'text/html;q=1, text/plain;q=0.5' },
      body: brokenTar(),
    });
    expect(await text.text()).toContain('score 30/100');
  });

  it('400 for a missing scenario, a bad seed, a missing file, a body that is not a tar', async () => {
    const cases: Array<[string, RequestInit]> = [
      ['no scenario', multipart({}, fixedTar())],
      ['bad seed', multipart({ scenario: 'wrong-port', seed: 'x' }, fixedTar())],
      ['no file', multipart({ scenario: 'wrong-port' })],
      ['raw without scenario', { method: 'POST', headers: { 'Content-Type': 'application/x-tar' }, body: fixedTar() }],
      ['not a tar', { method: 'POST', headers: { 'Content-Type': 'application/x-tar' }, body: 'hello' }],
      [
        'bad gzip',
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/gzip' },
          body: new Uint8Array([0x1f, 0x8b, 1, 2, 3]),
        },
      ],
    ];
    for (const [name, init] of cases) {
      const target =
        name.startsWith('raw') || name.startsWith('not') || name.startsWith('bad gzip')
          ? name.startsWith('raw')
            ? '/v1/grade'
            : '/v1/grade?scenario=wrong-port'
          : '/v1/grade';
      const response = await harness.request(target, init);
      expect([name, response.status]).toEqual([name, 400]);
    }
    expect(harness.engine.graded).toEqual([]);
  });

  it('400 for unsafe archives: .. paths, absolute paths, links leaving the folder, devices', async () => {
    const unsafe: Array<[string, Uint8Array]> = [
      [
        'dot-dot',
        makeTar([
          { name: 'compose.yaml', content: FIXED_COMPOSE },
          { name: '../escape.txt', content: 'x' },
        ]),
      ],
      ['absolute', makeTar([{ name: '/tmp/bf-absolute.txt', content: 'x' }])],
      [
        'symlink out',
        makeTar([
          { name: 'compose.yaml', content: FIXED_COMPOSE },
          { name: 'secrets/pw', type: '2', linkname: '/etc/shadow' },
        ]),
      ],
      ['relative symlink out', makeTar([{ name: 'a/link', type: '2', linkname: '../../outside' }])],
      ['hard link out', makeTar([{ name: 'h', type: '1', linkname: '../outside' }])],
      ['device', makeTar([{ name: 'dev', type: '3' }])],
      ['fifo', makeTar([{ name: 'pipe', type: '6' }])],
    ];
    for (const [name, archive] of unsafe) {
      const response = await harness.request('/v1/grade?scenario=wrong-port', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-tar' },
        body: archive,
      });
      const error = await errorOf(response);
      expect([name, error.status, error.code]).toEqual([name, 400, 'bad_request']);
      expect(error.message).toMatch(/^unsafe archive: /);
    }
    expect(harness.engine.graded).toEqual([]);
    await expect(readFile('/tmp/bf-absolute.txt')).rejects.toThrow();
  });

  it('accepts symlinks that stay inside the workspace', async () => {
    const archive = makeTar([
      { name: 'compose.yaml', content: FIXED_COMPOSE },
      { name: 'secrets/', type: '5' },
      { name: 'secrets/real', content: 'pw' },
      { name: 'secrets/link', type: '2', linkname: 'real' },
    ]);
    const response = await harness.request('/v1/grade?scenario=wrong-port', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-tar' },
      body: archive,
    });
    expect(response.status).toBe(200);
    expect(harness.engine.graded[0]!.files).toEqual(['compose.yaml', 'secrets/', 'secrets/link@', 'secrets/real']);
  });

  it('413 for an upload over the limit, and for an archive that decompresses past it', async () => {
    await replaceHarness({ limits: { uploadBytes: 4096, unpackedBytes: 64 * 1024 } });
    const big = await harness.request('/v1/grade?scenario=wrong-port', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-tar' },
      body: makeTar([{ name: 'big', content: new Uint8Array(8192) }]),
    });
    expect(await errorOf(big)).toMatchObject({ status: 413, code: 'payload_too_large' });
    const bomb = gzipSync(makeTar([{ name: 'zeros', content: new Uint8Array(1024 * 1024) }]));
    expect(bomb.length).toBeLessThan(4096);
    const exploded = await harness.request('/v1/grade?scenario=wrong-port', {
      method: 'POST',
      headers: { 'Content-Type': 'application/gzip' },
      body: bomb,
    });
    expect(await errorOf(exploded)).toMatchObject({
      status: 413,
      message: 'the archive decompresses to more than 65536 bytes',
    });
  });

  it('400 for an archive with too many entries', async () => {
    await replaceHarness({ limits: { archiveEntries: 5 } });
    const archive = makeTar(Array.from({ length: 8 }, (_, index) => ({ name: `f${index}`, content: 'x' })));
    const error = await errorOf(
      await harness.request('/v1/grade?scenario=wrong-port', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-tar' },
        body: archive,
      }),
    );
    expect(error).toMatchObject({ status: 400, message: 'unsafe archive: more than 5 entries' });
  });

  it('404 for an unknown scenario, 415 for another content type, 503 when grading cannot run', async () => {
    expect((await harness.request('/v1/grade', multipart({ scenario: 'nope' }, fixedTar()))).status).toBe(404);
    expect(
      (
        await harness.request('/v1/grade?scenario=wrong-port', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: '{}',
        })
      ).status,
    ).toBe(415);
    const docker = await harness.request('/v1/grade', multipart({ scenario: 'needs-docker' }, fixedTar()));
    expect((await errorOf(docker)).status).toBe(503);
  });

  it('429 when gradings and sessions fill every slot', async () => {
    await createSession();
    await createSession();
    harness.engine.gradeGate = deferred();
    const running = harness.request('/v1/grade', multipart({ scenario: 'wrong-port' }, fixedTar()));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(harness.services.capacity.inUse).toBe(3);
    expect((await harness.request('/v1/grade', multipart({ scenario: 'wrong-port' }, fixedTar()))).status).toBe(429);
    expect((await harness.request('/v1/sessions', json({ scenario: 'wrong-port' }))).status).toBe(429);
    harness.engine.gradeGate.resolve();
    expect((await running).status).toBe(200);
    expect(harness.services.capacity.inUse).toBe(2);
  });
});
