/**
 * The machine's own apt sources, read to find the Debian mirror debootstrap should use.
 *
 * breakfix never names a mirror: classrooms and CI sandboxes often reach only their local
 * mirror or proxy, which is exactly what the machine's apt is already configured with.
 * Both formats are read: one-line `deb [opts] URI suite [component...]` (sources.list, *.list)
 * and deb822 paragraphs (`Types:` / `URIs:` / `Suites:` / `Components:` in *.sources).
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';

export interface AptSource {
  types: string[];
  uris: string[];
  suites: string[];
  components: string[];
  enabled: boolean;
  /** The file it was read from, for messages. */
  file: string;
}

export function parseOneLineSources(text: string, file = 'sources.list'): AptSource[] {
  const sources: AptSource[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/#.*$/, '').trim();
    if (!line) continue;
    // Options sit in brackets right after the type: `deb [arch=amd64 signed-by=/k.gpg] URI ...`
    const match = /^(\S+)\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)(?:\s+(.*))?$/.exec(line);
    if (!match) continue;
    const [, type = '', uri = '', suite = '', components = ''] = match;
    sources.push({
      types: [type],
      uris: [uri],
      suites: [suite],
      components: components.split(/\s+/).filter(Boolean),
      enabled: true,
      file,
    });
  }
  return sources;
}

export function parseDeb822Sources(text: string, file = 'debian.sources'): AptSource[] {
  const sources: AptSource[] = [];
  let fields = new Map<string, string>();
  let lastKey: string | undefined;

  const flush = (): void => {
    if (fields.size > 0) {
      const words = (key: string): string[] => (fields.get(key) ?? '').split(/\s+/).filter(Boolean);
      const enabled = (fields.get('enabled') ?? 'yes').trim().toLowerCase() !== 'no';
      sources.push({
        types: words('types'),
        uris: words('uris'),
        suites: words('suites'),
        components: words('components'),
        enabled,
        file,
      });
    }
    fields = new Map();
    lastKey = undefined;
  };

  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('#')) continue;
    if (line.trim() === '') {
      flush();
      continue;
    }
    if (/^\s/.test(line)) {
      // Continuation line (e.g. an inline Signed-By key block).
      if (lastKey) fields.set(lastKey, `${fields.get(lastKey) ?? ''} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon === -1) continue;
    lastKey = line.slice(0, colon).trim().toLowerCase();
    fields.set(lastKey, line.slice(colon + 1).trim());
  }
  flush();
  return sources;
}

/** Every source configured on the machine (`root` lets tests point at a fake /etc). */
export async function readAptSources(root = '/'): Promise<AptSource[]> {
  const etcApt = path.join(root, 'etc', 'apt');
  const sources: AptSource[] = [];
  const mainList = path.join(etcApt, 'sources.list');
  const mainText = await readFile(mainList, 'utf8').catch(() => undefined);
  if (mainText !== undefined) sources.push(...parseOneLineSources(mainText, mainList));

  const partsDir = path.join(etcApt, 'sources.list.d');
  const parts = await readdir(partsDir).catch(() => [] as string[]);
  for (const name of parts.sort()) {
    const file = path.join(partsDir, name);
    // apt itself reads only these two extensions (files like `x.list.disabled` are off).
    if (name.endsWith('.list')) sources.push(...parseOneLineSources(await readFile(file, 'utf8'), file));
    else if (name.endsWith('.sources')) sources.push(...parseDeb822Sources(await readFile(file, 'utf8'), file));
  }
  return sources;
}

/**
 * The first enabled binary source that serves `suite` (exactly, not `suite-security`) with the
 * `main` component — that is a Debian mirror debootstrap can build `suite` from.
 */
export function pickDebianMirror(sources: readonly AptSource[], suite: string): string | undefined {
  for (const source of sources) {
    if (!source.enabled || !source.types.includes('deb')) continue;
    if (!source.suites.includes(suite) || !source.components.includes('main')) continue;
    const uri = source.uris.find((candidate) => /^(https?|file|ftp):/.test(candidate));
    if (uri) return uri;
  }
  return undefined;
}

/**
 * sources.list lines for the image itself: the chosen mirror for `suite`, plus the machine's
 * own `suite-updates` / `suite-security` sources when it has them, so lab images get the
 * same security fixes the host gets.
 */
export function imageSourcesList(sources: readonly AptSource[], suite: string, mirror: string): string {
  const lines = [`deb ${mirror} ${suite} main`];
  for (const extra of [`${suite}-updates`, `${suite}-security`]) {
    const source = sources.find(
      (candidate) =>
        candidate.enabled &&
        candidate.types.includes('deb') &&
        candidate.suites.includes(extra) &&
        candidate.components.includes('main'),
    );
    const uri = source?.uris.find((candidate) => /^(https?|ftp):/.test(candidate));
    if (uri) lines.push(`deb ${uri} ${extra} main`);
  }
  return `${lines.join('\n')}\n`;
}
