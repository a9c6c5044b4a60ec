// Runs once in the main vitest process before the conformance specs: reads the config,
// starts the built-in reference server when no tenant is configured, and hands the target to
// every spec file.
import type { TestProject } from 'vitest/node';
import { loadConfig } from './config.ts';
import { startEmbedded } from './embedded.ts';
import { newRunId, type Target } from './target.ts';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const config = loadConfig();
  const runId = process.env.SCIM_RUN_ID || newRunId();
  const shared = { profile: config.profile, timeoutMs: config.timeoutMs, retries: config.retries, groups: config.groups, runId };
  let target: Target;
  let stop = async () => {};
  if (config.tenantUrl && config.token) {
    target = { ...shared, baseUrl: config.tenantUrl, token: config.token, embedded: false };
  } else {
    const embedded = await startEmbedded();
    target = { ...shared, baseUrl: embedded.baseUrl, token: embedded.token, embedded: true };
    stop = embedded.close;
    console.log(`scim-conformance: no SCIM_TENANT_URL set; running against the built-in reference server at ${embedded.baseUrl}`);
  }
  project.provide('target', target);
  return stop;
}
