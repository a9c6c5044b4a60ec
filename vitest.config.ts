import { defineConfig } from 'vitest/config';
import { LoadStepLast } from './src/load/sequencer.ts';
import { loadSetting } from './src/config.ts';
import { SPEC_SETUP_FILES } from './src/setup-files.ts';

// Two projects: the conformance suite (specs/, run against a tenant or the built-in
// reference server) and the suite's own tests (test/).
// Reporters: the console, then ours (reporters/), which act on the conformance project only:
// junit.xml, summary.json, checklist.md/.html and exchanges.har in SCIM_REPORT_DIR (default
// reports/), and Allure results in ALLURE_RESULTS_DIR (default allure-results/) for `npm run report`.
export default defineConfig({
  test: {
    reporters: [
      'default',
      './reporters/conformance-reporter.ts',
      // allure-vitest's reporter for the conformance project; results in ALLURE_RESULTS_DIR.
      './reporters/allure-reporter.ts',
    ],
    // The initial-sync load step (specs/07) starts after every other spec file: docs/concurrency.md.
    sequence: { sequencer: LoadStepLast },
    projects: [
      {
        test: {
          name: 'conformance',
          include: ['specs/**/*.spec.ts'],
          globalSetup: ['src/global-setup.ts'],
          // allure-vitest/setup lets check() (src/allure.ts) label checks and attach exchanges.
          setupFiles: ['allure-vitest/setup', ...SPEC_SETUP_FILES],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // SCIM_CONCURRENCY spec files at a time (default 2), whatever the machine (vitest's default
          // is one per CPU but one: a single worker on 2 CPUs). See docs/concurrency.md.
          maxWorkers: loadSetting('concurrency'),
          // A worker runs one spec file after another instead of a fresh process per file (the
          // start-up of a worker and the import of the harness and its schemas is most of a file's
          // time). The files of a worker share module state: a hook a module registers when it is
          // imported runs for the first file only; per-file hooks belong in setupFiles.
          isolate: false,
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
