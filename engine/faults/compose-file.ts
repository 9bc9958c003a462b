import { readFile, writeFile } from 'node:fs/promises';
import { parseDocument, type Document } from 'yaml';
import { resolveInWorkspace } from '../util/workspace-path.js';
import { FaultError } from './fault.js';

/** Load, edit and save a compose file while keeping its comments and layout. */
export async function editComposeFile(workspace: string, file: string, edit: (doc: Document) => void): Promise<void> {
  const absolute = resolveInWorkspace(workspace, file);
  let source: string;
  try {
    source = await readFile(absolute, 'utf8');
  } catch {
    throw new FaultError(`${file} does not exist in the workspace`);
  }
  const doc = parseDocument(source);
  if (doc.errors.length > 0) throw new FaultError(`${file} is not valid YAML: ${doc.errors[0]?.message ?? ''}`);
  edit(doc);
  // flowCollectionPadding: false keeps `["CMD", "x"]` as written; the library's default would
  // rewrite every flow list in the file to `[ "CMD", "x" ]`, lines the fault never meant to touch.
  await writeFile(absolute, doc.toString({ lineWidth: 0, flowCollectionPadding: false }));
}
