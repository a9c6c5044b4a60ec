// `npm run report`: renders the Allure report (allure-report/) from the last run's results
// (allure-results/) with the Allure 3 CLI, appending the run to the history file so that a
// nightly job shows trends. Settings are in reporters/allurerc.mjs.
// The output directory is emptied first: Allure flattens its awesome/ folder into the output
// only when that folder is all there is, so leftovers of an older report would change the layout.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import config from './allurerc.mjs';

const cli = join(dirname(createRequire(import.meta.url).resolve('allure')), '..', 'cli.js');
const configPath = join(dirname(fileURLToPath(import.meta.url)), 'allurerc.mjs');

if (!existsSync(config.resultsDir)) {
  console.error(`scim-conformance report: no Allure results in ${config.resultsDir}/; run the suite first (npm test)`);
  process.exit(2);
}
rmSync(config.output, { recursive: true, force: true });
const result = spawnSync(process.execPath, [cli, 'generate', '--config', configPath, ...process.argv.slice(2)], { stdio: 'inherit' });
if (result.status === 0) {
  console.log(`scim-conformance report: ${join(config.output, 'index.html')} (history: ${config.historyPath}); view it with: npx allure open ${config.output}`);
}
process.exit(result.status ?? 1);
