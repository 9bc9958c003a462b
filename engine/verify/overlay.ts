import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderTemplate } from '../scenario/templates.js';
import type { VarValue } from '../scenario/schema.js';

/**
 * Copies a folder onto the workspace, rendering `{{ vars.NAME }}` in text files so that a
 * solution matches the seeded lab it is applied to. Returns the files written, relative.
 */
export async function overlayFolder(
  source: string,
  workspace: string,
  vars: Record<string, VarValue>,
): Promise<string[]> {
  const written: string[] = [];
  const walk = async (relative: string): Promise<void> => {
    for (const entry of await readdir(path.join(source, relative), { withFileTypes: true })) {
      const child = path.join(relative, entry.name);
      if (entry.isDirectory()) {
        await walk(child);
      } else if (entry.isFile()) {
        const content = await readFile(path.join(source, child));
        const text = content.toString('utf8');
        // Binary files (invalid UTF-8 round trip) are copied byte for byte.
        const rendered = Buffer.from(text, 'utf8').equals(content) ? renderTemplate(text, vars, 'keep') : content;
        await mkdir(path.dirname(path.join(workspace, child)), { recursive: true });
        await writeFile(path.join(workspace, child), rendered);
        written.push(child);
      }
    }
  };
  await walk('');
  return written;
}
