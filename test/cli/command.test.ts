// The scim-conformance command itself: --version, --help, the report and cleanup subcommands,
// and bad flags (exit status 2, one line, no stack trace). Runs run and serve are covered by
// test/hostile/ and test/reference/.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { SETTINGS } from '../../src/config.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/scim-conformance.js');
const dir = mkdtempSync(join(tmpdir(), 'scimc-command-'));
const envFile = join(dir, '.env');
writeFileSync(envFile, '');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env.PATH ?? '', HOME: dir, NO_COLOR: '1', SCIM_ENV_FILE: envFile, ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** One line on stderr naming the problem; never a stack trace. */
function expectOneLineError(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('scim-conformance --version and --help', () => {
  test('--version prints the package version', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const result = cli(['--version']);
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(pkg.version);
  });

  test('--help names every subcommand, every setting (flag and variable), examples and exit statuses', () => {
    const result = cli(['--help']);
    expect(result.status).toBe(0);
    for (const sub of ['run', 'serve', 'report', 'cleanup']) expect(result.stdout).toMatch(new RegExp(`scim-conformance \\[?${sub}\\b`));
    for (const setting of Object.values(SETTINGS)) {
      expect(result.stdout).toContain(setting.env);
      // A secret has no flag: its row says where it comes from.
      if (setting.secret) expect(result.stdout).toMatch(new RegExp(`\\(environment only\\)\\s+${setting.env}\\s`));
      else expect(result.stdout).toContain(`--${setting.boolean ? `[no-]${setting.flag}` : setting.flag}`);
    }
    expect(result.stdout).toMatch(/Examples:/);
    expect(result.stdout).toMatch(/Exit status: 0 .*; 1 .*; 2 /);
  });
});

describe('bad flags end the run before any request, with exit status 2 and one line', () => {
  test('an unknown flag', () => {
    const result = cli(['--tenant-ulr', 'https://scim.example.com']);
    expect(result.status).toBe(2);
    expectOneLineError(result.stderr, /Unknown option '--tenant-ulr'.*scim-conformance --help/);
  });

  test('a bad value names the setting and the fix', () => {
    const result = cli(['--timeout-ms', 'soon']);
    expect(result.status).toBe(2);
    expectOneLineError(result.stderr, /SCIM_TIMEOUT_MS: "soon" is not a whole number of milliseconds/);
  });

  test('a secret as a flag is refused without echoing it', () => {
    const result = cli(['--tenant-url', 'https://scim.example.com/scim', '--token', 'tok-FLAG-CANARY-123']);
    expect(result.status).toBe(2);
    expectOneLineError(result.stderr, /SCIM_TOKEN: is a secret: set it in the environment or in \.env, not as --token/);
    expect(result.stderr + result.stdout).not.toContain('tok-FLAG-CANARY-123');
  });

  test('an unknown step', () => {
    const result = cli(['--steps', '01,99']);
    expect(result.status).toBe(2);
    expectOneLineError(result.stderr, /SCIM_STEPS: unknown step "99"/);
  });

  test('a Tenant URL without a scheme', () => {
    const result = cli(['--tenant-url', 'scim.example.com/scim'], { SCIM_TOKEN: 'a-long-enough-token' });
    expect(result.status).toBe(2);
    expectOneLineError(result.stderr, /SCIM_TENANT_URL: "scim.example.com\/scim" has no scheme.*https:\/\/scim\.example\.com\/scim/);
  });
});

describe('scim-conformance report', () => {
  test('without results from a run: exit status 2 and what to do', () => {
    const result = cli(['report'], { ALLURE_RESULTS_DIR: join(dir, 'no-results') });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/no Allure results in .*no-results\/; run the suite first/);
  });

  test('renders allure-report/ from a run\'s results and appends the run to the history', () => {
    const results = join(dir, 'allure-results');
    mkdirSync(results, { recursive: true });
    const uuid = '0f6c1d2e-1111-4a4a-9b9b-123456789abc';
    const result = {
      uuid,
      historyId: 'CONN-01@entra',
      testCaseId: 'CONN-01',
      fullName: 'scim-conformance:specs/01-test-connection.spec.ts#01 Test Connection CONN-01',
      name: 'CONN-01 GET /Users?filter=userName eq "<random>" answers 200 with an empty ListResponse',
      status: 'passed',
      stage: 'finished',
      start: 1_764_000_000_000,
      stop: 1_764_000_000_050,
      labels: [
        { name: 'epic', value: '01 Test Connection' },
        { name: 'story', value: 'CONN-01' },
      ],
      steps: [],
      attachments: [],
      parameters: [],
      links: [],
    };
    writeFileSync(join(results, `${uuid}-result.json`), JSON.stringify(result));
    const env = { ALLURE_RESULTS_DIR: results, ALLURE_REPORT_DIR: join(dir, 'allure-report'), ALLURE_HISTORY_PATH: join(dir, 'history.jsonl') };

    const first = cli(['report'], env);
    expect(first.status, first.stderr).toBe(0);
    expect(existsSync(join(dir, 'allure-report', 'index.html'))).toBe(true);
    expect(readFileSync(join(dir, 'allure-report', 'index.html'), 'utf8')).toMatch(/SCIM conformance/);
    const second = cli(['report'], env);
    expect(second.status, second.stderr).toBe(0);
    const history = readFileSync(join(dir, 'history.jsonl'), 'utf8').trim().split('\n');
    expect(history).toHaveLength(2);
    const latest = JSON.parse(history[1]!) as { testResults: Record<string, { status: string }> };
    expect(Object.values(latest.testResults).map((r) => r.status)).toEqual(['passed']);
  });
});

describe('scim-conformance cleanup', () => {
  test('needs --run-id or --all-runs', () => {
    const result = cli(['cleanup'], { SCIM_TENANT_URL: 'https://scim.example.com/scim', SCIM_TOKEN: 'a-long-enough-token' });
    expect(result.status).toBe(2);
    expectOneLineError(result.stderr, /cleanup needs either --run-id ID .* or --all-runs/);
  });

  test('needs a tenant: the built-in reference server keeps nothing between runs', () => {
    const result = cli(['cleanup', '--all-runs']);
    expect(result.status).toBe(2);
    expectOneLineError(result.stderr, /cleanup needs SCIM_TENANT_URL and SCIM_TOKEN/);
  });
});
