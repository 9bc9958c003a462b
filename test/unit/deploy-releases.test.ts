import { describe, expect, it } from 'vitest';
import type { DeployPlan } from '../../engine/compose/plan.js';
import { rollbackTarget, type Release } from '../../engine/deploy/releases.js';
import { chooseRollback, planChanges, summarise } from '../../engine/session/release-history.js';
import { issuesOf } from '../support/scenario-fixtures.js';

function plan(image: string): DeployPlan {
  return {
    volumes: [],
    services: {
      api: {
        name: 'api',
        image,
        environment: {},
        ports: [],
        secrets: [],
        volumes: [],
        dependsOn: [],
        restart: 'no',
        labels: {},
      },
    },
  };
}

let next = 0;
function release(kind: Release['kind'], image: string, restores?: number): Release {
  next += 1;
  return { number: next, at: '', kind, images: {}, plan: plan(image), ...(restores !== undefined ? { restores } : {}) };
}

describe('rollbackTarget', () => {
  it('returns the last release that ran another version, skipping re-applies of the current one', () => {
    next = 0;
    const history = [
      release('history', 'notes-api:1.4.0'),
      release('deploy', 'notes-api:2.0.0'),
      release('apply', 'notes-api:2.0.0'),
    ];
    expect(rollbackTarget(history)?.number).toBe(1);
  });

  it('walks further back on a second rollback instead of toggling', () => {
    next = 0;
    const history = [release('history', 'app:1'), release('deploy', 'app:2'), release('apply', 'app:3')];
    const first = rollbackTarget(history);
    expect(first?.number).toBe(2);
    history.push(release('rollback', 'app:2', 2));
    expect(rollbackTarget(history)?.number).toBe(1);
  });

  it('has nothing to return to when every release ran the same version', () => {
    next = 0;
    expect(rollbackTarget([release('deploy', 'app:1'), release('apply', 'app:1')])).toBeUndefined();
    expect(rollbackTarget([])).toBeUndefined();
  });
});

describe('rollbackTarget --to N', () => {
  it('returns that release, whatever its version', () => {
    next = 0;
    const history = [release('history', 'app:1'), release('deploy', 'app:2'), release('apply', 'app:2')];
    expect(rollbackTarget(history, 2)?.number).toBe(2);
    expect(rollbackTarget(history, 7)).toBeUndefined();
  });
});

describe('chooseRollback: the target, or a refusal that says what to do', () => {
  it('names the running release and version when there is nothing older, and the next step', () => {
    next = 0;
    const history = [release('deploy', 'app:1'), release('apply', 'app:1')];
    expect(() => chooseRollback(history, undefined)).toThrow(
      /no earlier version to roll back to: release 2 runs app:1/,
    );
    expect(() => chooseRollback(history, 2)).toThrow(/release 2 \(app:1\) is what runs now/);
    expect(() => chooseRollback(history, 9)).toThrow(/there is no release 9/);
    expect(chooseRollback(history, 1).number).toBe(1);
  });

  it('after a rollback, the running release is the restored one', () => {
    next = 0;
    const history = [release('history', 'app:1'), release('deploy', 'app:2'), release('rollback', 'app:1', 1)];
    expect(() => chooseRollback(history, 1)).toThrow(/release 1 \(app:1\) is what runs now/);
    expect(chooseRollback(history, 2).number).toBe(2);
  });
});

describe('release summaries', () => {
  it('version, what changed (names, never env values), the current one', () => {
    next = 0;
    const first = release('history', 'notes-api:1.4.0');
    const second = release('deploy', 'notes-api:2.0.0');
    const third = release('apply', 'notes-api:2.0.0');
    third.plan.services.api!.environment = { PORT: '8080', SECRET: 'hunter2' };
    third.plan.services.api!.restart = 'unless-stopped';
    const summaries = summarise([first, second, third]);
    expect(summaries.map((entry) => [entry.number, entry.version, entry.current])).toEqual([
      [1, 'notes-api:1.4.0', false],
      [2, 'notes-api:2.0.0', false],
      [3, 'notes-api:2.0.0', true],
    ]);
    expect(summaries[0]?.changes).toEqual(['first release']);
    expect(summaries[1]?.changes).toEqual(['api: image notes-api:1.4.0 → notes-api:2.0.0']);
    expect(summaries[2]?.changes).toEqual(['api: environment PORT, SECRET; restart']);
    expect(JSON.stringify(summaries)).not.toContain('hunter2');
    expect(planChanges(first.plan, { ...first.plan, services: {} })).toEqual(['api: removed']);
  });
});

describe("a history release's ready entries", () => {
  const withReady = (entry: string) => (text: string) =>
    text.replace(
      '    note: "1.4.0, last week\'s release"\n',
      `    note: "1.4.0, last week's release"\n    ready:\n${entry}`,
    );

  it('are checks, observed like symptoms: a fault there, or a bad check, is refused at its line', () => {
    const http = '      - type: http\n        service: api\n        path: /health\n        within: 30s\n';
    expect(issuesOf(withReady(http), 'stale-image-tag')).toEqual([]);
    const fault = issuesOf(withReady('      - type: container.stop\n        service: api\n'), 'stale-image-tag');
    expect(fault).toHaveLength(1);
    expect(fault[0], fault[0]).toMatch(
      /^78:\d+: releases\[0\]\.ready\[0\]\.type: unknown entry type `container\.stop`/,
    );
    const service = issuesOf(withReady(http.replace('service: api', 'service: nowhere')), 'stale-image-tag');
    expect(service).toHaveLength(1);
    expect(service[0], service[0]).toMatch(/^79:\d+: releases\[0\]\.ready\[0\]\.service: .*nowhere/);
  });
});
