// Runs once in the main vitest process before the conformance specs: reads the config,
// starts the built-in reference server when no tenant is configured, and hands the target to
// every spec file. At the end it deletes whatever the spec files left on the tenant, unless the
// CLI started this run: then the CLI does that after vitest has exited (or was interrupted).
import type { TestProject } from 'vitest/node';
import { withIssuedToken, type Credentials } from './auth.ts';
import { cleanUpAfterRun } from './cleanup.ts';
import { credentialsOf, loadConfig } from './config.ts';
import { startEmbedded } from './embedded.ts';
import { OAUTH_HANDOFF_ENV, SUPERVISED_ENV, runIdFromEnv, type Target } from './target.ts';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const config = loadConfig();
  const runId = runIdFromEnv();
  const shared = {
    profile: config.profile,
    timeoutMs: config.timeoutMs,
    retries: config.retries,
    groups: config.groups,
    ...(config.mapping && { mapping: config.mapping }),
    runId,
    readOnly: config.readOnly,
    ...(config.readOnlyUserName !== undefined && { readOnlyUserName: config.readOnlyUserName }),
    ...(config.load && { load: { users: config.loadUsers, groups: config.loadGroups, rate: config.loadRate, concurrency: config.loadConcurrency } }),
    testData: { userNameTemplate: config.userNameTemplate, emailDomain: config.emailDomain },
  };
  let target: Target;
  let stop = async () => {};
  const credentials = await withHandedToken(credentialsOf(config), config.timeoutMs);
  if (config.tenantUrl && credentials) {
    const token = credentials.method === 'bearer' ? credentials.token : '';
    target = { ...shared, baseUrl: config.tenantUrl, token, ...(credentials.method !== 'bearer' && { credentials }), embedded: false };
    if (!config.readOnly && process.env[SUPERVISED_ENV] !== '1') {
      const { tenantUrl: baseUrl, timeoutMs } = config;
      stop = async () => {
        await cleanUpAfterRun({ baseUrl, credentials, timeoutMs, runId });
      };
    }
  } else {
    const embedded = await startEmbedded();
    target = { ...shared, baseUrl: embedded.baseUrl, token: embedded.token, embedded: true };
    stop = embedded.close;
    console.log(`scim-conformance: no SCIM_TENANT_URL set; running against the built-in reference server at ${embedded.baseUrl}`);
  }
  if (config.readOnly) console.log('scim-conformance: read-only mode: only GET requests are sent; checks that write are skipped');
  project.provide('target', target);
  return stop;
}

/**
 * OAuth credentials carry the access token to the workers, which then do not fetch their own:
 * the token the CLI's preflight fetched (OAUTH_HANDOFF_ENV), else one fetched here.
 */
async function withHandedToken(credentials: Credentials | undefined, timeoutMs: number): Promise<Credentials | undefined> {
  if (credentials?.method !== 'oauth') return credentials;
  const handed = process.env[OAUTH_HANDOFF_ENV];
  if (handed) {
    try {
      return withIssuedToken({ ...credentials, issued: JSON.parse(handed) as NonNullable<typeof credentials.issued> }, timeoutMs);
    } catch {
      // not a token: fetch one
    }
  }
  return withIssuedToken(credentials, timeoutMs);
}
