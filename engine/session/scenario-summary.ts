/**
 * What `status`, `hint` and a LabSession handle show of a lab's scenario — its title, texts,
 * hints and escalation titles — kept beside the session so that a short command does not load
 * and validate the whole scenario (YAML, zod, the lab's compose file: ~50 ms of a ~300 ms
 * `status` on 2 cores).
 *
 * It stays true because those texts are a pure function of the scenario file's bytes, the seed
 * (which draws `{{ vars.* }}`) and breakfix's own code: the summary is used only when all three
 * match what it was made from, and any other command that loads the scenario (check, apply, a
 * changed file) makes it again. Everything else — faults, checks, the lab — is never cached here.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import writeFileAtomic from 'write-file-atomic';
import type { Scenario } from '../scenario/instantiate.js';
import type { HintEntry } from '../scenario/schema.js';
import type { RunnableScenario } from './scenario-view.js';
import { scenarioRefOf, stateDir, type SessionFile } from './store.js';

/** What a learner reads about the lab's scenario, rendered for the session's seed. */
export interface LabScenarioInfo {
  id: string;
  title: string;
  /** Absolute path of the scenario.yaml the lab's rules come from. */
  file: string;
  /** The course it belongs to, when it is in one. */
  course?: { id: string; dir: string };
  seed: number;
  briefing: string;
  debrief: string;
  /** Titles of the escalation stages, in order ("the database now runs out of connections"). */
  escalations: string[];
}

/** That, and the hints `status` and `hint` show. */
export interface ScenarioSummary extends LabScenarioInfo {
  hints: HintEntry[];
}

interface SummaryFile {
  key: string;
  summary: ScenarioSummary;
}

/** A scenario as a session's resolver gives it: the loader's whole Scenario in breakfix itself. */
type Resolved = RunnableScenario & Partial<Pick<Scenario, 'file' | 'course' | 'seed' | 'briefing' | 'debrief'>>;

export function summarize(scenario: Scenario): ScenarioSummary {
  return {
    id: scenario.id,
    title: scenario.title,
    file: scenario.file,
    ...(scenario.course ? { course: scenario.course } : {}),
    seed: scenario.seed,
    briefing: scenario.briefing,
    debrief: scenario.debrief,
    hints: scenario.hints.map((hint) => ({ after: hint.after, text: hint.text })),
    escalations: (scenario.escalation ?? []).map((stage) => stage.title),
  };
}

// breakfix's build: the build rewrites every module, so this file's mtime changes with the code
// that renders templates (a summary made by an older breakfix is not reused).
let codeStamp: string | undefined;
function buildStamp(): string {
  codeStamp ??= String(statSync(fileURLToPath(import.meta.url)).mtimeMs);
  return codeStamp;
}

function summaryKey(file: Pick<SessionFile, 'scenarioFile' | 'seed'>): string | undefined {
  if (!file.scenarioFile) return undefined;
  try {
    const bytes = readFileSync(file.scenarioFile);
    const hash = createHash('sha256').update(bytes).digest('hex');
    return `${file.scenarioFile}\n${hash}\n${file.seed}\n${buildStamp()}`;
  } catch {
    return undefined;
  }
}

// Hand-written scenarios in tests carry only what a session runs: nothing to summarise then.
function isWhole(scenario: Resolved): scenario is Resolved & Scenario {
  return scenario.file !== undefined && scenario.briefing !== undefined && scenario.seed !== undefined;
}

function summaryPath(workspace: string): string {
  return path.join(stateDir(workspace), 'scenario-summary.json');
}

/** The summary kept beside the session, when it was made from this scenario file, seed and build. */
export function readScenarioSummary(workspace: string, file: SessionFile): ScenarioSummary | undefined {
  const key = summaryKey(file);
  if (!key) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(summaryPath(workspace), 'utf8')) as Partial<SummaryFile>;
    return parsed.key === key && parsed.summary ? parsed.summary : undefined;
  } catch {
    return undefined;
  }
}

/** Keeps the summary of a scenario just loaded for this session, for the next short command. */
export async function keepScenarioSummary(workspace: string, file: SessionFile, scenario: Resolved): Promise<void> {
  const key = summaryKey(file);
  if (!key || !isWhole(scenario)) return;
  const content: SummaryFile = { key, summary: summarize(scenario) };
  // Best effort: a read-only or full state folder only means the next command loads again.
  await writeFileAtomic(summaryPath(workspace), `${JSON.stringify(content)}\n`).catch(() => undefined);
}

/** The scenario's title and hints for `describeSession`: the kept summary, else loaded (and kept). */
export async function scenarioTexts(
  workspace: string,
  file: SessionFile,
  resolve: (ref: string, seed: number) => Promise<{ scenario: Resolved }>,
): Promise<Pick<ScenarioSummary, 'title' | 'hints'>> {
  const kept = readScenarioSummary(workspace, file);
  if (kept) return kept;
  const { scenario } = await resolve(scenarioRefOf(file), file.seed);
  await keepScenarioSummary(workspace, file, scenario);
  return scenario;
}
