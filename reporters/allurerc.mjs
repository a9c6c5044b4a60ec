// Allure 3 configuration for `npm run report` (allure generate --config reporters/allurerc.mjs).
// Paths are relative to the working directory (the project root under npm).
// - results: ALLURE_RESULTS_DIR (default allure-results/), written by reporters/allure-reporter.ts
// - report:  ALLURE_REPORT_DIR (default allure-report/)
// - history: ALLURE_HISTORY_PATH (default <SCIM_REPORT_DIR>/allure-history.jsonl). Each report
//   appends one line per run; keep this file between runs (a CI cache or artifact) and the
//   report shows trends and each check's history. Delete it to start over.
const reportDir = process.env.SCIM_REPORT_DIR?.trim() || 'reports';

// Label names and values must match src/allure.ts (ALLURE_LABELS) and reporters/triage.ts
// (CATEGORY_TITLES). Label values are matched as regular expressions, hence the anchors.
const exactly = (text) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
const failure = (title) => ({
  name: title,
  matchers: { statuses: ['failed', 'broken'], labels: { 'failure category': exactly(title) } },
  groupBy: ['severity'],
});

// A plain object: importing `allure` itself would start its command line.
/** @type {import('allure').AllureConfig} */
export default {
  name: 'SCIM conformance',
  resultsDir: process.env.ALLURE_RESULTS_DIR?.trim() || 'allure-results',
  output: process.env.ALLURE_REPORT_DIR?.trim() || 'allure-report',
  historyPath: process.env.ALLURE_HISTORY_PATH?.trim() || `${reportDir}/allure-history.jsonl`,
  historyLimit: 60,
  // Labels named with a leading underscore are hidden anyway; these only repeat the tree.
  hideLabels: ['framework', 'language', 'host', 'thread', 'package', 'parentSuite', 'suite', 'subSuite', 'ALLURE_ID'],
  categories: [
    failure('Endpoint non-conformance'),
    failure('Endpoint unreachable or unauthorised'),
    failure('Suite error'),
    // Should-checks that failed: the test passed (the run stays green), but they need a look.
    { name: 'Warnings (should-checks not met)', matchers: { statuses: ['passed'], labels: { result: /^warned$/ } }, groupBy: ['severity'] },
    // A failure without our label (e.g. a hook that failed before check() ran).
    { name: 'Suite error (outside a check)', matchers: { statuses: ['failed', 'broken'] } },
  ],
  plugins: {
    awesome: {
      options: {
        reportName: 'SCIM conformance',
        reportLanguage: 'en',
        singleFile: false,
        // The tree reads like the tutorial: step, then check id; not spec files.
        groupBy: ['epic', 'story'],
        stepTreeExpansion: 'expanded',
        // Names start with the step number and the check id: by name is tutorial order.
        defaultSortBy: 'name,asc',
      },
    },
  },
};
