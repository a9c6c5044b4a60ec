// How the suite proves who it is to the tenant: the Secret Token (bearer, Entra's default), HTTP
// Basic (an Okta option), or OAuth 2.0 client credentials. Every secret is registered for
// redaction before any request is sent.
import { PLACEHOLDERS, registerSecret } from './exchange.ts';
import { ClientCredentialsToken, type ClientCredentials, type IssuedToken } from './oauth.ts';

export const AUTH_METHODS = ['bearer', 'basic', 'oauth'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

export type Credentials =
  | { method: 'bearer'; token: string }
  | { method: 'basic'; username: string; password: string }
  | ({ method: 'oauth' } & ClientCredentials);

/** The Authorization header of the requests that carry the run's credentials. */
export interface Authorization {
  header(): Promise<string>;
  /** After a 401: fetches a fresh credential when there is such a thing; true when a retry is worth it. */
  renew(): Promise<boolean>;
}

/** The base64 token of a Basic Authorization header (RFC 7617 §2). */
function basicCredentials(credentials: { username: string; password: string }): string {
  return Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
}

/** Registers every secret the credentials hold, for processes that only report (they never send). */
export function registerCredentials(credentials: Credentials | undefined): void {
  if (!credentials) return;
  if (credentials.method === 'bearer') registerSecret(credentials.token);
  if (credentials.method === 'basic') {
    registerSecret(credentials.password, PLACEHOLDERS.basicPassword);
    registerSecret(basicCredentials(credentials), PLACEHOLDERS.basicCredentials);
  }
  if (credentials.method === 'oauth') {
    registerSecret(credentials.clientSecret, PLACEHOLDERS.oauthClientSecret);
    registerSecret(credentials.issued?.accessToken, PLACEHOLDERS.oauthAccessToken);
  }
}

/**
 * One token per client in a process: the CLI's preflight and its end-of-run cleanup share it, and
 * a spec file's client shares it with the others of its worker. Keyed by everything the token
 * endpoint is asked with, so other credentials never get this token.
 */
const oauthTokens = new Map<string, ClientCredentialsToken>();

function oauthTokenFor(credentials: ClientCredentials, timeoutMs: number): ClientCredentialsToken {
  const key = JSON.stringify([credentials.tokenUrl, credentials.clientId, credentials.clientSecret, credentials.scope ?? '']);
  let token = oauthTokens.get(key);
  if (!token) {
    token = new ClientCredentialsToken(credentials, timeoutMs);
    oauthTokens.set(key, token);
  }
  return token;
}

/**
 * OAuth credentials with the token this process holds (fetching it when there is none), to hand
 * to the processes of the same run (src/run-suite.ts, src/global-setup.ts): one fetch per run.
 * Other credentials as they are.
 */
export async function withIssuedToken(credentials: Credentials, timeoutMs: number): Promise<Credentials> {
  if (credentials.method !== 'oauth') return credentials;
  const token = oauthTokenFor(credentials, timeoutMs);
  await token.accessToken();
  const issued: IssuedToken | undefined = token.current();
  return issued ? { ...credentials, issued } : credentials;
}

export function authorizationFor(credentials: Credentials, timeoutMs: number): Authorization {
  switch (credentials.method) {
    case 'bearer': {
      registerSecret(credentials.token);
      const header = `Bearer ${credentials.token}`;
      return { header: async () => header, renew: async () => false };
    }
    case 'basic': {
      registerSecret(credentials.password, PLACEHOLDERS.basicPassword);
      const encoded = basicCredentials(credentials);
      registerSecret(encoded, PLACEHOLDERS.basicCredentials);
      const header = `Basic ${encoded}`;
      return { header: async () => header, renew: async () => false };
    }
    case 'oauth': {
      const token = oauthTokenFor(credentials, timeoutMs);
      return {
        header: async () => `Bearer ${await token.accessToken()}`,
        renew: async () => {
          await token.renew();
          return true;
        },
      };
    }
  }
}
