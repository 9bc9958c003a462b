import { describe, expect, it } from 'vitest';
import type { DeployPlan } from '../../engine/compose/plan.js';
import { rollbackTarget, type Release } from '../../engine/deploy/releases.js';

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
