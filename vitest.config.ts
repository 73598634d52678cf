import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // e2e files start real servers pinned to the same CPU: never two at once.
    fileParallelism: false,
    // Each file's time at the end (CI's budget is mostly the e2e files').
    reporters: ['default', './test/support/file-times-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // The pipeline tests replay whole runs: a loaded machine (e2e starts beside them) made
          // them pass 5 s; a timeout is a hang detector here, never a speed assertion.
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // Real images, containers and Liberty starts: minutes, not milliseconds.
          testTimeout: 30 * 60_000,
          hookTimeout: 30 * 60_000,
        },
      },
    ],
  },
});
