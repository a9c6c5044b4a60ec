// reference/main.ts: the foreground CLI prints its base URL and token, serves, and stops on SIGTERM.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../../reference/main.ts', import.meta.url));

function run(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { stdio: 'pipe' });
}

/** Collects stdout until `pattern` appears (or the process ends). */
function waitFor(child: ChildProcessWithoutNullStreams, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; got: ${out}`)), 15_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (pattern.test(out)) {
        clearTimeout(timer);
        resolve(out);
      }
    });
    child.on('exit', () => {
      clearTimeout(timer);
      pattern.test(out) ? resolve(out) : reject(new Error(`exited before ${pattern}; got: ${out}`));
    });
  });
}

const exitCode = (child: ChildProcessWithoutNullStreams) =>
  new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on('exit', (code) => resolve(code))));

describe.concurrent('serve:reference CLI', () => {
  it('prints the base URL and token, serves with the given faults, and exits 0 on SIGTERM', async () => {
    const child = run(['--port', '0', '--token', 'cli-token', '--fault', 'create-200,no-location']);
    try {
      const out = await waitFor(child, /Bearer token: .+\n/);
      const baseUrl = /listening at (http:\/\/127\.0\.0\.1:\d+\/scim\/v2)/.exec(out)?.[1];
      expect(baseUrl).toBeDefined();
      expect(out).toContain('Bearer token: cli-token');
      const created = await fetch(`${baseUrl}/Users`, {
        method: 'POST',
        headers: { Authorization: 'Bearer cli-token', 'Content-Type': 'application/scim+json' },
        body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'cli' }),
      });
      expect(created.status).toBe(200); // create-200 is on
      expect(created.headers.has('location')).toBe(false); // no-location is on
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exitCode(child)).toBe(0);
  });

  it('generates and prints a random token when none is given', async () => {
    const child = run(['--port', '0']);
    try {
      const out = await waitFor(child, /Bearer token: .+\n/);
      const token = /Bearer token: (\S+)/.exec(out)?.[1] ?? '';
      expect(token.length).toBeGreaterThanOrEqual(24);
      const baseUrl = /listening at (\S+)/.exec(out)?.[1];
      expect((await fetch(`${baseUrl}/ServiceProviderConfig`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exitCode(child)).toBe(0);
  });

  it('also takes HTTP Basic credentials with --basic-username (random password unless given)', async () => {
    const child = run(['--port', '0', '--basic-username', 'okta']);
    try {
      const out = await waitFor(child, /Basic credentials: .+\n/);
      const password = /SCIM_BASIC_PASSWORD=(\S+)/.exec(out)?.[1] ?? '';
      expect(password.length).toBeGreaterThanOrEqual(20);
      const baseUrl = /listening at (\S+)/.exec(out)?.[1];
      const basic = (p: string) => ({ Authorization: `Basic ${Buffer.from(`okta:${p}`).toString('base64')}` });
      expect((await fetch(`${baseUrl}/ServiceProviderConfig`, { headers: basic(password) })).status).toBe(200);
      expect((await fetch(`${baseUrl}/ServiceProviderConfig`, { headers: basic(`${password}x`) })).status).toBe(401);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exitCode(child)).toBe(0);
  });

  it('exits 2 with the list of known faults for an unknown one', async () => {
    const child = run(['--port', '0', '--fault', 'bogus']);
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    expect(await exitCode(child)).toBe(2);
    expect(err).toMatch(/Unknown fault "bogus"/);
    expect(err).toContain('empty-filter-404');
  });
});
