// `npm run matrix`: the fault-detection matrix. Runs the conformance suite against the reference
// server once clean and once per fault (reference/faults.ts), prints the verdict, writes
// docs/detection-matrix.md and exits 1 when anything is wrong (see verdict.ts).
//
//   npm run matrix                          the whole matrix, writes the doc
//   npm run matrix -- --fault a,b           the clean run and these faults only (no doc, no coverage check)
//   MATRIX_WORKERS=4 npm run matrix         workers (default: available parallelism + 1)
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FAULTS } from '../../reference/faults.ts';
import { collectChecks } from '../../tools/collect-checks.ts';
import { checkIdsInSpecs, planRuns, type ProfileOfCheck } from './plan.ts';
import { renderMarkdown } from './render.ts';
import { runMatrixSuite } from './run-vitest.ts';
import { startServers, wiringProblems } from './servers.ts';
import { judge, summaryLine } from './verdict.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DOC = 'docs/detection-matrix.md';

/** Checks that do not apply to the entra profile are proven under the first profile they name. */
async function profilesOfChecks(): Promise<ProfileOfCheck> {
  const profiles = new Map((await collectChecks()).map((c) => [c.id, c.profiles]));
  return (id) => {
    const named = profiles.get(id);
    return !named || named.includes('entra') ? 'entra' : (named[0] ?? 'entra');
  };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { fault: { type: 'string', multiple: true, default: [] }, 'no-write': { type: 'boolean', default: false } },
    strict: true,
  });
  const only = values.fault.flatMap((f) => f.split(',')).map((f) => f.trim()).filter((f) => f !== '');
  const unknown = only.filter((name) => !FAULTS.some((f) => f.name === name));
  if (unknown.length > 0) throw new Error(`unknown fault(s): ${unknown.join(', ')}`);
  const partial = only.length > 0;

  const started = performance.now();
  const runs = planRuns(ROOT, FAULTS, partial ? new Set(only) : undefined, await profilesOfChecks());
  const idsInSpecs = checkIdsInSpecs(ROOT);
  // One more worker than cores: workers spend much of their time waiting (HTTP, PATCH-13's sleep, paced load).
  const maxWorkers = Number(process.env.MATRIX_WORKERS) || availableParallelism() + 1;
  const faultCount = new Set(runs.map((r) => r.fault).filter((f) => f !== undefined)).size;
  console.log(`matrix: ${faultCount} faults and the clean server, ${runs.length} suite runs of ${idsInSpecs.size} checks, ${maxWorkers} workers`);

  const { servers, closeAll } = await startServers(runs);
  let outcome;
  let wiring: string[];
  try {
    outcome = await runMatrixSuite(runs, servers, { root: ROOT, maxWorkers });
    wiring = wiringProblems(servers);
  } finally {
    await closeAll();
  }
  const verdict = judge(runs, FAULTS, outcome.results, idsInSpecs, [...outcome.unhandled, ...wiring], { partial });
  const seconds = (performance.now() - started) / 1000;

  const severities = new Map<string, string>();
  for (const result of outcome.results.values()) for (const c of result.checks.values()) severities.set(c.id, c.severity);
  const write = !partial && !values['no-write'];
  if (write) writeFileSync(new URL(DOC, `file://${ROOT}`), renderMarkdown(verdict, severities));

  for (const fault of verdict.faults) {
    const mark = fault.missed.length === 0 ? 'ok  ' : 'MISS';
    const also = fault.alsoFailed.length ? `  (+ ${fault.alsoFailed.map((c) => c.id).join(' ')})` : '';
    console.log(`${mark} ${fault.name.padEnd(44)} ${fault.caught.join(' ')}${also}`);
  }
  for (const problem of verdict.problems) console.log(`problem: ${problem}`);
  console.log(summaryLine(verdict, seconds) + (partial ? ' (partial run: coverage not checked, doc not written)' : write ? `; wrote ${DOC}` : ''));
  return verdict.problems.length === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`matrix: ${(error as Error)?.stack ?? String(error)}`);
    process.exitCode = 2;
  },
);
