import { describe, expect, it } from 'vitest';
import { engineRestart } from '../../engine/session/engine-restart.js';

const services = [
  { name: 'db', status: 'running', health: 'healthy' },
  { name: 'migrate', status: 'exited', health: 'none' },
  { name: 'api', status: 'restarting', health: 'none' },
];

describe('engineRestart', () => {
  it('is silent while the engine is the one the lab was deployed on, or a time is unknown', () => {
    expect(engineRestart('2026-01-01T10:00:00Z', '2026-01-01T10:00:00Z', services)).toBeUndefined();
    expect(engineRestart('2026-01-01T10:00:00Z', '2026-01-01T09:00:00Z', services)).toBeUndefined();
    expect(engineRestart(undefined, '2026-01-01T10:00:00Z', services)).toBeUndefined();
    expect(engineRestart('2026-01-01T10:00:00Z', undefined, services)).toBeUndefined();
  });

  it('says when the engine restarted, what came back and what did not, and what to do', () => {
    const restart = engineRestart('2026-01-01T10:00:00.5Z', '2026-01-01T10:05:07.25Z', services);
    expect(restart).toEqual({
      at: '2026-01-01T10:05:07.25Z',
      deployedOn: '2026-01-01T10:00:00.5Z',
      message:
        "the Docker engine restarted at 10:05:07 UTC, after the lab's last deploy: it stopped every container; db came back (restart policy); migrate is exited, api is restarting. `breakfix apply` brings the lab back to its release.",
    });
  });
});
