/**
 * Hand-made tar archives for the upload tests, including entries a friendly `tar` would never
 * write (`../escape`, absolute paths, devices, links leaving the folder).
 */
export interface TarEntry {
  name: string;
  /** '0' file, '5' folder, '2' symlink, '1' hard link, '3' character device, '6' FIFO. */
  type?: '0' | '1' | '2' | '3' | '5' | '6';
  content?: string | Uint8Array;
  linkname?: string;
  mode?: number;
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function header(entry: TarEntry, size: number): Uint8Array {
  const block = new Uint8Array(512);
  const put = (offset: number, text: string) => block.set(new TextEncoder().encode(text), offset);
  put(0, entry.name);
  put(100, octal(entry.mode ?? (entry.type === '5' ? 0o755 : 0o644), 8));
  put(108, octal(0, 8));
  put(116, octal(0, 8));
  put(124, octal(size, 12));
  put(136, octal(1_700_000_000, 12));
  put(148, '        ');
  put(156, entry.type ?? '0');
  if (entry.linkname) put(157, entry.linkname);
  put(257, 'ustar\0');
  put(263, '00');
  const sum = block.reduce((total, byte) => total + byte, 0);
  put(148, `${sum.toString(8).padStart(6, '0')}\0 `);
  return block;
}

export function makeTar(entries: TarEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const entry of entries) {
    const body =
      typeof entry.content === 'string' ? new TextEncoder().encode(entry.content) : (entry.content ?? new Uint8Array());
    const size = entry.type === undefined || entry.type === '0' ? body.length : 0;
    parts.push(header(entry, size));
    if (size > 0) {
      const padded = new Uint8Array(Math.ceil(size / 512) * 512);
      padded.set(body);
      parts.push(padded);
    }
  }
  parts.push(new Uint8Array(1024));
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
