// Authentication other than the bearer Secret Token: HTTP Basic (Okta's option) and OAuth 2.0
// client credentials, end to end through the command against the reference server, and the
// token's life cycle (fetched once, renewed before expiry and after a 401) on the client itself.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startReferenceServer, type ReferenceServer } from '../../reference/server.ts';
import { authorizationFor } from '../../src/auth.ts';
import { ScimClient } from '../../src/client.ts';
import { toCurl } from '../../src/exchange.ts';
import { ClientCredentialsToken, OAuthError } from '../../src/oauth.ts';
import { filesContaining, filesUnder, runCli, STACK_FRAME } from '../hostile/helpers.ts';

const PASSWORD = 'pw-BASIC-CANARY-7d3e91';
const CLIENT_SECRET = 'cs-OAUTH-CANARY-4b8f02';

/** A local OAuth token endpoint: counts requests, issues distinctive tokens, can refuse. */
interface TokenEndpoint {
  url: string;
  issued: Set<string>;
  requests: Array<{ authorization?: string; body: string }>;
  refuse: boolean;
  expiresIn: number;
  close(): Promise<void>;
}

async function startTokenEndpoint(): Promise<TokenEndpoint> {
  const endpoint: Omit<TokenEndpoint, 'url' | 'close'> = { issued: new Set(), requests: [], refuse: false, expiresIn: 3600 };
  const server: Server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      endpoint.requests.push({ authorization: req.headers.authorization, body });
      const expected = `Basic ${Buffer.from(`scim-client:${CLIENT_SECRET}`).toString('base64')}`;
      if (endpoint.refuse || req.headers.authorization !== expected || !body.includes('grant_type=client_credentials')) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_client","error_description":"client authentication failed"}');
        return;
      }
      const token = `at-OAUTH-CANARY-${endpoint.issued.size + 1}-${Math.random().toString(36).slice(2)}`;
      endpoint.issued.add(token);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: endpoint.expiresIn }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(endpoint, { url: `http://127.0.0.1:${port}/oauth2/token`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
}

let tokens: TokenEndpoint;
let server: ReferenceServer;
beforeAll(async () => {
  tokens = await startTokenEndpoint();
  server = await startReferenceServer({ token: 'unused-bearer-token', port: 0, basic: { username: 'okta-client', password: PASSWORD }, acceptedTokens: tokens.issued });
});
afterAll(async () => {
  await server.close();
  await tokens.close();
});
afterEach(() => {
  tokens.refuse = false;
  tokens.expiresIn = 3600;
});

const oauthEnv = (extra: Record<string, string> = {}) => ({
  SCIM_TENANT_URL: server.baseUrl,
  SCIM_AUTH: 'oauth',
  SCIM_OAUTH_TOKEN_URL: tokens.url,
  SCIM_OAUTH_CLIENT_ID: 'scim-client',
  SCIM_OAUTH_CLIENT_SECRET: CLIENT_SECRET,
  ...extra,
});

/** No secret in any line of output or any file the run wrote. */
function expectNoSecrets(result: { stdout: string; stderr: string; reportDir: string; allureDir: string }, secrets: string[]): void {
  const files = [...filesUnder(result.reportDir), ...filesUnder(result.allureDir)];
  expect(files.length).toBeGreaterThan(0);
  for (const secret of secrets) {
    expect(result.stdout + result.stderr).not.toContain(secret);
    expect(filesContaining(files, secret), secret).toEqual([]);
  }
}

describe('HTTP Basic', () => {
  test('a run with SCIM_AUTH=basic passes, every request carries the Basic credentials, and the password is nowhere', async () => {
    server.reset();
    const env = { SCIM_TENANT_URL: server.baseUrl, SCIM_AUTH: 'basic', SCIM_BASIC_USERNAME: 'okta-client', SCIM_BASIC_PASSWORD: PASSWORD };
    const result = await runCli(['--steps', '01,02'], env, { timeoutMs: 60_000 });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const basic = `Basic ${Buffer.from(`okta-client:${PASSWORD}`).toString('base64')}`;
    // CONN-04..06 and CONN-09 send no or a wrong credential on purpose; every other request carries the Basic header.
    const withBasic = server.received.filter((r) => r.headers.authorization === basic);
    expect(withBasic.length).toBeGreaterThan(10);
    // CONN-05/06/09 send the right user name with a wrong password: the wrong credential of the method in use.
    const wrongBasic = server.received.map((r) => String(r.headers.authorization ?? '')).filter((a) => a.startsWith('Basic ') && a !== basic);
    expect(wrongBasic.map((a) => Buffer.from(a.slice(6), 'base64').toString())).toEqual(Array(3).fill(expect.stringMatching(/^okta-client:wrong-/)));
    expectNoSecrets(result, [PASSWORD, Buffer.from(`okta-client:${PASSWORD}`).toString('base64')]);
    // The recorded exchanges name the secret they stand in for.
    expect(readFileSync(`${result.reportDir}/exchanges.har`, 'utf8')).toContain('Basic $SCIM_BASIC_CREDENTIALS');
  });

  test('exchanges show Basic credentials as $SCIM_BASIC_CREDENTIALS; their curl line builds them with -u from the environment', async () => {
    const client = new ScimClient({ baseUrl: server.baseUrl, authorization: authorizationFor({ method: 'basic', username: 'okta-client', password: PASSWORD }, 5_000), timeoutMs: 5_000, retries: 0 });
    const res = await client.get('/Users?count=1');
    await client.close();
    expect(res.status).toBe(200);
    expect(res.exchange.request.headers.authorization).toBe('Basic $SCIM_BASIC_CREDENTIALS');
    const curl = toCurl(res.exchange);
    expect(curl).toContain(`-u "$SCIM_BASIC_USERNAME:$SCIM_BASIC_PASSWORD"`);
    expect(curl).not.toContain('authorization');
    expect(curl + JSON.stringify(res.exchange)).not.toContain(PASSWORD);
  });

  test('a wrong password ends the run at the preflight: exit 2, one line saying what to check', async () => {
    const env = { SCIM_TENANT_URL: server.baseUrl, SCIM_AUTH: 'basic', SCIM_BASIC_USERNAME: 'okta-client', SCIM_BASIC_PASSWORD: `${PASSWORD}-wrong` };
    const result = await runCli([], env, { timeoutMs: 30_000 });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/the tenant rejected the Basic credentials: GET .* answered 401\. Check SCIM_BASIC_USERNAME and SCIM_BASIC_PASSWORD\./);
    expect(result.stderr).not.toContain(PASSWORD);
    expect(result.stderr).not.toMatch(STACK_FRAME);
  });
});

describe('OAuth 2.0 client credentials', () => {
  test('a run with SCIM_AUTH=oauth passes; the token is fetched once for the whole run, with client_secret_basic; no secret or token is anywhere', async () => {
    tokens.requests.length = 0;
    const before = tokens.issued.size;
    server.reset();
    const result = await runCli(['--steps', '01,02,03'], oauthEnv(), { timeoutMs: 60_000 });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    // The preflight fetches it; the vitest process, its workers and the end-of-run cleanup get it handed on.
    expect(tokens.requests).toHaveLength(1);
    expect(tokens.requests[0]!.authorization).toBe(`Basic ${Buffer.from(`scim-client:${CLIENT_SECRET}`).toString('base64')}`);
    const token = [...tokens.issued][before]!;
    // Every request but the ones of CONN-04..06 (no or a wrong credential on purpose) carries it.
    expect(server.received.filter((r) => r.headers.authorization === `Bearer ${token}`).length).toBeGreaterThan(20);
    expectNoSecrets(result, [CLIENT_SECRET, ...tokens.issued]);
    expect(readFileSync(`${result.reportDir}/exchanges.har`, 'utf8')).toContain('Bearer $SCIM_OAUTH_ACCESS_TOKEN');
  });

  test('tokens that expire during the run are renewed by whichever process holds them, and none of them is anywhere', async () => {
    tokens.requests.length = 0;
    tokens.expiresIn = 31; // renewed 30 s before expiry: after 1 s
    const result = await runCli(['--steps', '01,02,03'], oauthEnv(), { timeoutMs: 60_000 });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(tokens.requests.length).toBeGreaterThan(1);
    expectNoSecrets(result, [CLIENT_SECRET, ...tokens.issued]);
  });

  test('a token endpoint that refuses the client ends the run at the preflight: exit 2, one line naming the endpoint and its error, not the secret', async () => {
    tokens.refuse = true;
    const result = await runCli([], oauthEnv(), { timeoutMs: 30_000 });
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`the OAuth token endpoint ${tokens.url} refused the client credentials of SCIM_OAUTH_CLIENT_ID: 401 invalid_client (client authentication failed)`);
    expect(result.stderr).not.toContain(CLIENT_SECRET);
  });

  test('the token is fetched once for many requests, again shortly before it expires, and again after the endpoint refuses it (401)', async () => {
    tokens.requests.length = 0;
    let now = 1_000_000;
    const token = new ClientCredentialsToken({ tokenUrl: tokens.url, clientId: 'scim-client', clientSecret: CLIENT_SECRET }, 5_000, () => now);
    tokens.expiresIn = 120;
    const first = await Promise.all([token.accessToken(), token.accessToken(), token.accessToken()]);
    expect(new Set(first).size).toBe(1);
    expect(tokens.requests).toHaveLength(1);
    now += 60_000; // 60 s of 120: still good
    expect(await token.accessToken()).toBe(first[0]);
    now += 35_000; // within 30 s of expiry: renewed
    const second = await token.accessToken();
    expect(second).not.toBe(first[0]);
    expect(tokens.requests).toHaveLength(2);

    // Through the client: the endpoint stops taking the token (revoked), the client renews it once and retries.
    const client = new ScimClient({ baseUrl: server.baseUrl, authorization: authorizationFor({ method: 'oauth', tokenUrl: tokens.url, clientId: 'scim-client', clientSecret: CLIENT_SECRET }, 5_000), timeoutMs: 5_000, retries: 0 });
    expect((await client.get('/ServiceProviderConfig')).status).toBe(200);
    const before = tokens.requests.length;
    tokens.issued.clear(); // every token issued so far is revoked
    const res = await client.get('/ServiceProviderConfig');
    expect(res.status).toBe(200);
    expect(res.retried.map((e) => e.response?.status)).toEqual([401]);
    expect(tokens.requests.length).toBe(before + 1);
    await client.close();
  });

  test('a 200 without an access_token, or a token type other than bearer, is an error that says so', async () => {
    const bad = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"token_type":"mac","access_token":"x"}'));
    await new Promise<void>((resolve) => bad.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(bad.address() as AddressInfo).port}/token`;
    const token = new ClientCredentialsToken({ tokenUrl: url, clientId: 'c', clientSecret: CLIENT_SECRET }, 2_000);
    await expect(token.accessToken()).rejects.toThrow(OAuthError);
    await expect(token.accessToken()).rejects.toThrow(/issued a "mac" token; only bearer tokens can be sent/);
    await new Promise<void>((resolve) => bad.close(() => resolve()));
  });
});
