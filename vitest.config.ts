import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    env: { TESTCONTAINERS_RYUK_DISABLED: 'true' },
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
          env: { TESTCONTAINERS_RYUK_DISABLED: 'true' },
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
