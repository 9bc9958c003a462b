/**
 * Phase: workspace faults that would find nothing to change in the lab (a key to remove that is
 * not there) — the same error the fault would raise at injection time, found before any Docker
 * work. A file an earlier workspace fault changed is not judged.
 */
import path from 'node:path';
import { parseDocument } from 'yaml';
import { findFault } from '../../faults/registry.js';
import { isDict } from '../../source/dict.js';
import { problem, type Problem } from '../../source/issues.js';
import { didYouMean } from '../../source/suggest.js';
import { parseDotenv } from '../../util/dotenv.js';
import { directoryExists, readTextIfAny } from '../../util/file-system.js';
import { hasYamlPath, parseYamlPath } from '../../util/yaml-path.js';
import type { DocumentPhase } from './document-phase.js';

export const labConsistency: DocumentPhase = ({ entries, lab }) => {
  if (!lab || lab.info.composeError) return [];
  const labDir = lab.dir;
  const problems: Problem[] = [];
  const touched = new Set<string>();
  for (const entry of entries) {
    if (entry.kind !== 'fault' || entry.at[0] !== 'faults' || !entry.parsed) continue;
    const type = String(entry.raw.type);
    const params = entry.parsed.params;
    const file = typeof params.file === 'string' ? params.file : undefined;
    if (!file || findFault(type)?.phase !== 'workspace') continue;
    if (touched.has(file)) continue;
    const text = readTextIfAny(path.join(labDir, file));
    const where = `labs/${lab.lab}/${file}`;
    const fileAt = entry.raw.file !== undefined ? [...entry.at, 'file'] : entry.at;
    switch (type) {
      case 'compose.unset': {
        if (text === undefined) {
          problems.push(problem(fileAt, `${where} does not exist`));
          break;
        }
        const doc = parseDocument(text);
        const segments = parseYamlPath(String(params.path));
        if (doc.errors.length === 0 && !hasYamlPath(doc, segments)) {
          const parent = doc.getIn(segments.slice(0, -1)) as unknown;
          const siblings: string[] = [];
          const json = (parent as { toJSON?: () => unknown } | undefined)?.toJSON?.();
          if (Array.isArray(json)) for (const item of json) siblings.push(String(item).split('=')[0] ?? '');
          else if (isDict(json)) siblings.push(...Object.keys(json));
          problems.push(
            problem(
              [...entry.at, 'path'],
              `${where} has no ${String(params.path)} to remove${didYouMean(String(segments.at(-1) ?? ''), siblings)}`,
            ),
          );
        }
        break;
      }
      case 'env.unset': {
        const names = text === undefined ? [] : parseDotenv(text).map((variable) => variable.key);
        if (text === undefined) problems.push(problem(fileAt, `${where} does not exist`));
        else if (!names.includes(String(params.name)))
          problems.push(
            problem(
              [...entry.at, 'name'],
              `${where} does not set ${String(params.name)}${didYouMean(String(params.name), names)}`,
            ),
          );
        break;
      }
      case 'file.remove':
        if (text === undefined && !directoryExists(path.join(labDir, file)))
          problems.push(problem(fileAt, `${where} does not exist`));
        break;
      case 'file.replace': {
        if (params.regex === true) {
          try {
            new RegExp(String(params.find));
          } catch (error) {
            problems.push(
              problem(
                [...entry.at, 'find'],
                `must be a valid regular expression (regex: true): ${error instanceof Error ? error.message : String(error)}`,
              ),
            );
            break;
          }
        }
        if (text === undefined) {
          problems.push(problem(fileAt, `${where} does not exist`));
          break;
        }
        const find = String(params.find);
        const found = params.regex === true ? new RegExp(find, 'm').test(text) : text.includes(find);
        if (!found)
          problems.push(
            problem(
              [...entry.at, 'find'],
              `${where} does not contain ${params.regex === true ? `a match for /${find}/` : JSON.stringify(find)}`,
            ),
          );
        break;
      }
      default:
        break;
    }
    touched.add(file);
  }
  return problems;
};
