import os from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

// Learner progress (engine/progress) goes to the XDG state folder: tests, and the CLI processes
// they spawn, keep theirs in a folder of this run, never in the real user's.
const XDG_STATE_HOME = path.join(os.tmpdir(), `bf-test-state-${process.pid}`);

export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    env: { TESTCONTAINERS_RYUK_DISABLED: 'true', XDG_STATE_HOME },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.{ts,tsx}'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'docker',
          include: ['test/docker/**/*.test.{ts,tsx}', 'test/e2e/**/*.test.{ts,tsx}'],
          globalSetup: ['./test/support/docker-global-setup.ts'],
          env: { TESTCONTAINERS_RYUK_DISABLED: 'true', XDG_STATE_HOME },
          testTimeout: 180_000,
          hookTimeout: 300_000,
          // Two cores: files run one after another so Docker timings stay honest and
          // integration tests do not starve each other of CPU.
          fileParallelism: false,
        },
      },
    ],
  },
});
