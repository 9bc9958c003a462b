/**
 * The interruption campaign's short run (the long one is `npm run campaign`, outside the test
 * run): one round, every lifecycle phase shot once, SIGINT and SIGKILL taking turns between
 * phases, each shot followed by what a learner does next (`gc`, `status`, `apply`, a second
 * `reset` or `stop`). Afterwards nothing labelled with the round's sessions is left, the
 * learner's files are intact and every session still answers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { getDockerode } from '../../engine/runtime/docker-client.js';
import { runCampaign } from '../../scripts/campaign/campaign.js';
import { ALL_PHASES } from '../../scripts/campaign/phases.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'bf-campaign-'));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('interruption campaign, short run', () => {
  it('SIGINT or SIGKILL in every phase, then gc: nothing leaked, no learner file lost', async () => {
    const lines: string[] = [];
    const tally = await runCampaign({
      bin: path.join(root, 'bin', 'breakfix'),
      root: scratch,
      count: ALL_PHASES.length,
      maxRounds: 1,
      phases: ALL_PHASES,
      signals: ['SIGINT', 'SIGKILL'],
      signalsPerPhase: 'alternate',
      maxDelayMs: 1500,
      docker: await getDockerode(),
      random: Math.random,
      log: (line) => lines.push(line),
    });
    const story = [...lines, ...tally.notes.map((note) => `note: ${note}`)].join('\n');
    expect(tally.leaks, story).toEqual([]);
    expect(tally.lost, story).toEqual([]);
    expect(tally.unusable, story).toEqual([]);
    // Phases of milliseconds (confirming, injecting) may be over before a shot arrives: those
    // shots are not counted, but most phases must be hit.
    expect(tally.shots, story).toBeGreaterThanOrEqual(ALL_PHASES.length - 4);
  }, 1_500_000);
});
