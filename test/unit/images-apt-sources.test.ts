import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  imageSourcesList,
  parseDeb822Sources,
  parseOneLineSources,
  pickDebianMirror,
  readAptSources,
} from '../../engine/images/apt-sources.js';

// Hosts in these fixtures are reserved example names: breakfix never names a real mirror.
const ONE_LINE = `
# comment line
deb http://mirror.example/debian bookworm main contrib
deb-src http://mirror.example/debian bookworm main
deb [arch=amd64 signed-by=/usr/share/keyrings/x.gpg] https://apt.example.org/debian bookworm-security main  # trailing comment
deb http://other.example/ubuntu jammy main universe
`;

const DEB822 = `Types: deb
# a comment inside the paragraph
URIs: http://mirror.example/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb deb-src
URIs: http://security.example/debian-security
Suites: bookworm-security
Components: main
Signed-By:
 -----BEGIN PGP PUBLIC KEY BLOCK-----
 .
 mQINBGPL
 -----END PGP PUBLIC KEY BLOCK-----

Types: deb
URIs: http://disabled.example/debian
Suites: bookworm
Components: main
Enabled: no
`;

describe('one-line apt sources', () => {
  it('reads type, URI, suite and components, skipping options and comments', () => {
    const sources = parseOneLineSources(ONE_LINE, 'x.list');
    expect(sources).toHaveLength(4);
    expect(sources[0]).toEqual({
      types: ['deb'],
      uris: ['http://mirror.example/debian'],
      suites: ['bookworm'],
      components: ['main', 'contrib'],
      enabled: true,
      file: 'x.list',
    });
    expect(sources[1]?.types).toEqual(['deb-src']);
    expect(sources[2]).toMatchObject({
      uris: ['https://apt.example.org/debian'],
      suites: ['bookworm-security'],
      components: ['main'],
    });
  });
});

describe('deb822 apt sources', () => {
  it('reads paragraphs with several suites, multi-line fields and Enabled: no', () => {
    const sources = parseDeb822Sources(DEB822, 'debian.sources');
    expect(sources).toHaveLength(3);
    expect(sources[0]).toEqual({
      types: ['deb'],
      uris: ['http://mirror.example/debian'],
      suites: ['bookworm', 'bookworm-updates'],
      components: ['main'],
      enabled: true,
      file: 'debian.sources',
    });
    expect(sources[1]).toMatchObject({
      types: ['deb', 'deb-src'],
      suites: ['bookworm-security'],
      components: ['main'],
    });
    expect(sources[2]?.enabled).toBe(false);
  });
});

describe('choosing the mirror', () => {
  it('takes the first enabled deb source serving exactly the suite with main', () => {
    expect(pickDebianMirror(parseDeb822Sources(DEB822), 'bookworm')).toBe('http://mirror.example/debian');
    expect(pickDebianMirror(parseOneLineSources(ONE_LINE), 'bookworm')).toBe('http://mirror.example/debian');
  });

  it('ignores security-only, disabled, source-only and other-distribution entries', () => {
    const sources = [
      ...parseOneLineSources(
        'deb-src http://src.example/debian bookworm main\ndeb http://sec.example/debian-security bookworm-security main\ndeb http://u.example/ubuntu jammy main',
      ),
      ...parseDeb822Sources(
        'Types: deb\nURIs: http://off.example/debian\nSuites: bookworm\nComponents: main\nEnabled: no\n',
      ),
    ];
    expect(pickDebianMirror(sources, 'bookworm')).toBeUndefined();
  });

  it('writes the image sources.list with the mirror plus the host updates and security sources', () => {
    const sources = parseDeb822Sources(DEB822);
    expect(imageSourcesList(sources, 'bookworm', 'http://mirror.example/debian')).toBe(
      'deb http://mirror.example/debian bookworm main\n' +
        'deb http://mirror.example/debian bookworm-updates main\n' +
        'deb http://security.example/debian-security bookworm-security main\n',
    );
  });
});

describe('reading the machine sources', () => {
  let root: string | undefined;
  afterEach(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('reads sources.list, *.list and *.sources, and skips other files in sources.list.d', async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'bf-apt-'));
    await mkdir(path.join(root, 'etc/apt/sources.list.d'), { recursive: true });
    await writeFile(path.join(root, 'etc/apt/sources.list'), '# only comments\n');
    await writeFile(path.join(root, 'etc/apt/sources.list.d/debian.sources'), DEB822);
    await writeFile(
      path.join(root, 'etc/apt/sources.list.d/extra.list'),
      'deb http://extra.example/debian trixie main\n',
    );
    await writeFile(
      path.join(root, 'etc/apt/sources.list.d/old.list.disabled'),
      'deb http://never.example/debian bookworm main\n',
    );
    const sources = await readAptSources(root);
    expect(sources.map((source) => source.uris[0])).toEqual([
      'http://mirror.example/debian',
      'http://security.example/debian-security',
      'http://disabled.example/debian',
      'http://extra.example/debian',
    ]);
    expect(pickDebianMirror(sources, 'bookworm')).toBe('http://mirror.example/debian');
    expect(pickDebianMirror(sources, 'trixie')).toBe('http://extra.example/debian');
  });

  it('returns nothing (not an error) on a machine without apt', async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'bf-apt-'));
    expect(await readAptSources(root)).toEqual([]);
  });
});
