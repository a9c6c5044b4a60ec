// The scim-conformance command: run the suite (default), or serve the reference server.
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, SETTINGS, loadConfig, type Config } from './config.ts';
import { STEPS, specFileOf } from './steps.ts';

export const EXIT = { ok: 0, mustFailed: 1, unusable: 2 } as const;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function settingOptions(): ParseArgsConfig['options'] {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const setting of Object.values(SETTINGS)) options[setting.flag] = { type: setting.boolean ? 'boolean' : 'string' };
  return options;
}

function help(): string {
  const rows = Object.values(SETTINGS).map((s) => `  --${(s.boolean ? `[no-]${s.flag}` : s.flag).padEnd(22)} ${s.env.padEnd(25)} ${s.doc}`);
  return [
    'scim-conformance: SCIM 2.0 conformance suite (RFC 7643/7644, as Microsoft Entra ID and Okta use them)',
    '',
    'Usage:',
    '  scim-conformance [run] [options] [spec filters...]   run the suite (default)',
    '  scim-conformance serve [--port 8080] [--token T] [--fault a,b]   run the reference SCIM server',
    '',
    'Options (flag, environment variable or .env entry, meaning):',
    ...rows,
    '  --help, --version',
    '',
    'With no tenant URL the suite runs against the built-in reference server.',
    '',
    'Examples:',
    '  scim-conformance',
    '  SCIM_TENANT_URL=https://scim.example.com/scim/v2 SCIM_TOKEN=... scim-conformance',
    '  scim-conformance --steps 01,02 --timeout-ms 60000',
    '',
    'Exit status: 0 every must-check passed; 1 a must-check failed; 2 configuration error or tenant unusable.',
  ].join('\n');
}

/** Writes flag values into the environment, where the vitest global setup reads the config. */
function exportFlags(flags: Record<string, string | undefined>): void {
  for (const setting of Object.values(SETTINGS)) {
    const value = flags[setting.flag];
    if (value !== undefined) process.env[setting.env] = value;
  }
}

function specFilters(config: Config, positionals: string[]): string[] {
  if (positionals.length > 0) return positionals;
  return config.steps.length === STEPS.length ? [] : config.steps.map(specFileOf);
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
  const { help: _help, ...settingValues } = values;
  const flags = Object.fromEntries(Object.entries(settingValues).map(([k, v]) => [k, String(v)]));
  const config = loadConfig({ flags });
  exportFlags(flags);
  const { runSuite } = await import('./run-suite.ts');
  return runSuite(config, specFilters(config, positionals));
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
