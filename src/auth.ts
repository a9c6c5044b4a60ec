// How the suite proves who it is to the tenant: the Secret Token (bearer, Entra's default), HTTP
// Basic (an Okta option), or OAuth 2.0 client credentials. Every secret is registered for
// redaction before any request is sent.
import { registerSecret } from './exchange.ts';
import { ClientCredentialsToken, type ClientCredentials } from './oauth.ts';

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

/** Registers every secret the credentials hold, for processes that only report (they never send). */
export function registerCredentials(credentials: Credentials | undefined): void {
  if (!credentials) return;
  if (credentials.method === 'bearer') registerSecret(credentials.token);
  if (credentials.method === 'basic') {
    registerSecret(credentials.password);
    registerSecret(Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64'));
  }
  if (credentials.method === 'oauth') registerSecret(credentials.clientSecret);
}

export function authorizationFor(credentials: Credentials, timeoutMs: number): Authorization {
  switch (credentials.method) {
    case 'bearer': {
      registerSecret(credentials.token);
      const header = `Bearer ${credentials.token}`;
      return { header: async () => header, renew: async () => false };
    }
    case 'basic': {
      registerSecret(credentials.password);
      const encoded = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
      registerSecret(encoded);
      const header = `Basic ${encoded}`;
      return { header: async () => header, renew: async () => false };
    }
    case 'oauth': {
      const token = new ClientCredentialsToken(credentials, timeoutMs);
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
