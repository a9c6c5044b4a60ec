// The scim-conformance command: run the suite (default), serve the reference server, render the
// Allure report, or clean up what a crashed run left on the tenant.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, SETTINGS, credentialsOf, loadConfig, type Config } from './config.ts';
import { SUPERVISED_ENV } from './target.ts';

export const EXIT = { ok: 0, mustFailed: 1, unusable: 2, sigint: 130, sigterm: 143 } as const;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function settingOptions(): NonNullable<ParseArgsConfig['options']> {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const setting of Object.values(SETTINGS)) options[setting.flag] = { type: setting.boolean ? 'boolean' : 'string' };
  return options;
}

function help(): string {
  const flagOf = (s: (typeof SETTINGS)[keyof typeof SETTINGS]) => (s.secret ? '(environment only)' : `--${s.boolean ? `[no-]${s.flag}` : s.flag}`);
  const rows = Object.values(SETTINGS).map((s) => `  ${flagOf(s).padEnd(24)} ${s.env.padEnd(25)} ${s.doc}`);
  return [
    'scim-conformance: SCIM 2.0 conformance suite (RFC 7643/7644, as Microsoft Entra ID and Okta use them)',
    '',
    'Usage:',
    '  scim-conformance [run] [options] [spec filters...]   run the suite (default)',
    '  scim-conformance cleanup --run-id ID [--dry-run]      delete what run ID left on the tenant',
    '  scim-conformance cleanup --all-runs [--dry-run]      delete every user and group whose name starts with a run id',
    '                                                       (scimc-YYYYMMDDtHHMM-xxxxxx-; runs in progress included)',
    '  scim-conformance serve [--port 8080] [--token T] [--basic-username U] [--fault a,b]   run the reference SCIM server',
    '  scim-conformance report                              render allure-report/ from the last run (history kept)',
    '',
    'Options (flag, environment variable or .env entry, meaning):',
    ...rows,
    '  --help, --version',
    '',
    'With no tenant URL the suite runs against the built-in reference server.',
    'Secrets (SCIM_TOKEN, SCIM_BASIC_PASSWORD, SCIM_OAUTH_CLIENT_SECRET) come from .env or the environment only:',
    'command lines end up in shell history and are visible to other processes.',
    '',
    'Every name the run creates carries its run id (printed first); what the run creates is deleted at the end of',
    'each spec file and again at the end of the run, whatever failed. If the run is killed, delete its leftovers',
    'with `scim-conformance cleanup --run-id ID`.',
    '',
    'Examples:',
    '  scim-conformance',
    '  SCIM_TENANT_URL=https://scim.example.com/scim/v2 SCIM_TOKEN=... scim-conformance',
    '  scim-conformance --steps 01,02 --timeout-ms 60000',
    '  scim-conformance --read-only --read-only-username alice@example.com   (production tenant: GET requests only)',
    '  scim-conformance --profile okta --mapping examples/mapping.entra-default.json',
    '  SCIM_AUTH=oauth SCIM_OAUTH_TOKEN_URL=... SCIM_OAUTH_CLIENT_ID=... SCIM_OAUTH_CLIENT_SECRET=... scim-conformance',
    '',
    'Exit status: 0 every must-check passed; 1 a must-check failed or could not run; 2 configuration error or tenant unusable',
    '(unreachable, TLS, redirect, token refused, not SCIM); 130 / 143 stopped by SIGINT / SIGTERM (after the cleanup;',
    'the same signal again skips the cleanup).',
    'cleanup: 0 nothing of the run is left; 1 something could not be deleted or searched; 2 configuration error.',
  ].join('\n');
}

/** Writes flag values into the environment, where the vitest global setup reads the config. */
function exportFlags(flags: Record<string, string | undefined>): void {
  for (const setting of Object.values(SETTINGS)) {
    const value = flags[setting.flag];
    if (value !== undefined) process.env[setting.env] = value;
  }
}

function settingFlags(values: Record<string, unknown>, own: readonly string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([k]) => !own.includes(k)).map(([k, v]) => [k, String(v)]));
}

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { ...settingOptions(), help: { type: 'boolean' } },
    allowPositionals: true,
    allowNegative: true,
  });
  if (values.help) {
    console.log(help());
    return EXIT.ok;
  }
  const flags = settingFlags(values, ['help']);
  const config = loadConfig({ flags });
  exportFlags(flags);
  const { runSuite, superviseRun } = await import('./run-suite.ts');
  // The process the CLI starts to run vitest; everything else supervises.
  if (process.env[SUPERVISED_ENV] === '1') return runSuite(config, positionals);
  return superviseRun(config, positionals);
}

async function cleanup(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { ...settingOptions(), 'run-id': { type: 'string' }, 'all-runs': { type: 'boolean' }, 'dry-run': { type: 'boolean' }, help: { type: 'boolean' } },
    allowPositionals: false,
    allowNegative: true,
  });
  void positionals;
  if (values.help) {
    console.log(help());
    return EXIT.ok;
  }
  const { RUN_ID } = await import('./target.ts');
  const runId = typeof values['run-id'] === 'string' ? values['run-id'].trim() : undefined;
  const allRuns = values['all-runs'] === true;
  if ((runId === undefined) === !allRuns) {
    console.error('scim-conformance: cleanup needs either --run-id ID (printed at the start of the run) or --all-runs');
    return EXIT.unusable;
  }
  if (runId !== undefined && !RUN_ID.test(runId)) {
    console.error(`scim-conformance: --run-id: "${runId}" is not a run id; they look like scimc-20261128t1345-k3f9a2`);
    return EXIT.unusable;
  }
  const config: Config = loadConfig({ flags: settingFlags(values, ['run-id', 'all-runs', 'dry-run', 'help']) });
  const credentials = credentialsOf(config);
  if (!config.tenantUrl || !credentials) {
    console.error('scim-conformance: cleanup needs SCIM_TENANT_URL and SCIM_TOKEN (the built-in reference server keeps nothing between runs)');
    return EXIT.unusable;
  }
  if (config.readOnly && values['dry-run'] !== true) {
    console.error('scim-conformance: cleanup deletes, and read-only mode is on (SCIM_READ_ONLY); use --dry-run to list, or --no-read-only to delete');
    return EXIT.unusable;
  }
  const { preflight } = await import('./preflight.ts');
  const ready = await preflight(config, { discovery: false });
  if (!ready.ok) {
    console.error(`scim-conformance: ${ready.message}`);
    return EXIT.unusable;
  }
  const { ScimClient } = await import('./client.ts');
  const { authorizationFor } = await import('./auth.ts');
  const { cleanupRun, describeFound, forgetJournal } = await import('./cleanup.ts');
  const dryRun = values['dry-run'] === true;
  // A dry run sends nothing but GET, and the client holds it to that.
  const authorization = authorizationFor(credentials, config.timeoutMs);
  const client = new ScimClient({ baseUrl: config.tenantUrl, authorization, timeoutMs: config.timeoutMs, retries: config.retries, readOnly: dryRun });
  const whose = runId ? `run ${runId}` : 'every run (names starting with scimc-)';
  console.log(`scim-conformance: cleanup of ${whose} on ${new URL(config.tenantUrl).host}${dryRun ? ' (dry run: nothing is deleted)' : ''}`);
  try {
    const result = await cleanupRun({ client, runId, allRuns, pageWithoutFilter: true, dryRun, log: (line) => console.log(`scim-conformance: ${line}`) });
    for (const found of result.deleted) console.log(`  ${dryRun ? 'would delete' : 'deleted'} ${describeFound(found)}`);
    for (const found of result.failed) console.error(`  could not delete ${describeFound(found)}: ${found.reason}`);
    for (const note of result.notes) console.error(`scim-conformance: ${note}`);
    const groups = result.deleted.filter((f) => f.endpoint === 'Groups').length;
    console.log(
      `scim-conformance: ${dryRun ? 'would delete' : 'deleted'} ${groups} group(s) and ${result.deleted.length - groups} user(s) of ${whose}` +
        `${result.failed.length ? `; ${result.failed.length} could not be deleted` : ''}${result.complete ? '' : '; the search was incomplete (see above)'}`,
    );
    if (runId && result.journalSettled && result.complete) forgetJournal(runId);
    return result.failed.length === 0 && result.complete ? EXIT.ok : EXIT.mustFailed;
  } finally {
    await client.close();
  }
}

/** The Allure 3 CLI in its own process (reporters/report.mjs), so that its exit status is the command's. */
function report(argv: string[]): number {
  const script = fileURLToPath(new URL('../reporters/report.mjs', import.meta.url));
  const result = spawnSync(process.execPath, [script, ...argv], { stdio: 'inherit' });
  if (result.error) {
    console.error(`scim-conformance: cannot render the report: ${result.error.message}`);
    return EXIT.unusable;
  }
  return result.status ?? EXIT.unusable;
}

async function serve(argv: string[]): Promise<number> {
  const { main } = await import('../reference/main.ts');
  await main(argv);
  return EXIT.ok;
}

export async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  try {
    if (first === '--version' || first === '-v') {
      console.log(version());
      return EXIT.ok;
    }
    if (first === '--help' || first === '-h' || first === 'help') {
      console.log(help());
      return EXIT.ok;
    }
    if (first === 'serve') return await serve(rest);
    if (first === 'cleanup') return await cleanup(rest);
    if (first === 'report') return report(rest);
    if (first === 'run') return await run(rest);
    return await run(argv);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`scim-conformance: ${error.message}`);
      return EXIT.unusable;
    }
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`scim-conformance: ${(error as Error).message}. See scim-conformance --help`);
      return EXIT.unusable;
    }
    throw error;
  }
}
