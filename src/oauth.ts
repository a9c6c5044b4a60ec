// OAuth 2.0 client credentials (RFC 6749 §4.4): the access token the SCIM requests carry when
// the tenant asks for OAuth instead of a long-lived Secret Token. Fetched on first use, kept until
// shortly before it expires, fetched again after a 401. The client secret and every token are
// registered for redaction the moment they are known.
import { request } from 'undici';
import { PLACEHOLDERS, registerSecret } from './exchange.ts';

export interface ClientCredentials {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
  /**
   * A token already issued for these credentials in this run (by the CLI's preflight), handed to
   * the vitest process and its workers so that a run asks the token endpoint once, not once per process.
   */
  issued?: IssuedToken;
}

export class OAuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OAuthError';
    this.stack = `${this.name}: ${message}`;
  }
}

/** Renew this long before the token endpoint says the token expires. */
const EXPIRY_MARGIN_MS = 30_000;

export interface IssuedToken {
  accessToken: string;
  /** Epoch ms after which the token is renewed before use; null (JSON has no Infinity) without expires_in. */
  renewAfter: number | null;
}

function describeError(status: number, text: string): string {
  try {
    const body = JSON.parse(text) as { error?: unknown; error_description?: unknown };
    if (typeof body.error === 'string') return `${status} ${body.error}${typeof body.error_description === 'string' ? ` (${body.error_description})` : ''}`;
  } catch {
    // not JSON: say what it began with
  }
  return `${status}: ${text.replace(/\s+/g, ' ').trim().slice(0, 120) || 'an empty body'}`;
}

export class ClientCredentialsToken {
  private issued?: IssuedToken;
  private pending?: Promise<IssuedToken>;
  /** Tokens fetched so far (for tests and the run's log). */
  fetches = 0;

  constructor(
    private readonly credentials: ClientCredentials,
    private readonly timeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {
    registerSecret(credentials.clientSecret, PLACEHOLDERS.oauthClientSecret);
    if (credentials.issued) {
      registerSecret(credentials.issued.accessToken, PLACEHOLDERS.oauthAccessToken);
      this.issued = credentials.issued;
    }
  }

  /** The token held now, if any, to hand to another process of the same run. */
  current(): IssuedToken | undefined {
    return this.issued;
  }

  private expired(issued: IssuedToken): boolean {
    return issued.renewAfter !== null && this.now() >= issued.renewAfter;
  }

  /** A valid access token, fetched when there is none or it is about to expire. */
  async accessToken(): Promise<string> {
    if (!this.issued || this.expired(this.issued)) this.issued = await this.fetchOnce();
    return this.issued.accessToken;
  }

  /** Forgets the token (the endpoint refused it) and fetches another. */
  async renew(): Promise<string> {
    this.issued = undefined;
    return this.accessToken();
  }

  /** One fetch at a time: concurrent requests share it. */
  private fetchOnce(): Promise<IssuedToken> {
    this.pending ??= this.fetch().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async fetch(): Promise<IssuedToken> {
    const { tokenUrl, clientId, clientSecret, scope } = this.credentials;
    const form = new URLSearchParams({ grant_type: 'client_credentials', ...(scope && { scope }) });
    // RFC 6749 §2.3.1: client_secret_basic, which every authorization server MUST support.
    const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
    registerSecret(basic, PLACEHOLDERS.oauthClientCredentials);
    this.fetches++;
    let status: number;
    let text: string;
    try {
      const answer = await request(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', authorization: `Basic ${basic}` },
        body: form.toString(),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = answer.statusCode;
      text = await answer.body.text();
    } catch (error) {
      throw new OAuthError(`the OAuth token endpoint ${tokenUrl} could not be reached: ${(error as Error).message}`);
    }
    if (status !== 200) throw new OAuthError(`the OAuth token endpoint ${tokenUrl} refused the client credentials of SCIM_OAUTH_CLIENT_ID: ${describeError(status, text)}`);
    let body: { access_token?: unknown; token_type?: unknown; expires_in?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new OAuthError(`the OAuth token endpoint ${tokenUrl} answered 200 without JSON (${text.slice(0, 60)})`);
    }
    if (typeof body.access_token !== 'string' || body.access_token === '') throw new OAuthError(`the OAuth token endpoint ${tokenUrl} answered 200 without an access_token`);
    if (typeof body.token_type === 'string' && body.token_type.toLowerCase() !== 'bearer') {
      throw new OAuthError(`the OAuth token endpoint ${tokenUrl} issued a "${body.token_type}" token; only bearer tokens can be sent`);
    }
    registerSecret(body.access_token, PLACEHOLDERS.oauthAccessToken);
    const lifetimeMs = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in * 1000 : undefined;
    return { accessToken: body.access_token, renewAfter: lifetimeMs === undefined ? null : this.now() + Math.max(0, lifetimeMs - EXPIRY_MARGIN_MS) };
  }
}
