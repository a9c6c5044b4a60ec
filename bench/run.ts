// `npm run bench`: how long a full conformance run takes, and what that time is made of.
//
// Each measured run is `node bin/scim-conformance.js run` in a child process, timed from spawn to
// exit, pointed (SCIM_TENANT_URL) at a reference server in this process, so that every request
// it sends is seen here: counted, timed, and afterwards replayed with plain undici calls against
// a fresh server to give the floor (the same requests with nothing around them). Also timed: the
// default run with no tenant configured (the built-in server, as `npm test` does), and a run
// against a server seeded with 10,000 users, with the peak memory of the suite's processes.
//
//   npm run bench                       3 runs of each (medians reported)
//   npm run bench -- --runs 5 --big-runs 1 --json bench.json
//   npm run bench -- --no-big --no-embedded
//   npm run bench -- --runs 1 --no-big --no-embedded --fault slow-responses    (a tenant answering in 300 ms)
//
// Timings depend on the machine and on whatever else runs on it: the load average is printed
// with every run. Speed is judged here, never by timed assertions in tests.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startReferenceServer } from '../reference/server.ts';
import { TreeSampler, hasEnv } from './proc-tree.ts';
import { replay, type ReplayRequest } from './replay.ts';
import { SEQ_HEADER, TrafficRecorder } from './traffic.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BIN = join(ROOT, 'bin/scim-conformance.js');
const TIME = '/usr/bin/time';
/** Marks the vitest process the CLI starts (src/target.ts SUPERVISED_ENV). */
const CHILD_MARK = 'SCIM_CONFORMANCE_CHILD=1';

interface RunMeasure {
  kind: 'tenant' | 'embedded' | 'big';
  exitCode: number | null;
  wallMs: number;
  load: [number, number];
  /** Largest resident set of one process of the run (KB, from /usr/bin/time) and peak of the whole tree (bytes, sampled). */
  maxRssKb?: number;
  peakTreeBytes: number;
  peakProcessBytes: number;
  verdictLine?: string;
  requests?: number;
  byMethod?: Record<string, number>;
  /** From spawn to the first request after the preflight (the first check's). */
  startupMs?: number;
  /** Of which: spawn to the preflight (the CLI's own start-up), and preflight to the first check's request (vitest's start-up). */
  cliStartMs?: number;
  vitestStartMs?: number;
  /** From the first to the last request sent while vitest ran. */
  suiteWindowMs?: number;
  suiteRequests?: number;
  /** Most requests that started within any one second, and most in flight at once (what a rate-limited tenant sees). */
  peakPerSecond?: number;
  peakInFlight?: number;
  /** Requests after vitest had exited: the end-of-run cleanup. */
  cleanupRequests?: number;
  /** From the last request of vitest to the exit of the run. */
  tailMs?: number;
  /** Of which: the last request to the end of the vitest process (teardown, reporters), and from there to the exit (end-of-run cleanup). */
  vitestEndMs?: number;
  finalMs?: number;
  floorSequentialMs?: number;
  floorPerConnectionMs?: number;
  connections?: number;
  replayMismatches?: number;
  replayMismatchExamples?: string[];
  leftOnServer?: number;
}

function cleanEnv(extra: Record<string, string>, dir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('SCIM_') && !name.startsWith('ALLURE_')) env[name] = value;
  const envFile = join(dir, 'empty.env');
  writeFileSync(envFile, '');
  return {
    ...env,
    // A developer's .env must not change what is measured.
    SCIM_ENV_FILE: envFile,
    SCIM_REPORT_DIR: join(dir, 'reports'),
    ALLURE_RESULTS_DIR: join(dir, 'allure-results'),
    ...extra,
  };
}

/** Set by Ctrl-C: the run in progress is stopped (its processes with it) and no further run starts. */
let interrupted = false;

/** Runs the CLI once; answers its exit code, wall time, output and memory. */
type CliRun = Awaited<ReturnType<typeof runCli>>;

/** What every kind of run measures of the CLI process and its tree. */
function processMeasure(kind: RunMeasure['kind'], run: CliRun, load: [number, number]): RunMeasure {
  return {
    kind,
    exitCode: run.exitCode,
    wallMs: run.wallMs,
    load,
    ...(run.maxRssKb !== undefined && { maxRssKb: run.maxRssKb }),
    peakTreeBytes: run.peakTreeBytes,
    peakProcessBytes: run.peakProcessBytes,
    ...(run.verdictLine && { verdictLine: run.verdictLine }),
  };
}

async function runCli(env: NodeJS.ProcessEnv, dir: string): Promise<Pick<RunMeasure, 'exitCode' | 'wallMs' | 'maxRssKb' | 'peakTreeBytes' | 'peakProcessBytes' | 'verdictLine'> & { output: string; vitestGoneAt?: number; spawnedAt: number; exitedAt: number }> {
  const timeFile = join(dir, 'time.txt');
  const useTime = existsSync(TIME);
  const [command, args] = useTime ? [TIME, ['-f', '%M', '-o', timeFile, process.execPath, BIN, 'run']] : [process.execPath, [BIN, 'run']];
  let output = '';
  const spawnedAt = performance.now();
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const sampler = new TreeSampler(child.pid!, (pid) => hasEnv(pid, CHILD_MARK));
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const stop = () => {
    interrupted = true;
    // The CLI itself (under /usr/bin/time when that is used) stops vitest, cleans up and exits.
    const cli = useTime ? sampler.descendants()[0] : child.pid;
    if (cli !== undefined) process.kill(cli, 'SIGINT');
  };
  process.once('SIGINT', stop);
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const exitedAt = performance.now();
  process.off('SIGINT', stop);
  sampler.stop();
  const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
  const maxRssKb = useTime && existsSync(timeFile) ? Number(readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)) : undefined;
  return {
    exitCode,
    wallMs: exitedAt - spawnedAt,
    ...(maxRssKb !== undefined && Number.isFinite(maxRssKb) && { maxRssKb }),
    peakTreeBytes: sampler.peakTreeRss,
    peakProcessBytes: sampler.peakProcessRss,
    ...(/^verdict: .*$/m.exec(plain) && { verdictLine: /^verdict: .*$/m.exec(plain)![0] }),
    output: plain,
    ...(sampler.lastSeen !== undefined && { vitestGoneAt: sampler.lastSeen }),
    spawnedAt,
    exitedAt,
  };
}

/** A run against a reference server in this process (seeded with `seed` users), every request recorded. */
async function tenantRun(kind: 'tenant' | 'big', seed: number, withFloor: boolean, faults: readonly string[] = []): Promise<RunMeasure> {
  const dir = mkdtempSync(join(tmpdir(), 'scim-bench-'));
  const token = `bench-${randomBytes(12).toString('base64url')}`;
  const server = await startReferenceServer({ token, faults });
  const recorder = new TrafficRecorder(Number(new URL(server.baseUrl).port));
  try {
    if (seed > 0) server.seedUsers(seed);
    const load: [number, number] = [loadavg()[0]!, 0];
    const run = await runCli(cleanEnv({ SCIM_TENANT_URL: server.baseUrl, SCIM_TOKEN: token }, dir), dir);
    load[1] = loadavg()[0]!;
    recorder.stop();
    const requests = recorder.requests;
    const byMethod: Record<string, number> = {};
    for (const r of requests) byMethod[r.method] = (byMethod[r.method] ?? 0) + 1;
    // The first request is the CLI's preflight; requests after the vitest process is gone are the end-of-run cleanup.
    const gone = run.vitestGoneAt ?? run.exitedAt;
    const suite = requests.slice(1).filter((r) => r.start <= gone);
    const measure: RunMeasure = {
      ...processMeasure(kind, run, load),
      requests: requests.length,
      byMethod,
      connections: new Set(requests.map((r) => r.connection)).size,
    };
    if (suite.length > 0) {
      const last = Math.max(...suite.map((r) => r.end ?? r.start));
      measure.startupMs = suite[0]!.start - run.spawnedAt;
      measure.suiteWindowMs = last - suite[0]!.start;
      measure.suiteRequests = suite.length;
      measure.cleanupRequests = requests.length - 1 - suite.length;
      measure.tailMs = run.exitedAt - last;
      measure.cliStartMs = requests[0]!.start - run.spawnedAt;
      measure.vitestStartMs = suite[0]!.start - requests[0]!.start;
      if (run.vitestGoneAt !== undefined) {
        measure.vitestEndMs = run.vitestGoneAt - last;
        measure.finalMs = run.exitedAt - run.vitestGoneAt;
      }
    }
    Object.assign(measure, peaks(requests));
    const left = await fetch(`${server.baseUrl}/Users?filter=${encodeURIComponent('userName sw "scimc-"')}&count=0`, { headers: { authorization: `Bearer ${token}` } });
    const leftGroups = await fetch(`${server.baseUrl}/Groups?filter=${encodeURIComponent('displayName sw "scimc-"')}&count=0`, { headers: { authorization: `Bearer ${token}` } });
    measure.leftOnServer = ((await left.json()) as { totalResults: number }).totalResults + ((await leftGroups.json()) as { totalResults: number }).totalResults;
    if (run.exitCode !== 0) console.error(`bench: the run exited with ${run.exitCode}; its output ends:\n${run.output.split('\n').slice(-25).join('\n')}`);
    if (withFloor) {
      const bySeq = new Map(server.received.map((r) => [Number(r.headers[SEQ_HEADER]), r]));
      const list: ReplayRequest[] = requests.map((r) => {
        const received = bySeq.get(r.seq);
        const headers = Object.fromEntries(Object.entries(received?.headers ?? {}).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : Array.isArray(v) ? [[k, v.join(', ')]] : [])));
        return { seq: r.seq, method: r.method, url: r.url, headers, body: received?.body ?? '', connection: r.connection, ...(r.status !== undefined && { status: r.status }), ...(r.location && { location: r.location }) };
      });
      for (const mode of ['sequential', 'per-connection'] as const) {
        const fresh = await startReferenceServer({ token, faults });
        try {
          const result = await replay(new URL(fresh.baseUrl).origin, list, mode);
          if (mode === 'sequential') measure.floorSequentialMs = result.ms;
          else measure.floorPerConnectionMs = result.ms;
          measure.replayMismatches = Math.max(measure.replayMismatches ?? 0, result.mismatched);
          if (result.mismatchExamples.length) measure.replayMismatchExamples = result.mismatchExamples;
        } finally {
          await fresh.close();
        }
      }
    }
    return measure;
  } finally {
    recorder.stop();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The default run: no tenant URL, the CLI starts the built-in reference server itself. */
async function embeddedRun(): Promise<RunMeasure> {
  const dir = mkdtempSync(join(tmpdir(), 'scim-bench-'));
  try {
    const load: [number, number] = [loadavg()[0]!, 0];
    const run = await runCli(cleanEnv({}, dir), dir);
    load[1] = loadavg()[0]!;
    if (run.exitCode !== 0) console.error(`bench: the run exited with ${run.exitCode}; its output ends:\n${run.output.split('\n').slice(-25).join('\n')}`);
    return processMeasure('embedded', run, load);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The busiest second (by request starts) and the most requests in flight at once. */
function peaks(requests: readonly { start: number; end?: number }[]): { peakPerSecond: number; peakInFlight: number } {
  const starts = requests.map((r) => r.start).sort((a, b) => a - b);
  let peakPerSecond = 0;
  for (let i = 0, j = 0; i < starts.length; i++) {
    while (starts[i]! - starts[j]! >= 1000) j++;
    peakPerSecond = Math.max(peakPerSecond, i - j + 1);
  }
  const events = requests.flatMap((r) => [[r.start, 1] as const, [r.end ?? r.start, -1] as const]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let inFlight = 0;
  let peakInFlight = 0;
  for (const [, delta] of events) peakInFlight = Math.max(peakInFlight, (inFlight += delta));
  return { peakPerSecond, peakInFlight };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const s = (ms: number | undefined) => (ms === undefined || !Number.isFinite(ms) ? '-' : `${(ms / 1000).toFixed(2)} s`);
const mb = (bytes: number | undefined) => (bytes === undefined || !Number.isFinite(bytes) ? '-' : `${Math.round(bytes / 1024 / 1024)} MB`);

function line(m: RunMeasure): string {
  const parts = [`${m.kind.padEnd(8)} exit ${m.exitCode}`, `wall ${s(m.wallMs)}`, `load ${m.load[0].toFixed(2)}->${m.load[1].toFixed(2)}`];
  if (m.requests !== undefined) parts.push(`${m.requests} requests (${m.suiteRequests} while vitest ran, ${m.cleanupRequests} cleanup after)`);
  if (m.startupMs !== undefined) parts.push(`start-up ${s(m.startupMs)}, request window ${s(m.suiteWindowMs)}, after ${s(m.tailMs)}`);
  if (m.floorSequentialMs !== undefined) parts.push(`floor ${s(m.floorSequentialMs)} sequential / ${s(m.floorPerConnectionMs)} over ${m.connections} connections`);
  parts.push(`max RSS ${m.maxRssKb !== undefined ? mb(m.maxRssKb * 1024) : '-'} (one process), ${mb(m.peakTreeBytes)} (all processes)`);
  if (m.leftOnServer !== undefined) parts.push(`left on server ${m.leftOnServer}`);
  return parts.join('; ');
}

function summary(kind: string, runs: readonly RunMeasure[]): string[] {
  if (runs.length === 0) return [];
  const med = (pick: (m: RunMeasure) => number | undefined) => median(runs.map(pick).filter((v): v is number => v !== undefined));
  const rows = [
    `${kind}: median of ${runs.length} (exit ${[...new Set(runs.map((r) => r.exitCode))].join('/')}; load average ${runs.map((r) => r.load[0].toFixed(2)).join(', ')})`,
    `  wall time               ${s(med((m) => m.wallMs))}   (runs: ${runs.map((r) => s(r.wallMs)).join(', ')})`,
  ];
  if (runs[0]!.requests !== undefined) {
    rows.push(
      `  requests                ${med((m) => m.requests)} (${med((m) => m.suiteRequests)} from the checks, ${med((m) => m.cleanupRequests)} end-of-run cleanup, 1 preflight)`,
      `  start-up                ${s(med((m) => m.startupMs))}   (spawn to the first check's request: CLI ${s(med((m) => m.cliStartMs))} to its preflight, vitest ${s(med((m) => m.vitestStartMs))})`,
      `  request window          ${s(med((m) => m.suiteWindowMs))}   (first to last request of the checks)`,
      `  after the last request  ${s(med((m) => m.tailMs))}   (vitest teardown and reports ~${s(med((m) => m.vitestEndMs))}, then end-of-run cleanup and exit ~${s(med((m) => m.finalMs))})`,
      `  busiest second          ${med((m) => m.peakPerSecond)} requests; at most ${med((m) => m.peakInFlight)} in flight at once (as the server saw them)`,
    );
  }
  if (runs[0]!.floorSequentialMs !== undefined) {
    const floor = med((m) => m.floorSequentialMs);
    const floorConc = med((m) => m.floorPerConnectionMs);
    rows.push(
      `  floor, sequential       ${s(floor)}   (the same requests replayed one after another with undici)`,
      `  floor, per connection   ${s(floorConc)}   (one loop per connection the suite used: ${med((m) => m.connections)})`,
      `  wall / floor            ${(med((m) => m.wallMs) / floor).toFixed(1)}x;  request window / floor ${(med((m) => m.suiteWindowMs) / floor).toFixed(1)}x`,
      `  replay fidelity         ${med((m) => m.replayMismatches)} answers differed from the original run`,
    );
  }
  rows.push(`  peak memory             ${mb(med((m) => (m.maxRssKb ?? Number.NaN) * 1024))} largest process, ${mb(med((m) => m.peakTreeBytes))} all processes of the run together`);
  if (runs[0]!.leftOnServer !== undefined) rows.push(`  left on the server      ${med((m) => m.leftOnServer)} users/groups of the run`);
  return rows;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '3' },
      'big-runs': { type: 'string' },
      'big-users': { type: 'string', default: '10000' },
      big: { type: 'boolean', default: true },
      embedded: { type: 'boolean', default: true },
      json: { type: 'string' },
      // e.g. --fault slow-responses: a tenant that answers in 300 ms instead of 1 ms (tenant runs and their floor).
      fault: { type: 'string', multiple: true, default: [] },
    },
    allowNegative: true,
    strict: true,
  });
  const runs = Number(values.runs);
  const bigRuns = Number(values['big-runs'] ?? values.runs);
  const bigUsers = Number(values['big-users']);
  const faults = values.fault.flatMap((f) => f.split(',')).filter((f) => f !== '');
  console.log(`bench: ${availableParallelism()} CPUs, node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const all: RunMeasure[] = [];
  const measure = async (label: string, make: () => Promise<RunMeasure>) => {
    const m = await make();
    all.push(m);
    console.log(`  ${label}: ${line(m)}`);
    return m;
  };
  // Interleaved, so that a burst of load from elsewhere spreads over every kind of run.
  for (let i = 1; i <= Math.max(runs, bigRuns) && !interrupted; i++) {
    if (i <= runs) await measure(`run ${i}`, () => tenantRun('tenant', 0, true, faults));
    if (values.embedded && i <= runs && !interrupted) await measure(`run ${i}`, embeddedRun);
    if (values.big && i <= bigRuns && !interrupted) await measure(`run ${i}`, () => tenantRun('big', bigUsers, false));
  }
  if (interrupted) {
    console.error('bench: interrupted; no summary');
    return 130;
  }
  console.log('');
  for (const text of [
    ...summary(`full run against a reference server at SCIM_TENANT_URL (every request seen)${faults.length ? ` with ${faults.join(', ')}` : ''}`, all.filter((m) => m.kind === 'tenant')),
    ...summary('default run, no tenant configured (built-in reference server, as `npm test`)', all.filter((m) => m.kind === 'embedded')),
    ...summary(`full run against a tenant of ${bigUsers} users`, all.filter((m) => m.kind === 'big')),
  ]) {
    console.log(text);
  }
  if (values.json) writeFileSync(values.json, `${JSON.stringify({ cpus: availableParallelism(), node: process.version, runs: all }, null, 2)}\n`);
  return all.every((m) => m.exitCode === 0) ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`bench: ${(error as Error)?.stack ?? String(error)}`);
    process.exitCode = 2;
  },
);
