/** Temporary workspaces with a compose file, and the loader's answers, for the compose loader tests. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import {
  loadCompose,
  type ComposeIssue,
  type DeployPlan,
  type LoadComposeResult,
  type ServicePlan,
} from '../../engine/compose/index.js';

const roots: string[] = [];
/** Call from afterAll: removes every workspace made so far. */
export function removeWorkspaces(): void {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
}

/** A workspace in a temp folder; `files` maps relative paths to contents. */
export function workspace(compose: string, files: Record<string, string> = {}, name = 'lab'): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'breakfix-compose-'));
  roots.push(root);
  const dir = path.join(root, name);
  mkdirSync(dir);
  const all: Record<string, string> = {
    'compose.yaml': compose,
    Dockerfile: 'FROM scratch\n',
    'secrets/db_password.txt': 'pw\n',
    ...files,
  };
  for (const [file, text] of Object.entries(all)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

export function plan(result: LoadComposeResult): DeployPlan {
  if (!result.ok)
    throw new Error(
      `expected a plan, got:\n${result.errors.map((error) => `${error.line}:${error.col}: ${error.message}`).join('\n')}`,
    );
  return result.plan;
}

export function service(compose: string, name = 'api', files: Record<string, string> = {}): ServicePlan {
  const found = plan(loadCompose(workspace(compose, files))).services[name];
  if (!found) throw new Error(`no service ${name}`);
  return found;
}

export function errors(compose: string, files: Record<string, string> = {}): ComposeIssue[] {
  const result = loadCompose(workspace(compose, files));
  if (result.ok) throw new Error('expected errors, got a plan');
  return result.errors;
}

/** The single error, as `line:col: message`. */
export function oneError(compose: string, files: Record<string, string> = {}): string {
  const found = errors(compose, files);
  expect(found, found.map((error) => `${error.line}:${error.col}: ${error.message}`).join('\n')).toHaveLength(1);
  const [error] = found as [ComposeIssue];
  return `${error.line}:${error.col}: ${error.message}`;
}
