// The client the load step sends through: one connection per request in flight, no retries of
// its own (the driver retries, so that every attempt is paced and counted), no exchange recording
// (the driver keeps a few samples; a check never gets hundreds of exchanges), and every create
// and delete written to the run's ledger (src/ledger.ts), so that a run that dies in the middle
// of a sync still has its resources found and deleted at the end of the run.
import { Agent } from 'undici';
import { ScimClient } from '../client.ts';
import { trackFailure, trackResponse } from '../ledger-tracking.ts';

export interface LoadClientOptions {
  baseUrl: string;
  token: string;
  timeoutMs: number;
  concurrency: number;
  readOnly?: boolean;
}

export function loadClient(options: LoadClientOptions): ScimClient {
  return new ScimClient({
    baseUrl: options.baseUrl,
    token: options.token,
    timeoutMs: options.timeoutMs,
    retries: 0,
    readOnly: options.readOnly ?? false,
    dispatcher: new Agent({
      connections: options.concurrency,
      keepAliveTimeout: 10_000,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    }),
    onResponse: trackResponse,
    onError: trackFailure,
  });
}
