// Bearer token (RFC 6750) and HTTP Basic (RFC 7617) checks, compared in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** True when `authorization` is `Bearer <token>` (scheme in any case). Hashing first makes lengths equal. */
export function hasBearerToken(authorization: string | undefined, token: string): boolean {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '');
  if (!match) return false;
  return timingSafeEqual(digest(match[1]!), digest(token));
}

/** True when `authorization` is `Basic base64(username:password)` for these credentials. */
export function hasBasicCredentials(authorization: string | undefined, credentials: { username: string; password: string }): boolean {
  const match = /^Basic[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '');
  if (!match) return false;
  const expected = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
  return timingSafeEqual(digest(match[1]!), digest(expected));
}

/** The server's token, another accepted token, or the Basic credentials when configured. */
export function isAuthorized(
  authorization: string | undefined,
  options: { token: string; acceptedTokens?: ReadonlySet<string>; basic?: { username: string; password: string } },
): boolean {
  if (hasBearerToken(authorization, options.token)) return true;
  if (options.basic && hasBasicCredentials(authorization, options.basic)) return true;
  return [...(options.acceptedTokens ?? [])].some((token) => hasBearerToken(authorization, token));
}
