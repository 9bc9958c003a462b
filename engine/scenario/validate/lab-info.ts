/** The lab a scenario deploys: its services, cached per compose file version (validate runs often). */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { formatComposeIssue, loadCompose } from '../../compose/load.js';
import { isDict } from '../../source/dict.js';
import { parseYamlSource } from '../../source/yaml-source.js';
import { directoryExists } from '../../util/file-system.js';

export interface LabInfo {
  services: string[];
  /** The first problem of the lab's compose file, when it does not load. */
  composeError?: string;
}

/** The lab a scenario names, once it is found. */
export interface LabRef {
  info: LabInfo;
  /** Its name (`notes-api`). */
  lab: string;
  /** Absolute path of labs/<lab>. */
  dir: string;
}

const labCache = new Map<string, { stamp: string; info: LabInfo }>();

function stampOf(files: string[]): string {
  return files
    .map((file) => {
      try {
        const info = statSync(file);
        return `${info.mtimeMs}:${info.size}`;
      } catch {
        return '-';
      }
    })
    .join('|');
}

export function labInfo(labDir: string): LabInfo {
  const compose = path.join(labDir, 'compose.yaml');
  const stamp = stampOf([compose, path.join(labDir, '.env')]);
  const cached = labCache.get(labDir);
  if (cached?.stamp === stamp) return cached.info;
  const result = loadCompose(labDir);
  let info: LabInfo;
  if (result.ok) info = { services: Object.keys(result.plan.services) };
  else {
    // Still check references against the services the file names.
    let services: string[] = [];
    try {
      const raw = parseYamlSource(readFileSync(compose, 'utf8')).value;
      if (isDict(raw) && isDict(raw.services)) services = Object.keys(raw.services);
    } catch {
      services = [];
    }
    const first = result.errors[0];
    info = {
      services,
      composeError: first
        ? formatComposeIssue({ ...first, file: path.relative(path.dirname(labDir), first.file) })
        : 'invalid',
    };
  }
  labCache.set(labDir, { stamp, info });
  return info;
}

export function listDirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() || (entry.isSymbolicLink() && directoryExists(path.join(dir, entry.name))))
      .map((entry) => entry.name);
  } catch {
    return [];
  }
}
