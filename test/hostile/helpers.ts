// Misbehaving servers and CLI runs for the robustness tests. Every server listens on 127.0.0.1
// on an ephemeral port; nothing here talks to any other address.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(ROOT, 'bin/scim-conformance.js');

const tempDirs: string[] = [];

/** A temporary directory, removed after the test file. */
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Distinctive, so that a leak cannot hide behind a common word. */
export const TOKEN = 'tok-HOSTILE-CANARY-5e1f0a9b7c';

export interface Seen {
  method: string;
  url: string;
  authorization?: string;
  body: string;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, seen: Seen, index: number) => void;

export interface HostileServer {
  baseUrl: string;
  port: number;
  requests: Seen[];
  /** Bytes the server managed to hand to the socket per request, for the big-body cases. */
  written: number[];
  close(): Promise<void>;
}

function track(server: Server): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('secureConnection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return sockets;
}

async function listen(server: Server, basePath: string, scheme: 'http' | 'https'): Promise<{ baseUrl: string; port: number; close(): Promise<void> }> {
  const sockets = track(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `${scheme}://127.0.0.1:${port}${basePath}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function serve(handler: Handler, requests: Seen[]) {
  return (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const seen: Seen = { method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, body };
      requests.push(seen);
      handler(req, res, seen, requests.length - 1);
    });
  };
}

/** A plain-HTTP server on 127.0.0.1 answering every request with `handler`. */
export async function startHostile(handler: Handler, basePath = '/scim/v2'): Promise<HostileServer> {
  const requests: Seen[] = [];
  const server = createHttpServer(serve(handler, requests));
  const listening = await listen(server, basePath, 'http');
  return { ...listening, requests, written: [] };
}

/** An HTTPS server on 127.0.0.1 with the given key and certificate. */
export async function startHostileTls(handler: Handler, tls: { key: string; cert: string }, basePath = '/scim/v2'): Promise<HostileServer> {
  const requests: Seen[] = [];
  const server = createHttpsServer({ key: tls.key, cert: tls.cert }, serve(handler, requests));
  const listening = await listen(server as unknown as Server, basePath, 'https');
  return { ...listening, requests, written: [] };
}

/** The answer Entra's Test Connection wants: 200 with an empty ListResponse. */
export const emptyList: Handler = (_req, res) => writeEmptyList(res);

export function writeEmptyList(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/scim+json' }).end(JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 0, Resources: [], startIndex: 1, itemsPerPage: 0 }));
}

/** Answers the preflight (the first request) properly, then misbehaves with `then`. */
export function afterPreflight(then: Handler): Handler {
  return (req, res, seen, index) => (index === 0 ? writeEmptyList(res) : then(req, res, seen, index));
}

export const BAD_GATEWAY_HTML = '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>';

/** A self-signed certificate for 127.0.0.1, made by openssl at test time. */
export function selfSignedCert(): { key: string; cert: string; certFile: string } {
  const dir = tempDir('scimc-tls-');
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ], { stdio: 'ignore' });
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile };
}

export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * A pass-through proxy in front of a server (the reference server), which can answer some
 * requests itself (a 429 now and then, a gateway error page), serve TLS, and hold requests
 * unanswered, as a tenant stuck mid-step does. Held requests are dropped on release.
 */
export interface Proxy {
  baseUrl: string;
  requests: Seen[];
  /** Hold every request from now on (they get no answer) until release(). */
  hold(): void;
  /** Stop holding; the requests held so far are dropped (their connections closed). */
  release(): void;
  /** Resolves once a request is being held. */
  held(): Promise<void>;
  /** Resolves once every held request's connection was closed by its client (the client process died). */
  abandoned(): Promise<void>;
  close(): Promise<void>;
}

export interface ProxyOptions {
  /** Answers a request instead of forwarding it; returns true when it did. */
  intercept?: (req: IncomingMessage, res: ServerResponse, seen: Seen, index: number) => boolean;
  /** Starts holding with the first request for which this is true. */
  holdWhen?: (seen: Seen, index: number) => boolean;
  /** Serve https with this key and certificate. */
  tls?: { key: string; cert: string };
}

export async function startProxy(upstreamBaseUrl: string, options: ProxyOptions = {}): Promise<Proxy> {
  const upstream = new URL(upstreamBaseUrl);
  const requests: Seen[] = [];
  let holding = false;
  const heldResponses = new Set<ServerResponse>();
  let onHeld: (() => void) | undefined;
  let onAbandoned: (() => void) | undefined;
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const seen: Seen = { method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, body: body.toString('utf8') };
      requests.push(seen);
      const index = requests.length - 1;
      if (!holding && options.holdWhen?.(seen, index)) holding = true;
      if (holding) {
        heldResponses.add(res);
        res.on('close', () => {
          heldResponses.delete(res);
          if (heldResponses.size === 0) onAbandoned?.();
        });
        onHeld?.();
        return;
      }
      if (options.intercept?.(req, res, seen, index)) return;
      const forward = httpRequest(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => res.destroy());
      forward.end(body);
    });
  };
  const server = options.tls ? (createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handler) as unknown as Server) : createHttpServer(handler);
  const listening = await listen(server, upstream.pathname.replace(/\/$/, ''), options.tls ? 'https' : 'http');
  return {
    baseUrl: listening.baseUrl,
    requests,
    hold: () => {
      holding = true;
    },
    release: () => {
      holding = false;
      for (const res of heldResponses) res.destroy();
      heldResponses.clear();
    },
    held: () =>
      new Promise<void>((resolve) => {
        if (heldResponses.size > 0) resolve();
        else onHeld = resolve;
      }),
    abandoned: () =>
      new Promise<void>((resolve) => {
        if (heldResponses.size === 0) resolve();
        else onAbandoned = resolve;
      }),
    close: listening.close,
  };
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Where the run wrote reports and Allure results. */
  reportDir: string;
  allureDir: string;
}

export interface CliRun {
  child: ChildProcess;
  output(): { stdout: string; stderr: string };
  /** Resolves when stdout or stderr has matched. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  done: Promise<CliResult>;
}

/** The environment of a CLI run: no SCIM_*, VITEST* or ALLURE_* of this process, no developer .env. */
function cleanEnv(extra: Record<string, string>, dirs: { reportDir: string; allureDir: string; envFile: string }): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(SCIM_|VITEST|ALLURE_|TEST$|NODE_ENV$|NODE_OPTIONS$|NODE_EXTRA_CA_CERTS$|FORCE_COLOR$)/.test(k)) continue;
    env[k] = v;
  }
  return { ...env, NO_COLOR: '1', SCIM_ENV_FILE: dirs.envFile, SCIM_REPORT_DIR: dirs.reportDir, ALLURE_RESULTS_DIR: dirs.allureDir, ...extra };
}

/** Starts `node bin/scim-conformance.js <args>` with env added to a clean environment. */
export function startCli(args: string[], env: Record<string, string> = {}, options: { timeoutMs?: number; detached?: boolean } = {}): CliRun {
  const dir = tempDir('scimc-cli-');
  const dirs = { reportDir: join(dir, 'reports'), allureDir: join(dir, 'allure-results'), envFile: join(dir, '.env') };
  writeFileSync(dirs.envFile, '');
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: cleanEnv(env, dirs), stdio: ['ignore', 'pipe', 'pipe'], detached: options.detached });
  let stdout = '';
  let stderr = '';
  const watchers: Array<{ pattern: RegExp; resolve: () => void }> = [];
  const check = () => {
    for (const w of [...watchers]) {
      if (w.pattern.test(stdout) || w.pattern.test(stderr)) {
        watchers.splice(watchers.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  child.stdout!.on('data', (c: Buffer) => {
    stdout += c.toString('utf8');
    check();
  });
  child.stderr!.on('data', (c: Buffer) => {
    stderr += c.toString('utf8');
    check();
  });
  const limit = options.timeoutMs ?? 60_000;
  const done = new Promise<CliResult>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), limit);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      // A run against a hostile endpoint may keep its cleanup journal (something stayed unknown): not on this machine.
      const runId = /scim-conformance: run (scimc-[a-z0-9-]+)/.exec(stdout)?.[1];
      if (runId) tempDirs.push(join(tmpdir(), `scim-conformance-${runId}`));
      resolve({ code, signal, stdout, stderr, reportDir: dirs.reportDir, allureDir: dirs.allureDir });
    });
  });
  return {
    child,
    output: () => ({ stdout, stderr }),
    waitFor: (pattern, timeoutMs = 30_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; stdout:\n${stdout}\nstderr:\n${stderr}`)), timeoutMs);
        watchers.push({ pattern, resolve: () => (clearTimeout(timer), resolve()) });
        check();
      }),
    done,
  };
}

/** Runs the CLI to the end. */
export function runCli(args: string[], env: Record<string, string> = {}, options: { timeoutMs?: number } = {}): Promise<CliResult> {
  return startCli(args, env, options).done;
}

/** The tenant settings of a CLI run against a server of the tests. */
export function tenantEnv(baseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return { SCIM_TENANT_URL: baseUrl, SCIM_TOKEN: TOKEN, SCIM_TIMEOUT_MS: '1000', SCIM_RETRIES: '0', ...extra };
}

/** A stack frame as Node prints it: "    at fn (file:line:col)". */
export const STACK_FRAME = /^\s+at .+(:\d+:\d+\)?|\(native\)|\(<anonymous>\))$/m;

/** Every file under dir, recursively; none when it does not exist. */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** The forms a leaked secret takes: raw, percent-encoded, base64 (Basic auth, attachments). */
export function secretForms(secret: string): string[] {
  return [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64'), Buffer.from(`Bearer ${secret}`).toString('base64')];
}

/** Files whose bytes contain the secret in any form; base64 files (Allure attachments) are decoded and searched too. */
export function filesContaining(files: readonly string[], secret: string): string[] {
  const forms = secretForms(secret);
  return files.filter((file) => {
    const text = readFileSync(file).toString('latin1');
    if (forms.some((f) => text.includes(f))) return true;
    // Base64 blocks inside JSON (e.g. attachment content): decode and look again.
    for (const block of text.match(/[A-Za-z0-9+/]{40,}={0,2}/g) ?? []) {
      const decoded = Buffer.from(block, 'base64').toString('latin1');
      if (forms.some((f) => decoded.includes(f))) return true;
    }
    return false;
  });
}
