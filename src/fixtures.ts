// Builders for the users and groups a spec file needs as scenery: sent exactly as the
// running profile sends them, recorded by the ledger, deleted at the end of the file.
import type { ScimResponse } from './client.ts';
import { client } from './active-profile.ts';
import { fitCreateBody } from './fit-body.ts';
import { SCHEMA, userSeed, type UserSeed } from './profiles/entra.ts';
import { refusedShape } from './scenery.ts';
import { serverSchema } from './server-schema.ts';
import { uniqueName } from './names.ts';
import { scim } from './suite.ts';

export interface CreatedUser {
  seed: UserSeed;
  body: Record<string, unknown>;
  res: ScimResponse;
  /** The id the server assigned; undefined when the create failed. */
  id?: string;
}

function idOf(res: ScimResponse): string | undefined {
  const id = (res.json as { id?: unknown } | undefined)?.id;
  return res.status < 300 && typeof id === 'string' && id !== '' ? id : undefined;
}

/**
 * POST /Users as the running profile sends it, for the default user or a variant of it: `change`
 * shapes the seed, e.g. entra.withoutEmails, entra.withHomeEmail, entra.withPlainUserName, entra.withAccentedNames.
 */
export async function createUser(label: string, change: (seed: UserSeed) => UserSeed = (s) => s): Promise<CreatedUser> {
  const seed = change(userSeed(label));
  const body = client.createUserBody(seed);
  const res = await scim.post('/Users', body);
  return { seed, body, res, id: idOf(res) };
}

/** A user the later checks stand on, however it had to be created. */
export interface SceneryUser extends CreatedUser {
  /** The answer to the client's own POST /Users (its check judges it); `res` is the one the user stands on. */
  asClientSends: ScimResponse;
  /** True when the client's body was refused and the plainest RFC 7643 body created the user. */
  fellBack: boolean;
}

/** 'name@domain' -> 'name<suffix>@domain'; without '@', the suffix at the end. */
function withSuffix(userName: string, suffix: string): string {
  const at = userName.indexOf('@');
  return at === -1 ? `${userName}${suffix}` : `${userName.slice(0, at)}${suffix}${userName.slice(at)}`;
}

/** The plainest RFC 7643 §4.1 User: core schema, userName, externalId, name and the work email (when the seed has one). */
function plainUserBody(seed: UserSeed): Record<string, unknown> {
  return {
    schemas: [SCHEMA.user],
    userName: seed.userName,
    externalId: seed.externalId,
    name: { givenName: seed.givenName, familyName: seed.familyName },
    ...(!seed.noEmails && { emails: [{ value: seed.email, type: 'work', primary: true }] }),
  };
}

/**
 * A user for later checks: created as the client sends it and, when the server refuses that body,
 * with the plainest RFC body, so that one refused attribute does not block every check that
 * needs a user (design.md: scenery that survives a refusal).
 */
export async function sceneryUser(label: string, change: (seed: UserSeed) => UserSeed = (s) => s): Promise<SceneryUser> {
  const user = await createUser(label, change);
  if (!refusedShape(user.res)) return { ...user, asClientSends: user.res, fellBack: false };
  // A server error may have created the user all the same: another userName keeps the plain create
  // from a 409 (the end-of-run cleanup finds that user by the run id).
  const seed = user.res.status >= 500 ? { ...user.seed, userName: withSuffix(user.seed.userName, '.plain') } : user.seed;
  const body = fitCreateBody(serverSchema(), 'User', plainUserBody(seed), { name: seed.externalId, givenName: seed.givenName, familyName: seed.familyName, email: seed.email }, true);
  const res = await scim.post('/Users', body);
  return { seed, body, res, id: idOf(res), asClientSends: user.res, fellBack: true };
}

export interface CreatedGroup {
  displayName: string;
  externalId: string;
  /** The answer the group stands on: the client's, or when that was refused the plain RFC body's. */
  res: ScimResponse;
  /** The answer to POST /Groups as the client sends it (GROUP-01 judges it). */
  asClientSends: ScimResponse;
  /** The body behind `res`. */
  body: Record<string, unknown>;
  id?: string;
}

/** POST /Groups as the client sends it (Entra: with its ADSCIM schema URI) and, when refused, with the core Group schema only. */
export async function createGroup(label: string): Promise<CreatedGroup> {
  const displayName = uniqueName(label);
  const externalId = uniqueName(`${label}-ext`);
  const clientBody = client.createGroupBody(displayName, externalId);
  const asClientSends = await scim.post('/Groups', clientBody);
  if (!refusedShape(asClientSends)) return { displayName, externalId, res: asClientSends, asClientSends, body: clientBody, id: idOf(asClientSends) };
  const body = fitCreateBody(serverSchema(), 'Group', { schemas: [SCHEMA.group], displayName }, { name: displayName }, true);
  const res = await scim.post('/Groups', body);
  return { displayName, externalId, res, asClientSends, body, id: idOf(res) };
}

/** Runs `make` once and hands every caller the same promise: several checks read one exchange. */
export function once<T>(make: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= make());
}
