// Calibration against third-party SCIM servers: runs the whole conformance suite (groups on) against
// each peer of PEERS in turn (scimmy: ./scimmy-server.ts, better-auth: ./better-auth-server.ts),
// under the Entra profile and the strict rfc profile, and compares every check's status with that
// run's expected file (./<peer>.expected.json, ./<peer>.rfc.expected.json), whose statuses were established by reading the peer's answers on the
// wire against the RFCs and Entra's documentation. Any difference fails, naming the check and both
// statuses: either the peer changed, or a check changed its verdict and one of the two is wrong.
//
//   npm run test:peers            (part of npm run test:self): every peer, one after the other
//   npm run test:peers -- --peer better-auth   one peer only (--profile rfc: one profile only)
//   npm run test:peers -- --verbose   also prints the message of every failed/warned/skipped check
//   npm run test:peers -- --peer <name> --profile <p> --expected <file>   compares that run with another expected file
//   PEER_ACTUAL_DIR=<dir> npm run test:peers   also writes each run's statuses and messages to <dir>/<peer>.<profile>.json
//
// Exit status: 0 when every check of every peer has its expected status, 1 on any difference or a broken run.
// The suite runs through vitest's Node API in a project of its own that provides the target, so
// neither the repository's global setup (which would start the reference server) nor its
// reporters (which write reports/) take part.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunnerTask, RunnerTestCase } from 'vitest';
import { startVitest, type Reporter } from 'vitest/node';
import type { CheckStatus } from '../../src/check-meta.ts';
import type { Profile } from '../../src/config.ts';
import { SPEC_SETUP_FILES } from '../../src/setup-files.ts';
import { newRunId, type Target } from '../../src/target.ts';
import { checkStatus } from '../../src/check-status.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
/** scimmy's expected file, the default of readExpected. */
export const EXPECTED_FILE = join(HERE, 'scimmy.expected.json');

/** A running peer: its Tenant URL, the token it accepts, and the versions installed. */
export interface RunningPeer {
  baseUrl: string;
  token: string;
  versions: Record<string, string>;
  close(): Promise<void>;
}

export interface PeerDefinition {
  name: string;
  start(options?: { port?: number; token?: string }): Promise<RunningPeer>;
  /** The expected file of each client profile the peer is run under (entra first: the default). */
  expectedFiles: Partial<Record<Profile, string>>;
}

/** Every peer, in the order npm run test:peers runs them. A peer's server is loaded only when it starts. */
export const PEERS: readonly PeerDefinition[] = [
  {
    name: 'scimmy',
    start: async (options) => (await import('./scimmy-server.ts')).startScimmyPeer(options),
    expectedFiles: { entra: EXPECTED_FILE, rfc: join(HERE, 'scimmy.rfc.expected.json') },
  },
  {
    name: 'better-auth',
    start: async (options) => (await import('./better-auth-server.ts')).startBetterAuthPeer(options),
    expectedFiles: { entra: join(HERE, 'better-auth.expected.json'), rfc: join(HERE, 'better-auth.rfc.expected.json') },
  },
];

export function peerNamed(name: string): PeerDefinition {
  const peer = PEERS.find((p) => p.name === name);
  if (!peer) throw new Error(`no peer named ${JSON.stringify(name)}; peers: ${PEERS.map((p) => p.name).join(', ')}`);
  return peer;
}

const STATUSES: readonly CheckStatus[] = ['passed', 'failed', 'warned', 'skipped'];

export interface ExpectedCheck {
  status: CheckStatus;
  /** One line: what the peer does. Required for every status but passed. */
  reason?: string;
  /** The RFC section or Entra document the verdict rests on. Required for every status but passed. */
  source?: string;
  /** Set when we believe the check itself is wrong; says why. The status stays what the suite reports today. */
  disputed?: string;
  /** Anything else a reader should know about the verdict. */
  note?: string;
}

export interface ExpectedFile {
  peer: string;
  versions: Record<string, string>;
  profile: string;
  checks: Record<string, ExpectedCheck>;
}

export interface ActualCheck {
  id: string;
  status: CheckStatus;
  message?: string;
}

export interface Difference {
  id: string;
  expected: CheckStatus | 'absent';
  actual: CheckStatus | 'absent';
  note: string;
}

/** Reads and validates the expected file; a malformed entry is an error, not a silent pass. */
export function readExpected(file = EXPECTED_FILE): ExpectedFile {
  const data = JSON.parse(readFileSync(file, 'utf8')) as ExpectedFile;
  const problems: string[] = [];
  for (const [id, entry] of Object.entries(data.checks ?? {})) {
    if (!STATUSES.includes(entry.status)) problems.push(`${id}: status ${JSON.stringify(entry.status)} is not one of ${STATUSES.join(', ')}`);
    if (entry.status !== 'passed' && !(entry.reason && entry.source)) problems.push(`${id}: a ${entry.status} check needs a reason and a source`);
  }
  if (problems.length > 0) throw new Error(`${relative(ROOT, file)} is malformed:\n  ${problems.join('\n  ')}`);
  return data;
}

/** The same rule as the user's exit status (src/check-status.ts). */
const statusOf = (test: RunnerTestCase): CheckStatus => checkStatus(test.result?.state, test.meta.outcome);

function* testsOf(tasks: readonly RunnerTask[]): Generator<RunnerTestCase> {
  for (const task of tasks) {
    if (task.type === 'test') yield task;
    else if ('tasks' in task) yield* testsOf(task.tasks);
  }
}

/** Every check the run reported against every check the expected file names, both ways. */
export function compare(expected: Record<string, ExpectedCheck>, actual: readonly ActualCheck[]): Difference[] {
  const differences: Difference[] = [];
  const seen = new Set<string>();
  for (const check of actual) {
    seen.add(check.id);
    const want = expected[check.id];
    if (!want) {
      differences.push({ id: check.id, expected: 'absent', actual: check.status, note: 'a check the expected file does not know: read its exchange on the wire and add it' });
    } else if (want.status !== check.status) {
      differences.push({ id: check.id, expected: want.status, actual: check.status, note: want.reason ?? 'expected to pass' });
    }
  }
  for (const [id, want] of Object.entries(expected)) {
    if (!seen.has(id)) differences.push({ id, expected: want.status, actual: 'absent', note: 'the check did not run (renamed, retired, or its spec file failed to load)' });
  }
  return differences.sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
}

function firstLines(text: string | undefined, n: number): string {
  return (text ?? '').split('\n').slice(0, n).map((line) => `      ${line}`).join('\n');
}

/** A reporter that says nothing: this script prints its own comparison. */
const silent: Reporter = {};

/** Runs the suite against one peer (scimmy unless named) and compares with its expected file; returns the exit status. */
export async function runPeer(options: { peer?: string; profile?: Profile; verbose?: boolean; expectedFile?: string } = {}): Promise<number> {
  const started = Date.now();
  const definition = peerNamed(options.peer ?? 'scimmy');
  const profile = options.profile ?? 'entra';
  const known = definition.expectedFiles[profile];
  if (!known && !options.expectedFile) throw new Error(`${definition.name} has no expected file for the ${profile} profile`);
  const expectedFile = resolve(options.expectedFile ?? known!);
  const expected = readExpected(expectedFile);
  if (expected.profile !== profile) throw new Error(`${relative(ROOT, expectedFile)} is for the ${expected.profile} profile, not ${profile}`);
  const project = `peer-${definition.name}`;
  const peer = await definition.start();
  const target: Target = {
    baseUrl: peer.baseUrl,
    token: peer.token,
    profile,
    timeoutMs: 10_000,
    retries: 0,
    groups: true,
    runId: newRunId(),
    embedded: false,
  };
  const versions = Object.entries(peer.versions).map(([name, version]) => `${name} ${version}`).join(', ');
  console.log(`peer: ${definition.name} at ${peer.baseUrl} (${versions}), profile ${target.profile}, groups on`);
  let tests: RunnerTestCase[] = [];
  let broken: string[] = [];
  try {
    const vitest = await startVitest(
      'test',
      [],
      { run: true, watch: false, config: false, root: ROOT, project: [project] },
      {
        test: {
          reporters: [silent],
          // One spec file at a time: each file deletes what it created before the next starts, so
          // checks that see every user (MATCH-13's unfiltered paging) see the same set every run.
          fileParallelism: false,
          projects: [
            {
              test: {
                name: project,
                root: ROOT,
                include: ['specs/**/*.spec.ts'],
                setupFiles: [...SPEC_SETUP_FILES],
                provide: { target },
                testTimeout: 30_000,
                hookTimeout: 30_000,
              },
            },
          ],
        },
      },
    );
    const files = vitest.state.getFiles();
    tests = [...testsOf(files)];
    broken = [
      ...files.filter((f) => f.result?.state === 'fail' && f.result.errors?.length).map((f) => `${f.name}: ${f.result?.errors?.[0]?.message ?? 'failed to run'}`),
      ...vitest.state.getUnhandledErrors().map((e) => `unhandled error: ${(e as Error)?.message ?? String(e)}`),
    ];
    await vitest.close();
  } finally {
    await peer.close();
  }

  // Checks of other client profiles (okta, rfc ...) say nothing about this run: the expected file covers the profile that ran.
  const inProfile = (t: RunnerTestCase) => !t.meta.check?.profiles || t.meta.check.profiles.includes(target.profile);
  const actual: ActualCheck[] = tests
    .filter(inProfile)
    .map((t) => ({ id: t.meta.check?.id ?? t.name, status: statusOf(t), message: t.meta.outcome?.message }));
  const totals = Object.fromEntries(STATUSES.map((s) => [s, actual.filter((c) => c.status === s).length])) as Record<CheckStatus, number>;
  console.log(`${actual.length} checks: ${STATUSES.map((s) => `${totals[s]} ${s}`).join(', ')}`);

  if (options.verbose) {
    for (const check of actual.filter((c) => c.status !== 'passed')) console.log(`  ${check.id} ${check.status}\n${firstLines(check.message, 3)}`);
  }
  // For calibrating by hand: every check's status and message, to read against the wire.
  if (process.env.PEER_ACTUAL_DIR) writeFileSync(join(process.env.PEER_ACTUAL_DIR, `${definition.name}.${profile}.json`), `${JSON.stringify(actual, null, 2)}\n`);
  for (const [name, version] of Object.entries(expected.versions)) {
    const installed = peer.versions[name];
    if (installed && installed !== version) {
      console.log(`note: ${relative(ROOT, expectedFile)} was established with ${name} ${version}; installed is ${installed}. Re-read any difference on the wire.`);
    }
  }

  const differences = compare(expected.checks, actual);
  for (const problem of broken) console.error(`broken run: ${problem}`);
  if (differences.length > 0) {
    console.error(`\n${differences.length} difference(s) from ${relative(ROOT, expectedFile)}:`);
    for (const d of differences) {
      console.error(`  ${d.id}: expected ${d.expected}, got ${d.actual} (${d.note})`);
      const message = actual.find((c) => c.id === d.id)?.message;
      if (message) console.error(firstLines(message, 4));
    }
    console.error(`\nSettle each one by reading the exchange against the RFC: if ${definition.name} is right, the expected status is passed; if the check is wrong, report it and mark the entry "disputed"; never loosen a check to match.`);
  } else if (actual.length > 0) {
    console.log(`every check has its expected status (${relative(ROOT, expectedFile)})`);
  }
  if (actual.length === 0) console.error('no check ran');
  console.log(`${definition.name} run took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return differences.length > 0 || broken.length > 0 || actual.length === 0 ? 1 : 0;
}

/**
 * Runs the named peers (every peer when none is named) under each profile they have an expected
 * file for (or the named profiles), one run after the other; 1 if any differs or breaks.
 */
export async function runPeers(options: { peers?: readonly string[]; profiles?: readonly Profile[]; verbose?: boolean; expectedFile?: string } = {}): Promise<number> {
  const names = options.peers?.length ? options.peers : PEERS.map((p) => p.name);
  const runs = names.flatMap((name) => {
    const known = Object.keys(peerNamed(name).expectedFiles) as Profile[];
    return (options.profiles?.length ? options.profiles : known).map((profile) => ({ peer: name, profile }));
  });
  if (options.expectedFile && runs.length !== 1) throw new Error('--expected compares one run: name it with --peer and --profile');
  let status = 0;
  for (const [i, run] of runs.entries()) {
    if (i > 0) console.log('');
    status = Math.max(status, await runPeer({ ...run, verbose: options.verbose, expectedFile: options.expectedFile }));
  }
  return status;
}

/** The values of every `--name value` in args. */
function valuesOf(args: readonly string[], name: string): string[] {
  return args.flatMap((arg, i) => (arg === name && args[i + 1] !== undefined ? [args[i + 1] as string] : []));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const expectedFile = valuesOf(args, '--expected')[0];
  try {
    const profiles = valuesOf(args, '--profile') as Profile[];
    process.exitCode = await runPeers({ peers: valuesOf(args, '--peer'), profiles, verbose: args.includes('--verbose'), ...(expectedFile ? { expectedFile } : {}) });
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 1;
  }
}
