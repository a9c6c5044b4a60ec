import { defineConfig } from 'vitest/config';

// Two projects: the conformance suite (specs/, run against a tenant or the built-in
// reference server) and the suite's own tests (test/).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'conformance',
          include: ['specs/**/*.spec.ts'],
          globalSetup: ['src/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'self',
          include: ['test/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
    ],
  },
});
